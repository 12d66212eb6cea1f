# SPDX-License-Identifier: Apache-2.0
"""The Custom::ECSTask resource end to end (README: Resource properties to Response).

Each test sends CloudFormation events through the Runtime API emulator to the
built binary, which talks to moto through the fault proxy, and asserts on the
response CloudFormation receives and on the AWS calls that were made.
"""
import json
import time
import unittest

from harness import transcript
from harness.shard import load_tests  # noqa: F401 (ctest runs it in slices)
from cfn_support import (CLUSTER, FAMILY, STACK_ID, World, body_of, event,
                         props, set_containers)

W = None


def setUpModule():
    global W
    W = World()


def tearDownModule():
    W.close()


class Case(unittest.TestCase):
    progression = "immediate"

    def setUp(self):
        W.fresh(self.progression)
        self.rt = W.emulator_for(self, timeout_s=30)

    def send(self, ev, timeout=60):
        """Invokes the function and returns the one CloudFormation response."""
        response = W.one_response(self, self.rt, ev, timeout)
        return body_of(response), response

    def log(self):
        return "\n".join(self.rt.log_lines)

    def calls(self, operation):
        return [r for r in W.proxy.requests() if r["operation"] == operation]


class CreateTest(Case):
    def test_success_count_1(self):
        body, resp = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        run = self.calls("RunTask")
        self.assertEqual(len(run), 1)
        p = run[0]["params"]
        self.assertEqual(p["cluster"], CLUSTER)
        self.assertEqual(p["taskDefinition"], FAMILY)
        self.assertEqual(p["count"], 1)
        self.assertTrue(p["startedBy"].startswith("app-stack-Migrate-"), p["startedBy"])
        self.assertLessEqual(len(p["startedBy"]), 128)
        self.assertEqual(len(p["clientToken"]), 32)
        arn = body["PhysicalResourceId"]
        self.assertRegex(arn, r"^arn:aws:ecs:us-east-1:123456789012:task/")
        self.assertEqual(body["Data"]["TaskArn"], arn)
        self.assertEqual(body["Data"]["TaskArns"], arn)
        self.assertEqual(body["Data"]["Ran"], "true")
        self.assertEqual(body["Data"]["ExitCode"], "0")
        for key in ("StackId", "RequestId", "LogicalResourceId"):
            self.assertIn(key, body)
        self.assertEqual(body["StackId"], STACK_ID)
        # CloudFormation's pre-signed URL was signed with no Content-Type.
        self.assertEqual(resp["headers"].get("content-type", ""), "")
        self.assertLessEqual(len(resp["body"]), 4096)

    def test_success_count_3_one_describe_per_poll(self):
        W.moto.set_ecs_transition(progression="manual", times=1)
        body, _ = self.send(event(W, "Create", props(Count="3")))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        arns = body["Data"]["TaskArns"].split(",")
        self.assertEqual(len(arns), 3)
        describes = self.calls("DescribeTasks")
        self.assertGreaterEqual(len(describes), 1)
        for d in describes:
            self.assertEqual(sorted(d["params"]["tasks"]), sorted(arns))

    def test_trace_id_passed_on(self):
        ev = event(W, "Create", props())
        request_id = self.rt.enqueue(ev)
        self.rt.wait_results(1, timeout=60)
        trace = self.rt.trace_ids[request_id]
        sent = {r["headers"].get("x-amzn-trace-id") for r in W.proxy.requests()}
        self.assertEqual(sent, {trace}, "every AWS call carries the invocation's trace id")

    def test_timeout_zero_returns_at_once(self):
        W.moto.set_ecs_transition(progression="manual", times=1000000)
        body, _ = self.send(event(W, "Create", props(Timeout="0")))
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertEqual(body["Data"]["Ran"], "true")
        self.assertEqual(self.calls("DescribeTasks"), [])

    def test_count_zero_runs_nothing(self):
        ev = event(W, "Create", props(Count="0", Instances=["arn:x"]))
        body, _ = self.send(ev)
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertEqual(body["Data"]["Ran"], "false")
        self.assertTrue(body["PhysicalResourceId"].startswith("app-stack-Migrate-"))
        again, _ = self.send(event(W, "Create", props(Count="0")))
        self.assertEqual(again["PhysicalResourceId"], body["PhysicalResourceId"], "stable id")
        self.assertEqual(self.calls("RunTask") + self.calls("StartTask"), [])

    def test_start_task_on_instances(self):
        body, _ = self.send(event(W, "Create", props(Instances=[W.instance_arn])))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        start = self.calls("StartTask")
        self.assertEqual(len(start), 1)
        self.assertEqual(start[0]["params"]["containerInstances"], [W.instance_arn])
        self.assertEqual(self.calls("RunTask"), [])

    def test_overrides_reach_ecs_typed_and_camel_cased(self):
        ov = {"ContainerOverrides": [{"Name": "app", "Command": ["migrate", "up"],
                                      "Memory": "256",
                                      "Environment": [{"Name": "MODE", "Value": "fast"}]}],
              "Memory": 512}
        body, _ = self.send(event(W, "Create", props(Overrides=ov, EnableECSManagedTags="yes")))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        p = self.calls("RunTask")[0]["params"]
        self.assertEqual(p["overrides"], {
            "containerOverrides": [{"name": "app", "command": ["migrate", "up"], "memory": 256,
                                    "environment": [{"name": "MODE", "value": "fast"}]}],
            "memory": "512"})
        self.assertIs(p["enableECSManagedTags"], True)


