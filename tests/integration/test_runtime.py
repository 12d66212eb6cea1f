# SPDX-License-Identifier: Apache-2.0
"""The Lambda runtime loop of the built binary, through our Runtime API emulator.

Covers the runtime behaviour (README: Logging): events that are not CloudFormation requests go to
/error, the process serves the next event after any error, start-up failures
go to /init/error, and 200+ events under valgrind leave no error and no leak.
"""
import json
import os
import shutil
import time
import unittest

from cfn_support import BIN, World, event, props
from harness.runtime_emulator import RuntimeEmulator
from harness.shard import load_tests  # noqa: F401 (ctest runs it in slices)

W = None


def setUpModule():
    global W
    W = World()


def tearDownModule():
    W.close()


class RuntimeLoopTest(unittest.TestCase):
    def setUp(self):
        W.fresh("immediate")

    def run_events(self, events, env=None, wrapper=None, timeout_s=60):
        with RuntimeEmulator(BIN, env=env or W.env(), timeout_s=timeout_s,
                             wrapper=wrapper) as rt:
            results = [rt.invoke(ev, timeout=timeout_s) for ev in events]
            code = rt.stop()
            return results, code, rt.log_lines

    def test_errors_then_success(self):
        events = [b"\x00\xff not json", b"[]", {"no": "response url"},
                  event(W, "Create", props(Count="0"))]
        results, _, log = self.run_events(events)
        self.assertEqual([r["kind"] for r in results], ["error", "error", "error", "response"],
                         "\n".join(log))
        for r in results[:3]:
            self.assertEqual(r["error_type"], "InvalidEvent")
        self.assertEqual(len(W.catcher.responses()), 1)

    def test_json_logs(self):
        _, _, log = self.run_events([event(W, "Create", props(Count="0"))],
                                    env=W.env(AWS_LAMBDA_LOG_FORMAT="JSON"))
        lines = [json.loads(line) for line in log if line.startswith("{")]
        self.assertTrue(lines, "\n".join(log))
        for line in lines:
            self.assertIn(line["level"], ("DEBUG", "INFO", "WARN", "ERROR"))
            self.assertIn("requestId", line)

    def test_log_level_error_is_quiet(self):
        _, _, log = self.run_events([event(W, "Create", props(Count="0"))],
                                    env=W.env(AWS_LAMBDA_LOG_LEVEL="ERROR"))
        self.assertFalse([line for line in log if line.startswith("INFO")], "\n".join(log))

    def test_init_error_without_region(self):
        env = W.env(AWS_REGION=None, AWS_DEFAULT_REGION=None)
        env.pop("AWS_REGION", None)
        env.pop("AWS_DEFAULT_REGION", None)
        with RuntimeEmulator(BIN, env=env, timeout_s=10) as rt:
            deadline = time.time() + 10
            while not rt.init_errors() and time.time() < deadline:
                time.sleep(0.05)
            errors = rt.init_errors()
        self.assertTrue(errors, "start-up failure reported on /init/error")
        self.assertIn("region", str(errors[0]).lower())


