# SPDX-License-Identifier: Apache-2.0
"""The fault matrix: every AWS call the function makes, and the response PUT,
under each fault (throttling, HTTP 500, dropped connection, an answer slower
than the remaining deadline, malformed JSON, an auth error). Each cell checks
that exactly one CloudFormation response arrives, with the right status and a
reason naming the failure; that the invocation ends before its deadline; and
that the process then serves the next event."""
import json
import os
import time
import unittest

from cfn_support import BIN, CLUSTER, World, body_of, event, props, set_containers
from harness.fault_proxy import FaultProxy
from harness.runtime_emulator import RuntimeEmulator
from harness.shard import load_tests  # noqa: F401 (ctest runs it in slices)

W = None
FUNCTION_TIMEOUT_S = 8

AUTH = json.dumps({"__type": "AccessDeniedException",
                   "message": "User is not authorized to perform this action"}).encode()
FAULTS = {
    # name: (rule kwargs, text the Reason must contain)
    "throttle": ({"fault": "throttle"}, "Throttling"),
    "http500": ({"fault": "http500"}, "InternalFailure"),
    "drop": ({"fault": "drop"}, "TransportError"),
    "slow": ({"fault": "delay", "delay_s": FUNCTION_TIMEOUT_S + 4}, ""),
    "malformed": ({"fault": "malformed"}, "InvalidResponse"),
    "auth": ({"fault": "status", "status": 400, "body": AUTH,
              "headers": {"Content-Type": "application/x-amz-json-1.1"}},
             "AccessDeniedException"),
}


def setUpModule():
    global W
    W = World()


def tearDownModule():
    W.close()


def scenario(call):
    """(events to send first, the event under test, expected status) for a call."""
    two = {"TaskDefinition": "two"}
    if call == "RunTask":
        return [], ("Create", props()), "FAILED"
    if call == "DescribeTasks":
        return [], ("Create", props()), "FAILED"
    if call == "DescribeTaskDefinition":
        return [], ("Create", props(**two)), "FAILED"
    if call == "StopTask":  # Delete of a running run: a StopTask failure fails it
        return [("Create", props(Timeout="0"))], ("Delete", props()), "FAILED"
    if call == "ListTasks":  # Delete never blocks on a lookup
        return [("Create", props(Timeout="0"))], ("Delete", props()), "SUCCESS"
    if call == "DescribeStacks":
        return [("Create", props(Timeout="0"))], ("Update", props(RunOnRollback="false")), \
            "FAILED"
    if call == "GetSecretValue":
        return [], ("Create", props(Overrides={"ContainerOverrides": [{"Name": "app", "Environment": [
            {"Name": "S", "Value": "{{resolve:secretsmanager:db}}"}]}]})), "FAILED"
    if call == "GetParameter":
        return [], ("Create", props(Overrides={"ContainerOverrides": [{"Name": "app", "Environment": [
            {"Name": "S", "Value": "{{resolve:ssm-secure:/p}}"}]}]})), "FAILED"
    if call == "GetLogEvents":  # the task failed; its log tail is a bonus
        return [], ("Create", props()), "FAILED"
    raise ValueError(call)