class FailureTest(Case):
    def test_validation_failures(self):
        cases = [
            (props(Count="11"), "Count: '11' is not allowed (an integer from 0 to 10)"),
            (props(Timeout="3601"), "Timeout: '3601' is not allowed (an integer from 0 to 3600)"),
            (props(PollInterval="0"), "PollInterval: '0' is not allowed (an integer from 1 to 300)"),
            (props(RunOnUpdate="perhaps"), "RunOnUpdate: 'perhaps' is not allowed"),
            ({"TaskDefinition": FAMILY}, "Cluster: required property is missing"),
            (props(Timout="5"), "Timout: unknown property"),
            (props(Instances="i-1"), "Instances: 'i-1' is not allowed"),
            (props(Overrides={"ContainerOverrides": [{"Name": "app", "Cpu": "lots"}]}),
             "Overrides.ContainerOverrides[0].Cpu: 'lots' is not an integer"),
        ]
        for p, message in cases:
            body, _ = self.send(event(W, "Create", p))
            self.assertEqual(body["Status"], "FAILED")
            self.assertIn(message, body["Reason"])
        self.assertEqual(self.calls("RunTask"), [])

    def test_non_zero_exit_with_log_tail(self):
        logs = W.moto.client("logs")
        logs.create_log_group(logGroupName="/ecs/migrate")

        def exit_3_and_log(doc):
            for task in doc.get("tasks", []):
                stream = "ecs/app/" + task["taskArn"].rsplit("/", 1)[1]
                try:
                    logs.create_log_stream(logGroupName="/ecs/migrate", logStreamName=stream)
                    logs.put_log_events(logGroupName="/ecs/migrate", logStreamName=stream,
                                        logEvents=[{"timestamp": int(time.time() * 1000),
                                                    "message": "ERROR: relation users exists"}])
                except logs.exceptions.ResourceAlreadyExistsException:
                    pass
            return set_containers([{"name": "app", "exitCode": 3}])(doc)

        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform",
                         transform=exit_3_and_log, times=None)
        body, _ = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "FAILED")
        self.assertRegex(body["Reason"], r"Task [0-9a-f-]+: container app exited with code 3")
        self.assertIn("ERROR: relation users exists", body["Reason"])
        self.assertEqual(body["Data"]["ExitCode"], "3")
        self.assertRegex(body["PhysicalResourceId"], r":task/", "rollback Delete can stop it")
        # Lambda makes each stdout line a CloudWatch event: the multi-line
        # verdict is one line, its breaks written as carriage returns.
        verdict = [line for line in self.rt.log_lines if "FAILED" in line]
        self.assertEqual(len(verdict), 1, self.log())
        self.assertRegex(verdict[0], r"^WARN \[[^]]+\] Create Migrate: FAILED: .*exited with code 3"
                         r".*\rERROR: relation users exists")
        for line in self.rt.log_lines:
            self.assertRegex(line, r"^(DEBUG|INFO|WARN|ERROR) ", "a line without a level")

    def test_sidecar_non_zero_essential_zero_succeeds(self):
        W.moto.client("ecs").register_task_definition(
            family="with-sidecar",
            containerDefinitions=[
                {"name": "app", "image": "a", "memory": 64, "essential": True},
                {"name": "sidecar", "image": "s", "memory": 64, "essential": False}])
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers([{"name": "app", "exitCode": 0},
                                                   {"name": "sidecar", "exitCode": 1}]))
        body, _ = self.send(event(W, "Create", props(TaskDefinition="with-sidecar")))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        self.assertEqual(len(self.calls("DescribeTaskDefinition")), 1)
        # CheckContainers makes the sidecar count.
        body, _ = self.send(event(W, "Create", props(TaskDefinition="with-sidecar",
                                                     CheckContainers=["app", "sidecar"])))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("container sidecar exited with code 1", body["Reason"])

    def test_no_exit_code_cannot_pull(self):
        W.proxy.add_rule(
            match={"operation": "DescribeTasks"}, fault="transform", times=None,
            transform=set_containers(
                [{"name": "app", "exitCode": None,
                  "reason": "CannotPullContainerError: pull access denied for app"}],
                stop_code="TaskFailedToStart", stopped_reason="Task failed to start"))
        body, _ = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("container app has no exit code: CannotPullContainerError: pull access "
                      "denied for app; task stopped: TaskFailedToStart (the task failed to "
                      "start): Task failed to start",
                      body["Reason"])
        self.assertEqual(body["Data"]["StoppedReason"], "Task failed to start")

    def test_run_task_failures(self):
        """A cause that does not go away by itself (test_retries.py has those
        that do) fails at once."""
        def no_match(doc):
            doc["tasks"] = []
            doc["failures"] = [{"arn": W.instance_arn, "reason": "ATTRIBUTE"}]
            return doc
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="transform", transform=no_match)
        body, _ = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("RunTask started 0 of 1 task(s)", body["Reason"])
        self.assertIn(W.instance_arn + ": ATTRIBUTE", body["Reason"])
        self.assertEqual(len(self.calls("RunTask")), 1)
        self.assertTrue(body["PhysicalResourceId"].startswith("app-stack-Migrate-"))

    def test_aws_error_named(self):
        body, _ = self.send(event(W, "Create", props(Cluster="nope")))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("ClusterNotFoundException", body["Reason"])

    def test_huge_reason_cut_to_fit(self):
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers([{"name": "app", "exitCode": None,
                                                    "reason": "E\"\n" * 5000}]))
        body, resp = self.send(event(W, "Create", props()))
        self.assertLessEqual(len(resp["body"]), 4096)
        self.assertEqual(body["Status"], "FAILED")
        self.assertTrue(body["Reason"].endswith(" [...cut to fit]"))

    def test_throttled_twice_then_success(self):
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="throttle", times=2)
        body, _ = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        self.assertEqual(len(self.calls("RunTask")), 3)