def rss_kib(pid):
    """Resident set size of a process, from /proc/PID/status."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS for %d" % pid)


def soak_events(n, physical):
    """n events cycling through every kind the loop handles: bad input, a
    Delete of an unknown and of a real run, Creates that start nothing, start
    and return, and (one in 50) wait for the task to stop."""
    kinds = [
        lambda i: b"garbage %d" % i,
        lambda i: {"not": "cloudformation"},
        lambda i: event(W, "Delete", props(), physical="not-a-task-%d" % i),
        lambda i: event(W, "Delete", props(), physical=physical),
        lambda i: event(W, "Create", props(Count="0")),
        lambda i: event(W, "Create", props(Timeout="0")),
        lambda i: event(W, "Create", props(Count="11")),
    ]
    return [event(W, "Create", props()) if i % 50 == 49 else kinds[i % len(kinds)](i)
            for i in range(n)]


class SoakTest(unittest.TestCase):
    """1,000 events through one process: its memory does not grow (RSS after
    1,000 within 1 MB of RSS after 100) and, in the sanitizer variant,
    LeakSanitizer finds no leak when the process exits."""

    def test_thousand_events(self):
        W.fresh("immediate")
        with RuntimeEmulator(BIN, env=W.env(), timeout_s=30) as rt:
            first = rt.invoke(event(W, "Create", props(Timeout="0")))
        physical = json.loads(W.catcher.responses()[-1]["body"])["PhysicalResourceId"]
        events = soak_events(1000, physical)
        # One event more than the soak: the process stays up to be measured,
        # then the last event lets it exit by itself (LeakSanitizer reports then).
        env = W.env(ECS_TASKS_MAX_EVENTS=str(len(events) + 1))
        with RuntimeEmulator(BIN, env=env, timeout_s=30) as rt:
            for ev in events[:100]:
                rt.enqueue(ev)
            rt.wait_results(100, timeout=300)
            pid = rt.proc.pid
            after_100 = rss_kib(pid)
            for ev in events[100:]:
                rt.enqueue(ev)
            rt.wait_results(1000, timeout=900)
            after_1000 = rss_kib(pid)
            self.assertEqual(rt.proc.pid, pid, "one process served all 1,000 events")
            rt.enqueue(event(W, "Create", props(Count="0")))
            code = rt.wait_exit(timeout=60)
            log = "\n".join(rt.log_lines)
        kinds = [r["kind"] for r in rt.results()]
        self.assertEqual(first["kind"], "response")
        self.assertEqual(kinds.count("error"), sum(1 for e in events if not isinstance(e, dict)
                                                   or "RequestType" not in e), log[-3000:])
        self.assertEqual(len(kinds), 1001)
        self.assertEqual(code, 0, "exit status (LeakSanitizer in the sanitizer variant):\n"
                         + log[-5000:])
        print("RSS after 100 events: %d KiB, after 1000: %d KiB" % (after_100, after_1000))
        if not os.environ.get("ECS_TASKS_VARIANT"):  # ASan's allocator holds freed memory
            self.assertLess(after_1000 - after_100, 1024,
                            "RSS grew from %d KiB to %d KiB" % (after_100, after_1000))


@unittest.skipUnless(shutil.which("valgrind"), "valgrind is not installed")
@unittest.skipIf(os.environ.get("ECS_TASKS_VARIANT"), "valgrind runs on the normal build only")
class ValgrindSoakTest(unittest.TestCase):
    """200+ events of every kind through one process under valgrind."""

    def test_no_errors_no_leaks(self):
        W.fresh("immediate")
        events = []
        for i in range(60):
            events.append(b"garbage %d" % i)
            events.append({"not": "cloudformation"})
            events.append(event(W, "Delete", props(), physical="not-a-task-%d" % i))
            events.append(event(W, "Create", props(Count="0")))
        for i in range(12):
            events.append(event(W, "Create", props(Timeout="0")))
            events.append(event(W, "Create", props(Count="11")))
        wrapper = ["valgrind", "--quiet", "--error-exitcode=99", "--leak-check=full",
                   "--errors-for-leak-kinds=definite,indirect", "--show-leak-kinds=definite,indirect"]
        env = W.env(ECS_TASKS_MAX_EVENTS=str(len(events)))
        # valgrind follows the dynamically linked development build of the same sources.
        binary = os.environ.get("ECS_TASKS_DEV_BIN", BIN)
        with RuntimeEmulator(binary, env=env, timeout_s=120, wrapper=wrapper) as rt:
            for ev in events:
                rt.enqueue(ev)
            rt.wait_results(len(events), timeout=600)
            code = rt.wait_exit(timeout=120)
            log = "\n".join(rt.log_lines)
        self.assertGreaterEqual(len(events), 200)
        kinds = [r["kind"] for r in rt.results()]
        self.assertEqual(kinds.count("error"), 120, log[-5000:])
        self.assertEqual(kinds.count("response"), len(events) - 120, log[-5000:])
        self.assertEqual(code, 0, "valgrind found errors or leaks:\n" + log[-5000:])


if __name__ == "__main__":
    unittest.main()
