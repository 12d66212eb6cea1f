# SPDX-License-Identifier: Apache-2.0
"""Every typed AWS call of the product against moto in server mode, through
the recording proxy (which shows what went over the wire)."""
import io
import json
import time
import unittest
import zipfile

from harness import transcript
from harness.fault_proxy import FaultProxy
from harness.moto import MotoServer
from probe import probe

MOTO = PROXY = None


def setUpModule():
    global MOTO, PROXY
    MOTO = MotoServer().start()
    PROXY = FaultProxy(MOTO.url).start()


def tearDownModule():
    PROXY.stop()
    MOTO.stop()


def env(**kw):
    return MOTO.env(AWS_ENDPOINT_URL=PROXY.url, **kw)


class Base(unittest.TestCase):
    def setUp(self):
        MOTO.reset()
        MOTO.unset_ecs_transition()
        PROXY.clear_rules()
        PROXY.clear()

    def ok(self, *args, **kw):
        code, out = probe(env(), *args, **kw)
        self.assertEqual(code, 0, out)
        return out["result"]

    def fails(self, *args, **kw):
        code, out = probe(env(), *args, **kw)
        self.assertEqual(code, 1, out)
        return out["error"]


class EcsTest(Base):
    def setUp(self):
        super().setUp()
        self.instance = MOTO.make_cluster_with_instance("c1")
        MOTO.register_task_definition("web", [
            {"name": "app", "image": "a", "memory": 64, "essential": True,
             "environment": [{"name": "A", "value": "1"}],
             "logConfiguration": {"logDriver": "awslogs", "options": {
                 "awslogs-group": "/g", "awslogs-region": "us-east-1",
                 "awslogs-stream-prefix": "p"}}},
            {"name": "side", "image": "s", "memory": 64, "essential": False}])

    def run_task(self, count=1, **extra):
        req = {"cluster": "c1", "taskDefinition": "web", "count": count, "startedBy": "probe-1"}
        req.update(extra)
        return self.ok("ecs-run-task", req)

    def test_run_task_and_describe_until_stopped(self):
        MOTO.set_ecs_transition(progression="manual", times=1)
        started = self.run_task(2)
        self.assertEqual(len(started["tasks"]), 2)
        self.assertEqual(started["failures"], [])
        arns = [t["arn"] for t in started["tasks"]]
        statuses = []
        for _ in range(4):
            d = self.ok("ecs-describe-tasks", "c1", *arns)
            statuses.append(d["tasks"][0]["lastStatus"])
        self.assertEqual(statuses[-1], "STOPPED")
        task = d["tasks"][0]
        self.assertEqual(task["startedBy"], "probe-1")
        self.assertEqual(task["containers"][0]["name"], "app")
        sent = PROXY.requests("RunTask")[0]
        self.assertEqual(sent["params"]["count"], 2)
        self.assertEqual(sent["headers"]["content-type"], "application/x-amz-json-1.1")

    def test_fargate_run_task(self):
        ec2 = MOTO.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        MOTO.register_task_definition("fg", [{"name": "app", "image": "a", "memory": 512}])
        out = self.ok("ecs-run-task", {
            "cluster": "c1", "taskDefinition": "fg", "launchType": "FARGATE",
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": [subnet]}}})
        self.assertEqual(len(out["tasks"]), 1)

    def test_start_task(self):
        out = self.ok("ecs-start-task", {"cluster": "c1", "taskDefinition": "web",
                                         "containerInstances": [self.instance],
                                         "startedBy": "probe-2"})
        self.assertEqual(len(out["tasks"]), 1)
        self.assertEqual(out["tasks"][0]["startedBy"], "probe-2")

    def test_describe_batches_of_100(self):
        arn = self.run_task()["tasks"][0]["arn"]
        fake = [arn.rsplit("/", 1)[0] + "/%032x" % i for i in range(130)]
        out = self.ok("ecs-describe-tasks", "c1", arn, *fake)
        self.assertEqual([t["arn"] for t in out["tasks"]], [arn])
        sizes = [len(r["params"]["tasks"]) for r in PROXY.requests("DescribeTasks")]
        self.assertEqual(sizes, [100, 31])

    def test_list_tasks_all_pages(self):
        arns = [t["arn"] for t in self.run_task(3)["tasks"]]

        def first_page(doc):
            doc["nextToken"] = "page-2"
            doc["taskArns"] = doc["taskArns"][:1]
            return doc
        PROXY.add_rule(match={"operation": "ListTasks"}, fault="transform", transform=first_page)
        out = self.ok("ecs-list-tasks", "c1", "probe-1")
        sent = PROXY.requests("ListTasks")
        self.assertEqual(len(sent), 2)
        self.assertNotIn("nextToken", sent[0]["params"])
        self.assertEqual(sent[1]["params"]["nextToken"], "page-2")
        self.assertEqual(sent[0]["params"]["startedBy"], "probe-1")
        self.assertEqual(len(out["taskArns"]), 4)  # 1 from page 1 + 3 from page 2
        self.assertTrue(set(arns) <= set(out["taskArns"]))

    def test_stop_task(self):
        arn = self.run_task()["tasks"][0]["arn"]
        self.ok("ecs-stop-task", "c1", arn, "stopped by the probe")
        task = MOTO.client("ecs").describe_tasks(cluster="c1", tasks=[arn])["tasks"][0]
        self.assertEqual(task["lastStatus"], "STOPPED")
        self.assertEqual(task["stoppedReason"], "stopped by the probe")

    def test_describe_task_definition(self):
        for name in ("web", "web:1",
                     "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"):
            td = self.ok("ecs-describe-task-definition", name)
            self.assertEqual(td["family"], "web")
            self.assertEqual(td["revision"], 1)
            app, side = td["containers"]
            self.assertEqual(app["environment"], {"A": "1"})
            self.assertTrue(app["essential"])
            self.assertFalse(side["essential"])
            self.assertEqual(app["logDriver"], "awslogs")
            self.assertEqual(app["awslogsGroup"], "/g")
            self.assertEqual(app["awslogsStreamPrefix"], "p")
        err = self.fails("ecs-describe-task-definition", "missing")
        self.assertEqual(err["code"], "ClientException")
        self.assertEqual(err["status"], 400)

    def test_cluster_not_found(self):
        err = self.fails("ecs-run-task", {"cluster": "nope", "taskDefinition": "web"})
        self.assertEqual(err["code"], "ClusterNotFoundException")
        self.assertIn("Cluster not found", err["message"])


class OtherServicesTest(Base):
    def test_lambda_invoke_event(self):
        iam = MOTO.client("iam")
        role = iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("bootstrap", "#!/bin/sh\n")
        MOTO.client("lambda").create_function(FunctionName="ecsTasks", Runtime="provided.al2023",
                                              Role=role, Handler="x", Code={"ZipFile": buf.getvalue()})
        self.ok("lambda-invoke-event", "ecsTasks", '{"hello":"again"}')
        sent = PROXY.requests("Invoke")[0]
        self.assertEqual(sent["path"], "/2015-03-31/functions/ecsTasks/invocations")
        self.assertEqual(sent["headers"]["x-amz-invocation-type"], "Event")
        self.assertEqual(sent["params"], {"hello": "again"})
        err = self.fails("lambda-invoke-event", "missing", "{}")
        self.assertEqual(err["status"], 404)

    def test_stack_status(self):
        cfn = MOTO.client("cloudformation")
        cfn.create_stack(StackName="s1", TemplateBody=json.dumps({
            "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}))
        self.assertEqual(self.ok("cfn-stack-status", "s1")["status"], "CREATE_COMPLETE")
        err = self.fails("cfn-stack-status", "nope")
        self.assertEqual(err["code"], "ValidationError")
        self.assertIn("does not exist", err["message"])
        sent = PROXY.requests("DescribeStacks")[0]
        self.assertEqual(sent["params"]["StackName"], "s1")
        self.assertEqual(sent["params"]["Version"], "2010-05-15")

    def test_secrets(self):
        sm = MOTO.client("secretsmanager")
        v1, v2 = "secret-value-one", transcript.sensitive("secret-value-two")
        arn = MOTO.create_secret("db", v1)
        sm.put_secret_value(SecretId="db", SecretString=v2)
        self.assertEqual(self.ok("secret-get", "db")["value"], v2)
        self.assertEqual(self.ok("secret-get", arn)["value"], v2)
        self.assertEqual(self.ok("secret-get", "db", "AWSPREVIOUS")["value"], v1)
        vid = sm.get_secret_value(SecretId="db", VersionStage="AWSPREVIOUS")["VersionId"]
        self.assertEqual(self.ok("secret-get", "db", "-", vid)["value"], v1)
        err = self.fails("secret-get", "missing")
        self.assertEqual(err["code"], "ResourceNotFoundException")

    def test_ssm_secure(self):
        MOTO.put_secure_parameter("/app/pw", "ssm-secure-s3cret")
        self.assertEqual(self.ok("ssm-get", "/app/pw")["value"], "ssm-secure-s3cret")
        self.assertIs(PROXY.requests("GetParameter")[0]["params"]["WithDecryption"], True)

    def test_log_events_paging_and_tail(self):
        logs = MOTO.client("logs")
        logs.create_log_group(logGroupName="/g")
        logs.create_log_stream(logGroupName="/g", logStreamName="s")
        now = int(time.time() * 1000)
        logs.put_log_events(logGroupName="/g", logStreamName="s", logEvents=[
            {"timestamp": now + i, "message": "line %d" % i} for i in range(5)])
        page = self.ok("logs-get", "/g", "s", "-", "2")
        self.assertEqual(page["events"], ["line 0", "line 1"])
        page2 = self.ok("logs-get", "/g", "s", page["nextForwardToken"], "2")
        self.assertEqual(page2["events"], ["line 2", "line 3"])
        self.assertEqual(self.ok("logs-tail", "/g", "s", "3")["lines"],
                         ["line 2", "line 3", "line 4"])
        err = self.fails("logs-tail", "/g", "missing", "3")
        self.assertEqual(err["code"], "ResourceNotFoundException")


if __name__ == "__main__":
    unittest.main()