class TimeoutTest(Case):
    progression = "never"

    def test_timeout_stops_tasks(self):
        body, _ = self.send(event(W, "Create", props(Timeout="3", Count="2")))
        self.assertEqual(body["Status"], "FAILED")
        self.assertRegex(body["Reason"], r"^Timeout: 3 s passed with 2 of 2 task\(s\) still "
                                         r"running: .*; they were stopped$")
        stops = self.calls("StopTask")
        self.assertEqual(len(stops), 2)
        self.assertIn("app-stack", stops[0]["params"]["reason"])

    def test_timeout_without_stop(self):
        body, _ = self.send(event(W, "Create", props(Timeout="2", StopOnTimeout="false")))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("left running", body["Reason"])
        self.assertEqual(self.calls("StopTask"), [])


class ReinvocationTest(Case):
    progression = "immediate"

    def setUp(self):
        W.fresh("immediate")
        # A 5-second function and a task that runs about 12 seconds.
        W.moto.set_ecs_transition(progression="time", seconds=3)
        self.rt = W.emulator_for(self, timeout_s=5)

    def test_chain_until_the_task_stops(self):
        ev = event(W, "Create", props(Timeout="60", PollInterval="1"))
        self.rt.enqueue(ev)
        W.catcher.wait_for(1, timeout=60)
        time.sleep(1)
        responses = W.catcher.responses()
        self.assertEqual(len(responses), 1, self.log())
        body = body_of(responses[0])
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        invokes = self.rt.invokes()
        self.assertGreaterEqual(len(invokes), 2, "handed over at least twice")
        state = json.loads(invokes[0]["payload"])["EcsTasksState"]
        self.assertEqual([slot["taskArn"] for slot in state["slots"]],
                         [body["PhysicalResourceId"]])
        self.assertEqual(len(self.calls("RunTask")), 1, "started once across invocations")
        kinds = [r["kind"] for r in self.rt.results()]
        self.assertNotIn("timeout", kinds, "no invocation ran into its deadline")


