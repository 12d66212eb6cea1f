# SPDX-License-Identifier: Apache-2.0
"""The template's IAM policy is sufficient: Create, Update and Delete run
with moto's IAM auth mode on, signed with credentials whose only policy is
the template's (resources widened to "*" and lambda:Invoke added, because
moto checks actions only and names Invoke differently: README.md here, "moto"),
and a call outside the policy is refused."""
import json
import os
import time
import unittest

from cfnlint.decode import decode

from cfn_support import CLUSTER, FAMILY, World, body_of, event, props, set_containers
from probe import probe

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
W = None


def template_policy():
    template, errors = decode(os.path.join(ROOT, "deploy", "ecs-tasks.yaml"))
    assert not errors, errors
    role = template["Resources"]["Role"]["Properties"]
    statements = []
    for st in role["Policies"][0]["PolicyDocument"]["Statement"]:
        if "Fn::If" in st:
            st = st["Fn::If"][1]  # every optional statement on
        st = {"Effect": st["Effect"], "Action": st["Action"], "Resource": "*"}
        actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        if "lambda:InvokeFunction" in actions:
            actions = actions + ["lambda:Invoke"]
        st["Action"] = actions
        statements.append(st)
    return {"Version": "2012-10-17", "Statement": statements}


def setUpModule():
    global W
    W = World()


def tearDownModule():
    W.moto.set_auth("inf")
    W.close()


class PolicyTest(unittest.TestCase):
    def setUp(self):
        W.moto.set_auth("inf")
        W.fresh("immediate")
        iam = W.moto.client("iam")
        policy = json.dumps(template_policy())
        iam.create_role(RoleName="ecs-tasks", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"AWS": "*"}}]}))
        iam.put_role_policy(RoleName="ecs-tasks", PolicyName="ecs-tasks", PolicyDocument=policy)
        creds = W.moto.client("sts").assume_role(
            RoleArn="arn:aws:iam::123456789012:role/ecs-tasks", RoleSessionName="fn")["Credentials"]
        self.creds = {"AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
                      "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
                      "AWS_SESSION_TOKEN": creds["SessionToken"]}
        W.moto.create_secret("db", "pw-123456")
        W.moto.put_secure_parameter("/tok", "tok-123456")
        logs = W.moto.client("logs")
        logs.create_log_group(logGroupName="/ecs/migrate")
        self.stack_id = W.moto.client("cloudformation").create_stack(
            StackName="app-stack", TemplateBody=json.dumps(
                {"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}))["StackId"]
        self.addCleanup(W.moto.set_auth, "inf")
        W.moto.set_auth(0)

    def send(self, rt, ev):
        ev["StackId"] = self.stack_id  # DescribeStacks must find it
        before = len(W.catcher.responses())
        result = rt.invoke(ev, timeout=60)
        self.assertEqual(result["kind"], "response", "\n".join(rt.log_lines))
        self.assertEqual(len(W.catcher.responses()), before + 1)
        return body_of(W.catcher.responses()[-1])

    def test_lifecycle_with_only_the_template_policy(self):
        ov = {"ContainerOverrides": [{"Name": "app", "Environment": [
            {"Name": "A", "Value": "{{resolve:secretsmanager:db}}"},
            {"Name": "B", "Value": "{{resolve:ssm-secure:/tok}}"}]}]}
        W.moto.set_auth("inf")
        W.moto.make_awsvpc_service(CLUSTER, "web", FAMILY)
        W.moto.set_auth(0)
        p = props(Overrides=ov, RunOnRollback="false", Service="web",
                  UpdateCriteria=[{"Container": "app", "EnvironmentKeys": ["DB_VERSION"]}])
        with W.emulator(**self.creds) as rt:
            created = self.send(rt, event(W, "Create", p))
            self.assertEqual(created["Status"], "SUCCESS", created.get("Reason"))
            arn = created["PhysicalResourceId"]
            # Update: DescribeStacks (RunOnRollback), DescribeTaskDefinition x2.
            updated = self.send(rt, event(W, "Update", p, physical=arn, old=p))
            self.assertEqual(updated["Status"], "SUCCESS", updated.get("Reason"))
            # A failing run: its Reason ends with the log tail (GetLogEvents).
            W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform",
                             times=None, transform=set_containers([{"name": "app",
                                                                    "exitCode": 4}]))
            failed = self.send(rt, event(W, "Create", props(Timeout="30")))
            self.assertEqual(failed["Status"], "FAILED")
            self.assertIn("exited with code 4", failed["Reason"])
            W.proxy.clear_rules()
            deleted = self.send(rt, event(W, "Delete", p, physical=arn))
            self.assertEqual(deleted["Status"], "SUCCESS", deleted.get("Reason"))
        refused = [r for r in W.proxy.requests() if r["status"] == 403]
        self.assertEqual(refused, [], [(r["operation"], r["body"][:200]) for r in refused])
        seen = {r["operation"] for r in W.proxy.requests()}
        for op in ("RunTask", "DescribeTasks", "GetSecretValue", "GetParameter",
                   "DescribeStacks", "DescribeTaskDefinition", "GetLogEvents", "ListTasks",
                   "DescribeServices"):
            self.assertIn(op, seen)

    def test_call_outside_the_policy_refused(self):
        env = W.moto.env(**self.creds)
        code, out = probe(env, "json", "ecs", "ListClusters", "{}")
        self.assertEqual(code, 1)
        self.assertEqual(out["error"]["status"], 403)
        self.assertIn("not authorized to perform: ecs:ListClusters", out["error"]["message"])


if __name__ == "__main__":
    unittest.main()
