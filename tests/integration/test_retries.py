# SPDX-License-Identifier: Apache-2.0
"""One verdict on every path, on the release binary (README: Failures to
start, What a failure looks like): transient failures to start are retried
with backoff and a token per round, the tasks that did start keep running,
Spot interruptions, stop codes in words, every container deciding, running
like a service, the newest log lines kept, the phases a task goes through,
and a duplicate delivery in the middle of retries."""
import json
import threading
import time
import unittest

from cfn_support import (CLUSTER, FAMILY, Lifecycle, World, body_of, event,
                         failing_first, props, set_containers)
from harness.shard import load_tests  # noqa: F401 (ctest runs it in slices)

W = None
JSON_HDR = {"Content-Type": "application/x-amz-json-1.1"}


def setUpModule():
    global W
    W = World()


def tearDownModule():
    W.close()


class Case(unittest.TestCase):
    progression = "immediate"

    def setUp(self):
        W.fresh(self.progression)
        self.rt = W.emulator_for(self, timeout_s=120)

    def send(self, ev, timeout=120):
        return body_of(W.one_response(self, self.rt, ev, timeout))

    def log(self):
        return "\n".join(self.rt.log_lines)

    def calls(self, operation):
        return W.proxy.requests(operation)


class StartRetryTest(Case):
    def test_resource_memory_then_success(self):
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="transform",
                         transform=failing_first("RESOURCE:MEMORY"))
        body = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        runs = self.calls("RunTask")
        self.assertEqual(len(runs), 2)
        tokens = [r["params"]["clientToken"] for r in runs]
        self.assertNotEqual(tokens[0], tokens[1], "each round has its own token")
        self.assertEqual([len(t) for t in tokens], [32, 32])
        self.assertGreaterEqual(runs[1]["time"] - runs[0]["time"], 9.5, "10 s of backoff")
        self.assertEqual(body["Data"]["TaskArn"], body["PhysicalResourceId"])
        self.assertRegex(self.log(), r"did not run \(RESOURCE:MEMORY\): starting it again in "
                                     r"10 s \(attempt 2\)")

    def test_not_transient_fails_at_once(self):
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="transform",
                         transform=failing_first("ATTRIBUTE"))
        body = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("RunTask started 0 of 1 task(s)", body["Reason"])
        self.assertIn(": ATTRIBUTE", body["Reason"])
        self.assertEqual(len(self.calls("RunTask")), 1)

    def test_retries_exhausted(self):
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="transform", times=None,
                         transform=failing_first("RESOURCE:CPU"))
        body = self.send(event(W, "Create", props(StartRetries="1")))
        self.assertEqual(body["Status"], "FAILED")
        self.assertEqual(len(self.calls("RunTask")), 2)
        self.assertIn("RunTask started 0 of 1 task(s)", body["Reason"])
        self.assertIn("attempt 2 of at most 2; earlier attempts: RESOURCE:CPU", body["Reason"])

    def test_partial_start_keeps_the_started_task(self):
        W.moto.set_ecs_transition(progression="manual", times=3)
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="transform",
                         transform=failing_first("RESOURCE:MEMORY"))
        body = self.send(event(W, "Create", props(Count="2")))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        self.assertEqual(self.calls("StopTask"), [], "the task that started kept running")
        runs = self.calls("RunTask")
        self.assertEqual([r["params"]["count"] for r in runs], [2, 1])
        self.assertEqual(len(body["Data"]["TaskArns"].split(",")), 2)

    def test_network_interface_failure_restarted(self):
        failed_to_start = set()

        def eni_timeout(doc):
            for task in doc.get("tasks", []):
                if not failed_to_start:
                    failed_to_start.add(task["taskArn"])
                if task["taskArn"] in failed_to_start:
                    task.update(lastStatus="STOPPED", stopCode="TaskFailedToStart",
                                stoppedReason="Timeout waiting for network interface "
                                              "provisioning to complete.",
                                containers=[{"name": "app", "lastStatus": "STOPPED"}])
            return doc
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=eni_timeout)
        body = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        self.assertEqual(len(self.calls("RunTask")), 2)
        self.assertNotIn(body["PhysicalResourceId"], failed_to_start)
        self.assertIn("network interface provisioning", self.log())