class IdempotencyTest(Case):
    def test_same_event_twice_starts_once(self):
        W.proxy.honour_client_token("RunTask")
        ev = event(W, "Create", props())
        first, _ = self.send(ev)
        second, _ = self.send(ev)
        self.assertEqual(first["PhysicalResourceId"], second["PhysicalResourceId"])
        tokens = [c["params"]["clientToken"] for c in self.calls("RunTask")]
        self.assertEqual(len(tokens), 2)
        self.assertEqual(tokens[0], tokens[1])
        self.assertEqual(len(W.moto.client("ecs").list_tasks(cluster=CLUSTER)["taskArns"]), 1)

    def test_retried_stack_operation_starts_fresh(self):
        a = event(W, "Create", props(), request_id="same", signed_at="20261125T100000Z")
        b = event(W, "Create", props(), request_id="same", signed_at="20261125T110000Z")
        self.send(a)
        self.send(b)
        tokens = [c["params"]["clientToken"] for c in self.calls("RunTask")]
        self.assertNotEqual(tokens[0], tokens[1])

    def test_response_put_failing_once_is_retried(self):
        W.catcher.fail_next(1)
        result = self.rt.invoke(event(W, "Create", props()), timeout=60)
        self.assertEqual(result["kind"], "response", self.log())
        bodies = [body_of(r) for r in W.catcher.responses() if r.get("status", 200) < 300]
        self.assertEqual(len(W.catcher.responses()), 2, "one failed PUT, one retry")
        self.assertEqual(bodies[-1]["Status"], "SUCCESS")


