# SPDX-License-Identifier: Apache-2.0
"""`ecs-tasks run`'s options for the verdict rules, on the release binary:
--start-retries, --rerun-on-interruption, --service, --check-container '*',
and the phases a task goes through in the progress lines."""
import unittest

from cfn_support import CLUSTER, FAMILY, Lifecycle, World, failing_first, set_containers
from cli_support import base_args, run_cli

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

    def run_cli(self, *extra, timeout=120):
        return run_cli(W, *base_args(*extra), timeout=timeout)


class RetryOptionsTest(Case):
    def test_transient_failure_retried_by_default(self):
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="transform",
                         transform=failing_first("RESOURCE:MEMORY"))
        code, out, err = self.run_cli()
        self.assertEqual(code, 0, err)
        self.assertEqual(len(W.proxy.requests("RunTask")), 2)
        self.assertIn("did not run (RESOURCE:MEMORY): starting it again in 10 s", err)

    def test_start_retries_zero_fails_at_once(self):
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="transform",
                         transform=failing_first("RESOURCE:MEMORY"))
        code, _, err = self.run_cli("--start-retries", "0")
        self.assertEqual(code, 125, err)
        self.assertIn("RESOURCE:MEMORY", err)
        self.assertEqual(len(W.proxy.requests("RunTask")), 1)

    def test_start_retries_out_of_range_names_the_option(self):
        code, _, err = self.run_cli("--start-retries", "11")
        self.assertEqual(code, 2, err)
        self.assertIn("StartRetries", err.replace("--start-retries", "StartRetries"))

    def test_rerun_on_interruption(self):
        interrupted = set()

        def spot_once(doc):
            for task in doc.get("tasks", []):
                if not interrupted:
                    interrupted.add(task["taskArn"])
                if task["taskArn"] in interrupted:
                    task.update(lastStatus="STOPPED", stopCode="SpotInterruption",
                                containers=[{"name": "app", "lastStatus": "STOPPED"}])
            return doc
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=spot_once)
        code, _, err = self.run_cli()
        self.assertEqual(code, 125, err)
        self.assertIn("Spot capacity was reclaimed", err)
        interrupted.clear()
        W.proxy.clear()
        code, _, err = self.run_cli("--rerun-on-interruption")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(W.proxy.requests("RunTask")), 2)


class ContainersTest(Case):
    def test_every_container_decides(self):
        W.moto.register_task_definition(FAMILY, [
            {"name": "app", "image": "a", "memory": 64, "essential": True},
            {"name": "side", "image": "s", "memory": 64, "essential": False}])
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers([{"name": "app", "exitCode": 0},
                                                   {"name": "side", "exitCode": 2}]))
        code, _, err = self.run_cli()
        self.assertEqual(code, 0, err)
        code, _, err = self.run_cli("--check-container", "*")
        self.assertEqual(code, 2, err)
        self.assertIn("container side exited with code 2", err)


class ServiceOptionTest(Case):
    def test_runs_like_the_service(self):
        subnet, group = W.moto.make_awsvpc_service(CLUSTER, "web", FAMILY)
        code, _, err = self.run_cli("--service", "web")
        self.assertEqual(code, 0, err)
        sent = W.proxy.requests("RunTask")[0]["params"]
        self.assertEqual(sent["launchType"], "FARGATE")
        self.assertEqual(sent["networkConfiguration"]["awsvpcConfiguration"]["subnets"], [subnet])
        code, _, err = self.run_cli("--service", "nope")
        self.assertEqual(code, 125, err)
        self.assertIn("ServiceNotFoundException", err)


class PhasesTest(Case):
    progression = "never"

    def test_progress_names_each_phase(self):
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=Lifecycle())
        code, _, err = self.run_cli()
        self.assertEqual(code, 0, err)
        for status in ("PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "STOPPED"):
            self.assertRegex(err, r"task [0-9a-f-]+ %s \(\d+s\)" % status)
        self.assertRegex(err, r"STOPPED \(\d+s\) after .*PROVISIONING \d+s, PENDING \d+s")
        # Once: the display says it, the engine's log line for the
        # function's log does not repeat it on the terminal.
        self.assertNotRegex(err, r"task [0-9a-f-]+: \w+ after \d+ s in ")


if __name__ == "__main__":
    unittest.main()