class DuplicateDeliveryTest(Case):
    """The same event delivered twice, at once, while its start is retried:
    both deliveries replay the same rounds with the same tokens, so ECS
    (whose idempotency the proxy plays) starts the task once."""

    def test_duplicate_delivery_during_retries(self):
        W.proxy.honour_client_token("RunTask")
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="transform",
                         transform=failing_first("RESOURCE:MEMORY"))
        other = W.emulator_for(self, timeout_s=120)
        ev = event(W, "Create", props())
        results = {}
        threads = [threading.Thread(target=lambda rt=rt: results.setdefault(
                       id(rt), rt.invoke(ev, timeout=120))) for rt in (self.rt, other)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual([r["kind"] for r in results.values()], ["response", "response"])
        bodies = [body_of(r) for r in W.catcher.responses()]
        self.assertEqual(len(bodies), 2)
        self.assertEqual({b["Status"] for b in bodies}, {"SUCCESS"})
        self.assertEqual(bodies[0]["PhysicalResourceId"], bodies[1]["PhysicalResourceId"])
        tokens = [r["params"]["clientToken"] for r in self.calls("RunTask")]
        self.assertEqual(len(set(tokens)), 2, "two rounds, each token used by both deliveries")
        started = {t["taskArn"] for r in self.calls("RunTask")
                   for t in json.loads(r["response"] or b"{}").get("tasks", [])}
        self.assertEqual(len(started), 1, "one task started, not two")


class InterruptionTest(Case):
    def spot(self, times=1):
        interrupted = set()

        def spot_once(doc):
            for task in doc.get("tasks", []):
                if len(interrupted) < times:
                    interrupted.add(task["taskArn"])
                if task["taskArn"] in interrupted:
                    task.update(lastStatus="STOPPED", stopCode="SpotInterruption",
                                stoppedReason="Your Spot Task was interrupted.",
                                containers=[{"name": "app", "lastStatus": "STOPPED"}])
            return doc
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=spot_once)
        return interrupted

    def test_spot_interruption_fails_without_rerun(self):
        self.spot()
        body = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("interrupted before its containers exited", body["Reason"])
        self.assertIn("SpotInterruption (Spot capacity was reclaimed)", body["Reason"])
        self.assertIn("set RerunOnInterruption", body["Reason"])
        self.assertEqual(len(self.calls("RunTask")), 1)

    def test_spot_interruption_rerun(self):
        interrupted = self.spot()
        body = self.send(event(W, "Create", props(RerunOnInterruption="true")))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        self.assertEqual(len(self.calls("RunTask")), 2)
        self.assertNotIn(body["PhysicalResourceId"], interrupted)