class FaultMatrixTest(unittest.TestCase):
    def setUp(self):
        W.fresh("immediate")
        W.moto.client("ecs").register_task_definition(
            family="two", containerDefinitions=[
                {"name": "app", "image": "a", "memory": 64, "essential": True},
                {"name": "side", "image": "s", "memory": 64, "essential": False}])
        W.moto.create_secret("db", "pw-1234567")
        W.moto.put_secure_parameter("/p", "tok-1234567")

    def start_emulator(self):
        rt = RuntimeEmulator(BIN, env=W.env(AWS_MAX_ATTEMPTS="2"),
                             timeout_s=FUNCTION_TIMEOUT_S)
        lambda_proxy = FaultProxy(rt.lambda_url).start()
        rt.base_env["AWS_ENDPOINT_URL_LAMBDA"] = lambda_proxy.url
        rt.start()
        self.addCleanup(lambda_proxy.stop)
        self.addCleanup(rt.stop)
        return rt, lambda_proxy

    def send(self, rt, ev):
        before = len(W.catcher.responses())
        started = time.time()
        result = rt.invoke(ev, timeout=FUNCTION_TIMEOUT_S + 5)
        return result, W.catcher.responses()[before:], time.time() - started

    def check_cell(self, call, fault):
        rules, reason_text = FAULTS[fault]
        setup, (kind, p), expected = scenario(call)
        if call in ("StopTask", "ListTasks"):
            W.moto.set_ecs_transition(progression="manual", times=1000000)
        rt, _ = self.start_emulator()
        physical = None
        for setup_kind, setup_props in setup:
            _, responses, _ = self.send(rt, event(W, setup_kind, setup_props))
            physical = body_of(responses[-1])["PhysicalResourceId"]
        if call == "DescribeTaskDefinition":
            # moto reports one container; with two, the essential one must be looked up.
            W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                             transform=set_containers([{"name": "app", "exitCode": 0},
                                                       {"name": "side", "exitCode": 0}]))
        if call == "GetLogEvents":
            W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                             transform=set_containers([{"name": "app", "exitCode": 9}]))
            reason_text = "exited with code 9"
        W.proxy.add_rule(match={"operation": call}, times=None, **rules)
        ev = event(W, kind, p, physical=physical, old=p if kind == "Update" else None)
        result, responses, elapsed = self.send(rt, ev)
        W.proxy.clear_rules()
        label = "%s/%s\n%s" % (call, fault, "\n".join(rt.log_lines[-30:]))
        self.assertEqual(result["kind"], "response", label)
        self.assertLess(elapsed, FUNCTION_TIMEOUT_S, label)
        self.assertEqual(len(responses), 1, label)
        body = body_of(responses[0])
        self.assertEqual(body["Status"], expected, label + "\n" + str(body.get("Reason")))
        if expected == "FAILED":
            self.assertIn(reason_text, body["Reason"], label)
            if fault == "slow" and call != "GetLogEvents":
                self.assertRegex(body["Reason"], "RequestTimeout|DeadlineExceeded", label)
        # The process lives on and serves the next event.
        result, responses, _ = self.send(rt, event(W, "Create", props(Count="0")))
        self.assertEqual(body_of(responses[0])["Status"], "SUCCESS", label)

    def test_invoke_faults(self):
        """The hand-over to the next invocation fails: the request fails with
        a reason, before the deadline, and exactly once."""
        W.moto.set_ecs_transition(progression="manual", times=1000000)
        for fault in FAULTS:
            with self.subTest(fault=fault):
                rt, lambda_proxy = self.start_emulator()
                lambda_proxy.add_rule(match={"operation": "Invoke"}, times=None,
                                      **FAULTS[fault][0])
                result, responses, elapsed = self.send(
                    rt, event(W, "Create", props(Timeout="60", PollInterval="1")))
                log = "\n".join(rt.log_lines[-30:])
                self.assertEqual(result["kind"], "response", log)
                self.assertEqual(len(responses), 1, log)
                body = body_of(responses[0])
                self.assertEqual(body["Status"], "FAILED", log)
                self.assertIn("Lambda Invoke of ecsTasks failed", body["Reason"])
                self.assertEqual(rt.invokes(), [])
                rt.stop()

    def test_response_put_faults(self):
        rt, _ = self.start_emulator()
        cases = [("500 once", lambda: W.catcher.fail_next(1), "response", 2),
                 ("dropped once", lambda: W.catcher.drop_next(1), "response", 2),
                 ("403", lambda: W.catcher.fail_next(100, status=403), "error", 1),
                 ("503 always", lambda: W.catcher.fail_next(100, status=503), "error", None)]
        for name, arm, kind, puts in cases:
            with self.subTest(case=name):
                arm()
                result, responses, elapsed = self.send(rt, event(W, "Create", props(Count="0")))
                W.catcher.fail_next(0)
                self.assertEqual(result["kind"], kind, name)
                if puts is None:  # retried with backoff until the deadline
                    self.assertGreaterEqual(len(responses), 2, name)
                else:
                    self.assertEqual(len(responses), puts, name)
                self.assertLess(elapsed, FUNCTION_TIMEOUT_S)
                if kind == "error":
                    self.assertEqual(result["error_type"], "ResponseNotDelivered")
                result, responses, _ = self.send(rt, event(W, "Create", props(Count="0")))
                self.assertEqual(body_of(responses[-1])["Status"], "SUCCESS")


CALLS = ["RunTask", "DescribeTasks", "DescribeTaskDefinition", "StopTask", "ListTasks",
         "DescribeStacks", "GetSecretValue", "GetParameter", "GetLogEvents"]
for _call in CALLS:
    for _fault in FAULTS:
        def _test(self, call=_call, fault=_fault):
            self.check_cell(call, fault)
        setattr(FaultMatrixTest, "test_%s_%s" % (_call, _fault), _test)


if __name__ == "__main__":
    unittest.main()