class UpdateTest(Case):
    def create(self, **kw):
        body, _ = self.send(event(W, "Create", props(**kw)))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        W.proxy.clear()
        return body["PhysicalResourceId"]

    def test_run_on_update_false(self):
        old = self.create()
        body, _ = self.send(event(W, "Update", props(RunOnUpdate="false"), physical=old,
                                  old=props()))
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertEqual(body["PhysicalResourceId"], old)
        self.assertEqual(body["Data"]["Ran"], "false")
        self.assertEqual(self.calls("RunTask"), [])

    def test_update_runs_by_default_with_new_id(self):
        old = self.create()
        body, _ = self.send(event(W, "Update", props(Triggers="2"), physical=old,
                                  old=props(Triggers="1")))
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertNotEqual(body["PhysicalResourceId"], old)
        self.assertEqual(len(self.calls("RunTask")), 1)

    def rollback_status(self, status):
        xml = ("<DescribeStacksResponse><DescribeStacksResult><Stacks><member>"
               "<StackName>app-stack</StackName><StackStatus>%s</StackStatus>"
               "</member></Stacks></DescribeStacksResult></DescribeStacksResponse>" % status)
        W.proxy.add_rule(match={"operation": "DescribeStacks"}, fault="status", status=200,
                         body=xml.encode(), headers={"Content-Type": "text/xml"})

    def test_run_on_rollback_false_during_rollback(self):
        old = self.create()
        self.rollback_status("UPDATE_ROLLBACK_IN_PROGRESS")
        body, _ = self.send(event(W, "Update", props(RunOnRollback="false"), physical=old,
                                  old=props()))
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertEqual(body["PhysicalResourceId"], old)
        self.assertEqual(len(self.calls("DescribeStacks")), 1)
        self.assertEqual(self.calls("RunTask"), [])

    def test_run_on_rollback_false_normal_update_runs(self):
        old = self.create()
        self.rollback_status("UPDATE_IN_PROGRESS")
        body, _ = self.send(event(W, "Update", props(RunOnRollback="false"), physical=old,
                                  old=props()))
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertEqual(len(self.calls("RunTask")), 1)

    def register(self, version):
        return W.moto.client("ecs").register_task_definition(
            family=FAMILY, containerDefinitions=[{
                "name": "app", "image": "app:2", "memory": 128, "essential": True,
                "environment": [{"name": "DB_VERSION", "value": version},
                                {"name": "NOISE", "value": str(time.time())}]}]
        )["taskDefinition"]["taskDefinitionArn"]

    def test_update_criteria(self):
        crit = [{"Container": "app", "EnvironmentKeys": ["DB_VERSION"]}]
        td1 = self.register("1")
        old = self.create(TaskDefinition=td1)
        td2 = self.register("1")  # only NOISE changed
        body, _ = self.send(event(W, "Update", props(TaskDefinition=td2, UpdateCriteria=crit),
                                  physical=old, old=props(TaskDefinition=td1)))
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertEqual(body["PhysicalResourceId"], old)
        self.assertEqual(self.calls("RunTask"), [])
        self.assertEqual(len(self.calls("DescribeTaskDefinition")), 2)
        td3 = self.register("2")
        body, _ = self.send(event(W, "Update", props(TaskDefinition=td3, UpdateCriteria=crit),
                                  physical=old, old=props(TaskDefinition=td2)))
        self.assertEqual(body["Status"], "SUCCESS")
        self.assertNotEqual(body["PhysicalResourceId"], old)
        self.assertEqual(len(self.calls("RunTask")), 1)

    def test_failed_update_keeps_old_id(self):
        old = self.create()
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers([{"name": "app", "exitCode": 2}]))
        body, _ = self.send(event(W, "Update", props(Triggers="x"), physical=old, old=props()))
        self.assertEqual(body["Status"], "FAILED")
        self.assertEqual(body["PhysicalResourceId"], old)


class DeleteTest(Case):
    progression = "never"

    def test_delete_stops_only_this_run(self):
        body, _ = self.send(event(W, "Create", props(Timeout="0")))
        first = body["PhysicalResourceId"]
        body, _ = self.send(event(W, "Update", props(Timeout="0", Triggers="2"), physical=first,
                                  old=props(Timeout="0")))
        second = body["PhysicalResourceId"]
        self.assertNotEqual(first, second)
        W.proxy.clear()
        # The cleanup Delete for the old id stops the old run only.
        body, _ = self.send(event(W, "Delete", props(Timeout="0"), physical=first))
        self.assertEqual(body["Status"], "SUCCESS")
        stopped = [c["params"]["task"] for c in self.calls("StopTask")]
        self.assertEqual(stopped, [first])
        self.assertIn("app-stack", self.calls("StopTask")[0]["params"]["reason"])
        ecs = W.moto.client("ecs")
        status = {t["taskArn"]: t["lastStatus"] for t in
                  ecs.describe_tasks(cluster=CLUSTER, tasks=[first, second])["tasks"]}
        self.assertEqual(status[first], "STOPPED")
        self.assertNotEqual(status[second], "STOPPED")

    def test_delete_never_blocks(self):
        cases = [
            (props(), "app-stack-Migrate-12345678"),          # failed Create: not a task ARN
            (props(Count="99"), "app-stack-Migrate-12345678"),  # invalid properties
            (props(Cluster="gone"),
             "arn:aws:ecs:us-east-1:123456789012:task/gone/0123456789abcdef"),
            ({}, "arn:aws:ecs:us-east-1:123456789012:task/test/0123456789abcdef"),
        ]
        for p, physical in cases:
            body, _ = self.send(event(W, "Delete", p, physical=physical))
            self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
            self.assertEqual(body["PhysicalResourceId"], physical)
        self.assertEqual(self.calls("StopTask"), [])

    def test_delete_fails_when_stop_task_fails(self):
        body, _ = self.send(event(W, "Create", props(Timeout="0")))
        arn = body["PhysicalResourceId"]
        W.proxy.add_rule(match={"operation": "StopTask"}, fault="status", status=400, times=None,
                         body=json.dumps({"__type": "AccessDeniedException",
                                          "message": "not allowed to stop"}).encode(),
                         headers={"Content-Type": "application/x-amz-json-1.1"})
        body, _ = self.send(event(W, "Delete", props(), physical=arn))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("AccessDeniedException", body["Reason"])


