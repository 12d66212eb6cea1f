# SPDX-License-Identifier: Apache-2.0
"""The AWS layer under faults moto cannot produce: throttling, HTTP 500, a
dropped connection, a slow answer. Shows the standard retry mode (attempts,
exponential backoff with jitter, AWS_MAX_ATTEMPTS) and that no call outlives
the caller's deadline."""
import time
import unittest

from harness.fault_proxy import FaultProxy
from harness.moto import MotoServer
from probe import probe

MOTO = PROXY = None
LIST = ("json", "ecs", "ListClusters", "{}")


def setUpModule():
    global MOTO, PROXY
    MOTO = MotoServer().start()
    PROXY = FaultProxy(MOTO.url).start()


def tearDownModule():
    PROXY.stop()
    MOTO.stop()


class FaultTest(unittest.TestCase):
    def setUp(self):
        PROXY.clear_rules()
        PROXY.clear()

    def run_probe(self, *args, deadline_ms=None, max_attempts=None, **env):
        e = MOTO.env(AWS_ENDPOINT_URL=PROXY.url, **env)
        return probe(e, *(args or LIST), deadline_ms=deadline_ms, max_attempts=max_attempts)

    def gaps(self, operation="ListClusters"):
        times = [r["time"] for r in PROXY.requests(operation)]
        return [b - a for a, b in zip(times, times[1:])]

    def test_throttled_twice_then_success(self):
        PROXY.add_rule(match={"operation": "ListClusters"}, fault="throttle", times=2)
        code, out = self.run_probe()
        self.assertEqual(code, 0, out)
        self.assertEqual(len(PROXY.requests("ListClusters")), 3)
        self.assertEqual([r["status"] for r in PROXY.requests()], [400, 400, 200])
        # Backoff: jitter * 2^(n-1) s, so each wait is within its ceiling.
        for gap, ceiling in zip(self.gaps(), (1.0, 2.0)):
            self.assertLess(gap, ceiling + 0.5)
        self.assertIn("ThrottlingException, retry 1/2", out["stderr"] + "")

    def test_http_500_then_success(self):
        PROXY.add_rule(match={"operation": "ListClusters"}, fault="http500", times=1)
        code, out = self.run_probe()
        self.assertEqual(code, 0, out)
        self.assertEqual([r["status"] for r in PROXY.requests()], [500, 200])

    def test_dropped_connection_then_success(self):
        PROXY.add_rule(match={"operation": "ListClusters"}, fault="drop", times=1)
        code, out = self.run_probe()
        self.assertEqual(code, 0, out)
        self.assertEqual(len(PROXY.requests("ListClusters")), 2)

    def test_always_throttled_gives_up_after_max_attempts(self):
        PROXY.add_rule(match={"operation": "ListClusters"}, fault="throttle", times=None)
        code, out = self.run_probe(AWS_MAX_ATTEMPTS="4")
        self.assertEqual(code, 1)
        self.assertEqual(out["error"]["code"], "ThrottlingException")
        self.assertEqual(out["error"]["attempts"], 4)
        self.assertEqual(len(PROXY.requests("ListClusters")), 4)

    def test_max_attempts_1_disables_retries(self):
        PROXY.add_rule(match={"operation": "ListClusters"}, fault="http503", times=1)
        code, out = self.run_probe(AWS_MAX_ATTEMPTS="1")
        self.assertEqual(code, 1)
        self.assertEqual(out["error"]["status"], 503)
        self.assertEqual(len(PROXY.requests("ListClusters")), 1)

    def test_client_errors_are_not_retried(self):
        code, out = self.run_probe("json", "ecs", "DescribeTaskDefinition",
                                   '{"taskDefinition":"nope"}')
        self.assertEqual(code, 1)
        self.assertEqual(out["error"]["code"], "ClientException")
        self.assertEqual(out["error"]["attempts"], 1)

    def test_slow_answer_bounded_by_deadline(self):
        PROXY.add_rule(match={"operation": "ListClusters"}, fault="delay", delay_s=5, times=None)
        started = time.monotonic()
        code, out = self.run_probe(deadline_ms=1500)
        elapsed = time.monotonic() - started
        self.assertEqual(code, 1)
        self.assertIn(out["error"]["code"], ("RequestTimeout", "DeadlineExceeded"))
        self.assertLess(out["elapsed_ms"], 1500 + 300, "the call ended by its deadline")
        self.assertLess(elapsed, 3)

    def test_backoff_never_sleeps_past_deadline(self):
        PROXY.add_rule(match={"operation": "ListClusters"}, fault="throttle", times=None)
        code, out = self.run_probe(deadline_ms=400, AWS_MAX_ATTEMPTS="10")
        self.assertEqual(code, 1)
        self.assertEqual(out["error"]["code"], "ThrottlingException")
        self.assertLess(out["elapsed_ms"], 400 + 200)

    def test_malformed_answer(self):
        PROXY.add_rule(match={"operation": "ListClusters"}, fault="malformed", times=1)
        code, out = self.run_probe(AWS_MAX_ATTEMPTS="1")
        self.assertEqual(code, 1)
        self.assertEqual(out["error"]["code"], "InvalidResponse")

    def test_one_connection_reused(self):
        MOTO.client("ecs").create_cluster(clusterName="default")
        # 250 tasks: three DescribeTasks calls (100 + 100 + 50) in one process.
        code, out = self.run_probe("ecs-describe-tasks", "default",
                                   *["arn:aws:ecs:us-east-1:123456789012:task/default/%032x" % i
                                     for i in range(250)])
        self.assertEqual(code, 0, out)
        calls = PROXY.requests("DescribeTasks")
        self.assertEqual(len(calls), 3)
        self.assertEqual(len({r["connection"] for r in calls}), 1,
                         "one connection per endpoint, reused")


if __name__ == "__main__":
    unittest.main()
