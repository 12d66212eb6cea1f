# SPDX-License-Identifier: Apache-2.0
"""`ecs-tasks run` cancelled: SIGINT and SIGTERM delivered to the real process
while its tasks run in moto. The first signal stops the tasks the run started
(StopTask with the cancel reason), follows them until they stopped, prints
their final state and log tail and exits 128 + the signal; a second signal
exits at once; --no-wait stops nothing; --attach detaches."""
import signal
import time
import unittest

from cfn_support import CLUSTER, World, set_containers
from cli_support import (Running, base_args, keep_running, start_task_elsewhere, task_status,
                         write_log)
from harness.util import wait_until

W = None
CANCEL_REASON = "interrupted: ecs-tasks run was cancelled"


def setUpModule():
    global W
    W = World()


def tearDownModule():
    W.close()


class CancelTest(unittest.TestCase):
    def setUp(self):
        W.fresh("never")  # tasks run until something stops them

    def cancel_running_task(self, sig, code):
        # Stopped, the app exits 143 (SIGTERM) after logging why.
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers([{"name": "app", "exitCode": 143}],
                                                  stop_code="UserInitiated",
                                                  stopped_reason=CANCEL_REASON))
        cli = Running(W, *base_args("--timeout", "300", "--count", "2"))
        cli.wait_for_stderr(" RUNNING ")
        arns = W.moto.client("ecs").list_tasks(cluster=CLUSTER)["taskArns"]
        self.assertEqual(len(arns), 2)
        for arn in arns:
            write_log(W, arn, ["received SIGTERM", "rolling back the migration"])
        cli.signal(sig)
        code_, out, err, took = cli.finish()
        self.assertEqual(code_, code, err)
        self.assertLess(took, 15, "stops and settles within the bound")
        name = "SIGINT" if sig == signal.SIGINT else "SIGTERM"
        self.assertIn("cancelled by %s: stopping 2 task(s)" % name, err)
        stops = W.proxy.requests("StopTask")
        self.assertEqual(sorted(r["params"]["task"] for r in stops), sorted(arns))
        for r in stops:
            self.assertEqual(r["params"]["reason"], CANCEL_REASON)
            self.assertEqual(r["params"]["cluster"], CLUSTER)
        # The final state, after the stop: a STOPPED line per task, the
        # verdict with the log tail.
        after = err[err.index("stopping 2 task(s)"):]
        self.assertRegex(after, r"task [0-9a-f-]+ STOPPED \(\d+s\) after RUNNING")
        self.assertIn("cancelled by %s: the task(s) were stopped. Task " % name, after)
        self.assertIn("container app exited with code 143", after)
        self.assertIn("UserInitiated", after)
        self.assertIn("  | rolling back the migration", after)
        self.assertEqual(sorted(out.split()), sorted(arns), "the ARNs were printed first")
        # Nothing was started after the signal.
        self.assertEqual(len(W.proxy.requests("RunTask")), 1)
        for arn in arns:
            self.assertEqual(task_status(W, arn), "STOPPED")

    def test_sigint_stops_the_tasks_and_exits_130(self):
        self.cancel_running_task(signal.SIGINT, 130)

    def test_sigterm_stops_the_tasks_and_exits_143(self):
        self.cancel_running_task(signal.SIGTERM, 143)

    def test_second_signal_exits_at_once(self):
        # The tasks take long to stop: the run follows them for up to 30 s...
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=keep_running())
        cli = Running(W, *base_args("--timeout", "300"))
        cli.wait_for_stderr(" RUNNING ")
        cli.signal(signal.SIGINT)
        cli.wait_for_stderr("stopping 1 task(s)")
        wait_until(lambda: W.proxy.requests("StopTask"), 10, what="StopTask")
        time.sleep(0.5)
        # ...unless a second signal comes.
        cli.signal(signal.SIGTERM)
        code, _, err, took = cli.finish(timeout=20)
        self.assertEqual(code, 143, err)
        self.assertLess(took, 1.5)
        self.assertEqual(len(W.proxy.requests("StopTask")), 1)

    def test_signal_while_run_task_is_answered_stops_what_it_started(self):
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="delay", delay_s=1.5)
        cli = Running(W, *base_args("--timeout", "300"))
        wait_until(lambda: W.proxy.requests("RunTask"), 20, what="RunTask")
        cli.signal(signal.SIGINT)
        code, out, err, _ = cli.finish()
        self.assertEqual(code, 130, err)
        arn = out.strip()
        self.assertRegex(arn, r":task/")
        self.assertEqual([r["params"]["task"] for r in W.proxy.requests("StopTask")], [arn])
        self.assertEqual(W.proxy.requests("DescribeTasks")[0]["params"]["tasks"], [arn])

    def test_signal_before_any_start_starts_nothing(self):
        arn = W.moto.create_secret("cancel/token", "tok-" + "z" * 20)
        W.proxy.add_rule(match={"operation": "GetSecretValue"}, fault="delay", delay_s=1.5)
        cli = Running(W, *base_args("--container", "app", "--env",
                                    "TOKEN={{resolve:secretsmanager:%s}}" % arn))
        wait_until(lambda: W.proxy.requests("GetSecretValue"), 20, what="GetSecretValue")
        cli.signal(signal.SIGINT)
        code, out, err, _ = cli.finish()
        self.assertEqual(code, 130, err)
        self.assertIn("cancelled by SIGINT before any task started", err)
        self.assertEqual(out, "")
        self.assertEqual(W.proxy.requests("RunTask"), [])

    def test_no_wait_is_handed_off_not_stopped(self):
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="delay", delay_s=1.5)
        cli = Running(W, *base_args("--no-wait"))
        wait_until(lambda: W.proxy.requests("RunTask"), 20, what="RunTask")
        cli.signal(signal.SIGINT)
        code, out, err, _ = cli.finish()
        self.assertEqual(code, 130, err)
        arn = out.strip()
        self.assertRegex(arn, r":task/", "the ARN of the task handed off is printed")
        self.assertEqual(W.proxy.requests("StopTask"), [])
        self.assertEqual(W.proxy.requests("DescribeTasks"), [])
        self.assertEqual(task_status(W, arn), "RUNNING")

    def test_attach_detaches_without_stopping(self):
        arn = start_task_elsewhere(W)
        for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
            with self.subTest(signal=sig):
                W.proxy.clear()
                cli = Running(W, "run", "--attach", arn, "--poll-interval", "1")
                cli.wait_for_stderr(" RUNNING ")
                cli.signal(sig)
                code_, out, err, took = cli.finish()
                self.assertEqual(code_, code, err)
                self.assertLess(took, 5)
                self.assertIn("detached", err)
                self.assertEqual(W.proxy.requests("StopTask"), [])
                self.assertEqual(W.proxy.requests("RunTask"), [])
                self.assertEqual(task_status(W, arn), "RUNNING")


if __name__ == "__main__":
    unittest.main()