class WordsTest(Case):
    def test_oom_names_the_memory_limit(self):
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers(
                             [{"name": "app", "exitCode": 137,
                               "reason": "OutOfMemoryError: Container killed due to memory "
                                         "usage"}], stop_code="EssentialContainerExited"))
        body = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("container app exited with code 137: killed for exceeding its memory "
                      "limit of 128 MiB (OutOfMemoryError", body["Reason"])
        self.assertIn("task stopped: EssentialContainerExited (an essential container exited)",
                      body["Reason"])
        self.assertEqual(body["Data"]["ExitCode"], "137")

    def test_every_container_decides_with_star(self):
        W.moto.register_task_definition(FAMILY, [
            {"name": "app", "image": "a", "memory": 64, "essential": True},
            {"name": "side", "image": "s", "memory": 64, "essential": False}])
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers([{"name": "app", "exitCode": 0},
                                                   {"name": "side", "exitCode": 2}]))
        body = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "SUCCESS", "by default only the essential app decides")
        body = self.send(event(W, "Create", props(CheckContainers="*")))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("container side exited with code 2", body["Reason"])
        self.assertEqual(body["Data"]["ExitCode"], "2")

    def test_newest_log_lines_kept(self):
        """The issue's example: thirty 450-byte progress lines, then the two
        error lines; the Reason ends with the errors."""
        lines = ["progress %02d " % i + "p" * 438 for i in range(1, 31)]
        lines += ['ERROR: relation "users" already exists', "migration 42 failed"]
        events = [{"timestamp": 1764547200000 + i, "message": m, "ingestionTime": 1}
                  for i, m in enumerate(lines[-20:])]
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers([{"name": "app", "exitCode": 3}]))
        W.proxy.add_rule(match={"operation": "GetLogEvents"}, fault="status", status=200,
                         headers=JSON_HDR, times=None, body=json.dumps(
                             {"events": events, "nextForwardToken": "f/1",
                              "nextBackwardToken": "b/1"}).encode())
        body = self.send(event(W, "Create", props()))
        reason = body["Reason"]
        self.assertTrue(reason.endswith('\nERROR: relation "users" already exists\n'
                                        "migration 42 failed"), reason[-200:])
        self.assertIn("progress 30 ", reason)
        self.assertRegex(reason, r"\. Last \d+ of 20 log lines \(/ecs/migrate ecs/app/")


class PhasesTest(Case):
    progression = "never"

    def test_phases_and_time_in_each(self):
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=Lifecycle())
        body = self.send(event(W, "Create", props(PollInterval="1")))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        log = self.log()
        for before, after in (("PROVISIONING", "PENDING"), ("PENDING", "ACTIVATING"),
                              ("ACTIVATING", "RUNNING"), ("RUNNING", "DEACTIVATING"),
                              ("DEPROVISIONING", "STOPPED")):
            self.assertRegex(log, r"task [0-9a-f-]+: %s after \d+ s in %s" % (after, before))


class ServiceTest(Case):
    def setUp(self):
        super().setUp()
        self.subnet, self.group = W.moto.make_awsvpc_service(CLUSTER, "web", FAMILY)

    def test_runs_like_the_service(self):
        body = self.send(event(W, "Create", props(Service="web")))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        self.assertEqual(len(self.calls("DescribeServices")), 1)
        sent = self.calls("RunTask")[0]["params"]
        self.assertEqual(sent["launchType"], "FARGATE")
        self.assertEqual(sent["platformVersion"], "1.4.0")
        vpc = sent["networkConfiguration"]["awsvpcConfiguration"]
        self.assertEqual(vpc["subnets"], [self.subnet])
        self.assertEqual(vpc["securityGroups"], [self.group])

    def test_explicit_network_configuration_wins(self):
        mine = {"AwsvpcConfiguration": {"Subnets": [self.subnet], "SecurityGroups": [self.group],
                                        "AssignPublicIp": "ENABLED"}}
        body = self.send(event(W, "Create", props(Service="web", NetworkConfiguration=mine)))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        sent = self.calls("RunTask")[0]["params"]
        self.assertEqual(sent["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"],
                         "ENABLED")
        self.assertEqual(sent["launchType"], "FARGATE", "what was not given still comes from it")

    def test_unknown_service_fails_clearly(self):
        body = self.send(event(W, "Create", props(Service="nope")))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("Service: DescribeServices of nope failed: ServiceNotFoundException",
                      body["Reason"])
        self.assertEqual(self.calls("RunTask"), [])

    def test_read_only_when_a_task_starts(self):
        # Nothing to run (Count 0, an Update that does not run): no
        # DescribeServices, so a service gone since does not fail the request.
        body = self.send(event(W, "Create", props(Service="nope", Count="0")))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        body = self.send(event(W, "Update", props(Service="nope", RunOnUpdate="false"),
                               physical="ecs-tasks-id", old=props(Service="nope")))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        self.assertEqual(self.calls("DescribeServices"), [])
        self.assertEqual(self.calls("RunTask"), [])


if __name__ == "__main__":
    unittest.main()
