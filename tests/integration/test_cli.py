# SPDX-License-Identifier: Apache-2.0
"""`ecs-tasks run` and `ecs-tasks invoke`, the built binary against moto and
the fault proxy: exit codes, plain progress output, --no-wait, usage errors
that name the option, every RunTask member's option reaching the request,
the release binary as the CLI (`bootstrap run`), and the help, man page and
README covering every option. Signals: test_cli_cancel.py; --json, GitHub
Actions, --dry-run, --attach: test_cli_ci.py; the tarballs: test_cli_dist.py."""
import json
import re
import os
import subprocess
import tempfile
import time
import unittest

from cfn_support import (CLUSTER, FAMILY, World, body_of, cli_binary, event, props,
                         set_containers)
from harness import transcript

W = None
BIN = os.environ.get("ECS_TASKS_BIN", "")


def setUpModule():
    global W, BIN
    W = World()
    BIN = cli_binary()


def tearDownModule():
    W.close()


class CliTest(unittest.TestCase):
    progression = "immediate"

    def setUp(self):
        W.fresh(self.progression)

    def run_cli(self, *args, timeout=60):
        proc = subprocess.run([BIN] + list(args), env=W.env(), capture_output=True, text=True,
                              timeout=timeout)
        transcript.output(proc.stdout)
        transcript.output(proc.stderr)
        return proc.returncode, proc.stdout, proc.stderr

    def base(self, *extra):
        return ["run", "--cluster", CLUSTER, "--task-definition", FAMILY, "--poll-interval", "1"
                ] + list(extra)

    def test_success_exit_0_with_progress(self):
        code, out, err = self.run_cli(*self.base())
        self.assertEqual(code, 0, err)
        self.assertRegex(out.strip(), r"^arn:aws:ecs:us-east-1:123456789012:task/")
        self.assertRegex(err, r"\d\d:\d\d:\d\d task [0-9a-f-]+ STOPPED \(\d+s\)")
        self.assertIn("success (exit code 0)", err)

    def test_exit_code_of_the_container(self):
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers([{"name": "app", "exitCode": 3}]))
        code, out, err = self.run_cli(*self.base())
        self.assertEqual(code, 3, err)
        self.assertIn("container app exited with code 3", err)

    def test_no_exit_code_is_125(self):
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers([{"name": "app", "exitCode": None,
                                                    "reason": "CannotPullContainerError: x"}]))
        code, _, err = self.run_cli(*self.base())
        self.assertEqual(code, 125, err)
        self.assertIn("CannotPullContainerError", err)

    def test_failed_to_start_is_125(self):
        def no_capacity(doc):
            doc["tasks"], doc["failures"] = [], [{"arn": "x", "reason": "ATTRIBUTE"}]
            return doc
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="transform", transform=no_capacity)
        code, _, err = self.run_cli(*self.base())
        self.assertEqual(code, 125, err)
        self.assertIn("ATTRIBUTE", err)

    def test_aws_refused_is_125(self):
        code, _, err = self.run_cli("run", "--cluster", "nope", "--task-definition", FAMILY)
        self.assertEqual(code, 125)
        self.assertIn("ClusterNotFoundException", err)

    def test_usage_errors_are_2(self):
        for args in (["run"], ["run", "--cluster", CLUSTER], self.base("--count", "11"),
                     self.base("--bogus"), self.base("--env", "NOEQUALS", "--container", "app"),
                     self.base("--command", "x"), self.base("--overrides", "{bad"), ["frobnicate"]):
            code, _, err = self.run_cli(*args)
            self.assertEqual(code, 2, (args, err))
        self.assertEqual(W.proxy.requests(), [])

    def test_every_run_task_option_reaches_the_request(self):
        code, out, err = self.run_cli(*self.base(
            "--capacity-provider", "FARGATE:1:2", "--capacity-provider", "FARGATE_SPOT:3",
            "--platform-version", "1.4.0", "--tag", "team=db", "--tag", "empty=",
            "--propagate-tags", "TASK_DEFINITION", "--enable-execute-command",
            "--enable-ecs-managed-tags", "--started-by", "release_42-a", "--group", "migrations",
            "--placement-constraint", "memberOf:attribute:ecs.instance-type =~ t3.*",
            "--placement-constraint", "distinctInstance",
            "--placement-strategy", "spread:attribute:ecs.availability-zone",
            "--placement-strategy", "random"))
        self.assertEqual(code, 0, err)
        p = W.proxy.requests("RunTask")[0]["params"]
        self.assertEqual(p["capacityProviderStrategy"], [
            {"capacityProvider": "FARGATE", "weight": 1, "base": 2},
            {"capacityProvider": "FARGATE_SPOT", "weight": 3}])
        self.assertEqual(p["platformVersion"], "1.4.0")
        self.assertEqual(p["tags"], [{"key": "team", "value": "db"}, {"key": "empty", "value": ""}])
        self.assertEqual(p["propagateTags"], "TASK_DEFINITION")
        self.assertIs(p["enableExecuteCommand"], True)
        self.assertIs(p["enableECSManagedTags"], True)
        self.assertEqual(p["startedBy"], "release_42-a")
        self.assertEqual(p["group"], "migrations")
        self.assertEqual(p["placementConstraints"], [
            {"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t3.*"},
            {"type": "distinctInstance"}])
        self.assertEqual(p["placementStrategy"], [
            {"type": "spread", "field": "attribute:ecs.availability-zone"}, {"type": "random"}])
        self.assertNotIn("launchType", p)
        self.assertIsNone(W.proxy.requests("RunTask")[0]["invalid"])
        # The run follows its tasks by that startedBy.
        described = W.moto.client("ecs").describe_tasks(cluster=CLUSTER, tasks=[out.strip()])
        self.assertEqual(described["tasks"][0]["startedBy"], "release_42-a")

    def test_container_instance_uses_start_task(self):
        code, out, err = self.run_cli(*self.base("--container-instance", W.instance_arn,
                                                 "--group", "g1"))
        self.assertEqual(code, 0, err)
        self.assertEqual(W.proxy.requests("RunTask"), [])
        p = W.proxy.requests("StartTask")[0]["params"]
        self.assertEqual((p["containerInstances"], p["group"]), ([W.instance_arn], "g1"))

    def test_usage_errors_name_the_option(self):
        cases = [
            (["--count", "11"], "--count: '11' is not allowed (an integer from 0 to 10)"),
            (["--timeout", "x"], "--timeout: 'x' is not allowed"),
            (["--overrides", '{"containerOverrides":[{"name":"app","Comand":["x"]}]}'],
             "--overrides: containerOverrides[0].Comand: unknown key (did you mean Command?)"),
            (["--propagate-tags", "ALL"], "--propagate-tags: 'ALL' is not allowed"),
            (["--launch-type", "fargate"], "--launch-type: 'fargate' is not allowed"),
            (["--started-by", "x" * 37], "--started-by: '%s' is not allowed (1 to 36" % ("x" * 37)),
            (["--started-by", "a/b"], "--started-by: 'a/b' is not allowed"),
            (["--capacity-provider", "FARGATE:1001"], "--capacity-provider: 'FARGATE:1001'"),
            (["--capacity-provider", "FARGATE", "--launch-type", "FARGATE"],
             "--capacity-provider and --launch-type exclude each other"),
            (["--tag", "novalue"], "--tag: 'novalue' is not K=V"),
            (["--placement-constraint", "memberOf"], "--placement-constraint: 'memberOf'"),
            (["--placement-strategy", "pack:cpu"], "--placement-strategy: 'pack:cpu'"),
            (["--security-groups", "sg-1"], "--subnets: required with --security-groups"),
            (["--check-container", ""], "--check-container #1: '' is not allowed"),
            (["--container-instance", "ci", "--launch-type", "EC2"],
             "--launch-type: not allowed with"),
        ]
        for extra, message in cases:
            with self.subTest(extra=extra):
                code, out, err = self.run_cli(*self.base(*extra))
                self.assertEqual(code, 2, err)
                self.assertIn("ecs-tasks run: " + message, err)
                self.assertEqual(out, "")
        self.assertEqual(W.proxy.requests(), [])

    def test_release_binary_is_the_cli(self):
        """`bootstrap run ...` is the CLI, even where the Runtime API is set;
        without arguments it is the Lambda function."""
        link = os.path.join(tempfile.mkdtemp(), "bootstrap")
        self.addCleanup(__import__("shutil").rmtree, os.path.dirname(link))
        os.symlink(os.environ.get("ECS_TASKS_BIN") or BIN, link)
        env = W.env(AWS_LAMBDA_RUNTIME_API="127.0.0.1:9")
        proc = subprocess.run([link] + self.base(), env=env, capture_output=True, text=True,
                              timeout=60)
        transcript.output(proc.stdout + proc.stderr)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout.strip(), r":task/")
        proc = subprocess.run([link, "--version"], env=env, capture_output=True, text=True)
        self.assertRegex(proc.stdout, r"^ecs-tasks \d+\.\d+\.\d+")
        proc = subprocess.run([link], env=env, capture_output=True, text=True, timeout=60)
        self.assertNotEqual(proc.returncode, 0)
        self.assertNotIn("usage:", proc.stdout + proc.stderr, "runtime mode, not the CLI")

    def test_overrides_command_and_env_reach_run_task(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"cpu": 256}, f)
        self.addCleanup(os.unlink, f.name)
        code, _, err = self.run_cli(*self.base("--overrides", "@" + f.name, "--container", "app",
                                               "--command", "migrate up", "--env", "A=1",
                                               "--count", "2"))
        self.assertEqual(code, 0, err)
        p = W.proxy.requests("RunTask")[0]["params"]
        self.assertEqual(p["count"], 2)
        self.assertEqual(p["overrides"], {"cpu": "256", "containerOverrides": [
            {"name": "app", "command": ["migrate", "up"],
             "environment": [{"name": "A", "value": "1"}]}]})

    def test_logs_followed_without_loss_or_repeat(self):
        logs = W.moto.client("logs")
        logs.create_log_group(logGroupName="/ecs/migrate")
        written = []

        def write_some(doc):
            """Each poll, the task writes two more lines to its stream."""
            for task in doc.get("tasks", []):
                stream = "ecs/app/" + task["taskArn"].rsplit("/", 1)[1]
                try:
                    logs.create_log_stream(logGroupName="/ecs/migrate", logStreamName=stream)
                except logs.exceptions.ResourceAlreadyExistsException:
                    pass
                batch = ["line %d" % (len(written) + i) for i in range(2)]
                logs.put_log_events(logGroupName="/ecs/migrate", logStreamName=stream,
                                    logEvents=[{"timestamp": int(time.time() * 1000) + i,
                                                "message": m} for i, m in enumerate(batch)])
                written.extend(batch)
            return doc

        W.moto.set_ecs_transition(progression="manual", times=1)
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=write_some)
        code, out, err = self.run_cli(*self.base("--logs"))
        self.assertEqual(code, 0, err)
        printed = [line[len("[app] "):] for line in out.splitlines() if line.startswith("[app] ")]
        self.assertEqual(printed, written)
        self.assertGreaterEqual(len(written), 6)

    def test_live_display_on_a_terminal(self):
        import pty
        W.moto.set_ecs_transition(progression="manual", times=1)
        master, slave = pty.openpty()
        proc = subprocess.Popen([BIN] + self.base("--count", "2"), env=W.env(),
                                stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        screen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
        proc.wait(timeout=60)
        os.close(master)
        text = screen.decode()
        transcript.output(text)
        self.assertEqual(proc.returncode, 0, text)
        # Two task lines, redrawn in place: cursor up two lines, clear, rewrite.
        self.assertIn("\x1b[2A", text)
        self.assertEqual(len(re.findall(r"\r\x1b\[2Ktask [0-9a-f-]+  STOPPED", text)), 2)
        self.assertRegex(text, r"\r\x1b\[2Ktask [0-9a-f-]+  DEACTIVATING +\d+\.\ds")

    def test_help_and_version(self):
        code, out, _ = self.run_cli("run", "--help")
        self.assertEqual(code, 0)
        self.assertIn("--no-wait", out)
        # Every option and exit code of --help is in the man page and README.
        root = os.path.join(os.path.dirname(__file__), "..", "..")
        with open(os.path.join(root, "doc", "ecs-tasks.1")) as f:
            man = f.read().replace("\\-", "-")
        with open(os.path.join(root, "README.md")) as f:
            readme = f.read()
        options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", out))
        self.assertGreaterEqual(len(options), 34)
        for option in sorted(options):
            self.assertIn(option, man, "man page")
            self.assertIn("`" + option, readme, "README")
        for code_ in ("124", "125", "130", "143"):
            self.assertIn(code_, out)
            self.assertIn(".B " + code_, man)
            self.assertIn("| " + code_ + " |", readme)
        code, out, _ = self.run_cli("invoke", "--help")
        self.assertEqual(code, 0)
        self.assertIn("EVENT.json", out)
        code, out, _ = self.run_cli("--version")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^ecs-tasks \d+\.\d+\.\d+")


class CliTimeoutTest(CliTest):
    progression = "never"

    def test_timeout_is_124_and_stops(self):
        code, _, err = self.run_cli(*self.base("--timeout", "2"))
        self.assertEqual(code, 124, err)
        self.assertIn("they were stopped", err)
        self.assertEqual(len(W.proxy.requests("StopTask")), 1)

    def test_no_wait(self):
        code, out, err = self.run_cli(*self.base("--no-wait"))
        self.assertEqual(code, 0, err)
        self.assertRegex(out.strip(), r":task/")
        self.assertEqual(W.proxy.requests("DescribeTasks"), [])

    def test_no_stop_on_timeout(self):
        code, _, err = self.run_cli(*self.base("--timeout", "1", "--no-stop-on-timeout"))
        self.assertEqual(code, 124, err)
        self.assertEqual(W.proxy.requests("StopTask"), [])

    # The inherited tests need tasks that stop.
    test_success_exit_0_with_progress = None
    test_exit_code_of_the_container = None
    test_no_exit_code_is_125 = None
    test_overrides_command_and_env_reach_run_task = None
    test_logs_followed_without_loss_or_repeat = None
    test_live_display_on_a_terminal = None
    test_every_run_task_option_reaches_the_request = None
    test_container_instance_uses_start_task = None
    test_release_binary_is_the_cli = None


class InstallTest(unittest.TestCase):
    def test_make_install_honours_prefix(self):
        root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
        dest = tempfile.mkdtemp()
        self.addCleanup(__import__("shutil").rmtree, dest)
        proc = subprocess.run(["make", "-s", "-C", root, "install", "PREFIX=/opt/et",
                               "DESTDIR=" + dest], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertTrue(os.access(os.path.join(dest, "opt/et/bin/ecs-tasks"), os.X_OK))
        man = os.path.join(dest, "opt/et/share/man/man1/ecs-tasks.1")
        with open(man) as f:
            self.assertIn(".SH EXIT STATUS", f.read())


class InvokeTest(unittest.TestCase):
    def test_invoke_saved_event(self):
        W.fresh("immediate")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(event(W, "Create", props()), f)
        self.addCleanup(os.unlink, f.name)
        proc = subprocess.run([BIN, "invoke", f.name], env=W.env(), capture_output=True,
                              text=True, timeout=60)
        transcript.output(proc.stdout)
        transcript.output(proc.stderr)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        printed = json.loads(proc.stdout)
        self.assertEqual(printed["Status"], "SUCCESS")
        self.assertEqual(body_of(W.catcher.responses()[-1]), printed)

    def test_invoke_refuses_unreadable_or_oversized_event(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write(" " * (2 << 20))
        self.addCleanup(os.unlink, f.name)
        for path in (f.name, "/nonexistent/event.json"):
            with self.subTest(path=path):
                proc = subprocess.run([BIN, "invoke", path], env=W.env(), capture_output=True,
                                      text=True, timeout=60)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn("cannot read %s (or it is over 1 MiB)" % path, proc.stderr)


if __name__ == "__main__":
    unittest.main()