class SecretTest(Case):
    def test_secret_resolved_and_never_shown(self):
        secret = transcript.sensitive("pw-" + "x7Q9zK2m" * 2)
        W.moto.create_secret("db", json.dumps({"password": secret}))
        ov = {"ContainerOverrides": [{"Name": "app", "Environment": [
            {"Name": "DB_URL",
             "Value": "postgres://u:{{resolve:secretsmanager:db:SecretString:password}}@h/db"}]}]}
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers([{"name": "app", "exitCode": None,
                                                    "reason": "bad password " + secret}]))
        body, resp = self.send(event(W, "Create", props(Overrides=ov)))
        env = self.calls("RunTask")[0]["params"]["overrides"]["containerOverrides"][0]
        self.assertEqual(env["environment"][0]["value"], "postgres://u:%s@h/db" % secret)
        self.assertEqual(body["Status"], "FAILED")
        self.assertNotIn(secret, resp["body"].decode() if isinstance(resp["body"], bytes)
                         else resp["body"])
        self.assertIn("bad password ****", body["Reason"])
        self.assertNotIn(secret, self.log())


    def test_ssm_secure_reference(self):
        W.moto.put_secure_parameter("/app/token", "tok-9f8e7d6c5b")
        ov = {"ContainerOverrides": [{"Name": "app", "Environment": [
            {"Name": "TOKEN", "Value": "{{resolve:ssm-secure:/app/token}}"}]}]}
        body, resp = self.send(event(W, "Create", props(Overrides=ov)))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        env = self.calls("RunTask")[0]["params"]["overrides"]["containerOverrides"][0]
        self.assertEqual(env["environment"][0]["value"], "tok-9f8e7d6c5b")
        self.assertIs(self.calls("GetParameter")[0]["params"]["WithDecryption"], True)
        self.assertNotIn("tok-9f8e7d6c5b", self.log())

    def test_missing_secret_fails_clearly(self):
        ov = {"ContainerOverrides": [{"Name": "app", "Environment": [
            {"Name": "X", "Value": "{{resolve:secretsmanager:nope:SecretString:pw}}"}]}]}
        body, _ = self.send(event(W, "Create", props(Overrides=ov)))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("{{resolve:secretsmanager:nope}}: ResourceNotFoundException",
                      body["Reason"])
        self.assertEqual(self.calls("RunTask"), [])


class StartTaskIdempotencyTest(Case):
    progression = "never"

    def test_duplicate_delivery_adopts_started_tasks(self):
        ev = event(W, "Create", props(Instances=[W.instance_arn], Timeout="0"))
        first, _ = self.send(ev)
        second, _ = self.send(ev)
        self.assertEqual(first["PhysicalResourceId"], second["PhysicalResourceId"])
        self.assertEqual(len(self.calls("StartTask")), 1)
        self.assertEqual(len(self.calls("ListTasks")), 2)


class BadEventTest(Case):
    def test_bad_events_go_to_error_and_the_process_lives_on(self):
        r = self.rt.invoke(b"this is not json", timeout=10)
        self.assertEqual(r["kind"], "error")
        self.assertEqual(r["error_type"], "InvalidEvent")
        r = self.rt.invoke({"hello": "world"}, timeout=10)
        self.assertEqual(r["kind"], "error")
        self.assertIn("ResponseURL", r["json"]["errorMessage"])
        body, _ = self.send(event(W, "Create", props(Count="0")))
        self.assertEqual(body["Status"], "SUCCESS")

    def test_broken_request_still_answered(self):
        ev = event(W, "Create", props())
        del ev["StackId"]
        r = self.rt.invoke(ev, timeout=10)
        self.assertEqual(r["kind"], "response")
        body = body_of(W.catcher.responses()[-1])
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("no StackId", body["Reason"])

    def test_response_url_query_never_logged(self):
        ev = event(W, "Create", props(Count="0"))
        self.send(ev)
        self.assertNotIn("X-Amz-Signature", self.log())


if __name__ == "__main__":
    unittest.main()
