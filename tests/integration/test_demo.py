# SPDX-License-Identifier: Apache-2.0
"""`make demo` (scripts/demo.py) on the release zip: it shows the main job (a
Create that succeeds, `ecs-tasks run`, a failure with exit code 3 and its log
line), exits 0 within a minute, and leaves no process or listening port behind,
also when Ctrl-C or SIGTERM cuts it short."""
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

DEMO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "demo.py")
ZIP = os.environ.get("ECS_TASKS_ZIP", "")


def session_members(sid):
    """The live processes of session sid (field 6 of /proc/PID/stat)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            members.append(int(entry))
    return members


def port_open(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@unittest.skipUnless(os.path.isfile(ZIP), "no release zip: make build")
class DemoTest(unittest.TestCase):
    def run_demo(self, interrupt_at=None, send=None):
        """Runs the demo in a session of its own (as a terminal would run it in
        a process group of its own); once a line starts with interrupt_at,
        calls send(pid). Returns (exit status, output, seconds since the start
        or since send)."""
        with subprocess.Popen([sys.executable, DEMO, ZIP], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              start_new_session=True) as proc:
            # Whatever happens, the session goes: a hung demo, or a child
            # holding the pipe open, ends the reads below instead of hanging.
            guard = threading.Timer(120, self.kill_session, (proc.pid,))
            guard.start()
            self.addCleanup(self.kill_session, proc.pid)
            self.addCleanup(guard.cancel)
            started = time.monotonic()
            lines = []
            for line in proc.stdout:
                lines.append(line)
                if interrupt_at and line.startswith(interrupt_at):
                    send(proc.pid)
                    started = time.monotonic()
                    break
            lines.extend(proc.stdout)
        elapsed = time.monotonic() - started
        out = "".join(lines)
        self.assert_nothing_left(proc.pid, out)
        return proc.returncode, out, elapsed

    @staticmethod
    def kill_session(sid):
        for pid in session_members(sid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def assert_nothing_left(self, sid, out):
        # A child of the demo that outlived it keeps the demo's session.
        deadline = time.monotonic() + 2  # time for init to reap a late zombie
        while session_members(sid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(session_members(sid), [], "processes left behind\n" + out)
        ports = {int(p) for p in re.findall(r"http://127\.0\.0\.1:(\d+)", out)}
        self.assertEqual(len(ports), 4, "moto, proxy, ResponseURL, Runtime API\n" + out)
        self.assertEqual([p for p in sorted(ports) if port_open(p)], [], out)

    def test_shows_the_main_job(self):
        code, out, seconds = self.run_demo()
        self.assertEqual(code, 0, out)
        self.assertLess(seconds, 60, out)
        # 1: the function's log and the SUCCESS response, with the task's ARN.
        self.assertIn("INFO [", out)
        self.assertRegex(out, r'"Status": "SUCCESS",\s+"PhysicalResourceId": '
                              r'"arn:aws:ecs:us-east-1:\d+:task/demo/[0-9a-f-]+"')
        # A task's life as ECS reports it, with the time spent in each status.
        for before, after in (("PROVISIONING", "PENDING"), ("PENDING", "ACTIVATING"),
                              ("DEPROVISIONING", "STOPPED")):
            self.assertRegex(out, r"task [0-9a-f-]+: %s after \d+ s in %s" % (after, before))
        # 2: the CLI with --logs.
        self.assertIn("[app] 2 migrations applied", out)
        self.assertIn("ecs-tasks run exited 0", out)
        # 3: FAILED with the exit code and the app's log line in the Reason.
        self.assertRegex(out, r'"Status": "FAILED",\s+"Reason": "Task [0-9a-f-]+: container app '
                              r'exited with code 3\.[^"]*ERROR: relation users already exists')
        self.assertIn("[app] ERROR: relation users already exists", out)
        self.assertIn("ecs-tasks run exited 3", out)
        self.assertIn("All stopped", out)

    def assert_interrupted(self, at, send, signum):
        """Interrupts the demo when a line starts with `at` (send(pid)); it
        must exit with 128 + signum within 15 s, having stopped everything."""
        code, out, seconds = self.run_demo(at, send)
        self.assertEqual(code, 128 + signum, out)
        self.assertIn("Interrupted (%s)" % signal.Signals(signum).name, out)
        self.assertIn("All stopped", out)
        self.assertLess(seconds, 15, out)

    def test_ctrl_c_stops_everything(self):
        # Ctrl-C: the terminal signals the whole foreground process group,
        # here while the function is serving the Create.
        self.assert_interrupted("1. ", lambda pid: os.killpg(pid, signal.SIGINT), signal.SIGINT)

    def test_sigterm_to_the_demo_alone_stops_its_children(self):
        # Only the demo gets the signal, while `ecs-tasks run` is running (it
        # prints the task ARN first): the demo itself must stop every child.
        self.assert_interrupted("arn:aws:ecs:", lambda pid: os.kill(pid, signal.SIGTERM),
                                signal.SIGTERM)

if __name__ == "__main__":
    unittest.main()
