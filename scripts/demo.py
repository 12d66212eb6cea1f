#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`make demo`: ecs-tasks doing its main job in under a minute, with no AWS account.

The real `bootstrap` from the release zip runs against the emulators the
integration tests use (tests/integration/harness), all on 127.0.0.1: moto
behind the project's fault proxy, a CloudFormation ResponseURL and the Lambda
Runtime API emulator. moto starts no containers, so the proxy plays them.

    scripts/demo.py [ZIP_OR_BINARY]     (default: build/ecsTasks.zip)

Exit status: 0 when every step showed what it should, 1 when one did not,
128+N when stopped by signal N. Whatever happens, everything it started is
stopped before it exits.
"""
import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree

from cfn_support import Lifecycle, body_of, event, props, set_containers  # noqa: E402
from harness.catcher import ResponseCatcher  # noqa: E402
from harness.fault_proxy import FaultProxy  # noqa: E402
from harness.moto import MotoServer  # noqa: E402
from harness.runtime_emulator import RuntimeEmulator  # noqa: E402
from harness.util import wait_until  # noqa: E402

CLUSTER = "demo"
FAMILY = "migrate"
LOG_GROUP = "/ecs/migrate"
INDENT = "      "

# What the app container writes, one line per DescribeTasks poll (all that is
# left once the task has stopped).
GOOD_MIGRATION = ["connected to postgres://db:5432/app", "applying 0001_create_users",
                  "applying 0002_add_email_index", "2 migrations applied"]
BAD_MIGRATION = ["connected to postgres://db:5432/app", "applying 0003_create_users",
                 "ERROR: relation users already exists", "rolled back, exiting with code 3"]
FAILING_LINE = BAD_MIGRATION[2]


class Interrupted(BaseException):
    """SIGINT or SIGTERM: unwinds to main(), whose clean-up stops everything."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


class DemoFailure(Exception):
    """A step did not show what it should."""


def on_signal(signum, _frame):
    # Only the first signal interrupts: a second Ctrl-C must not cut the
    # clean-up short and leave servers behind.
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, signal.SIG_IGN)
    raise Interrupted(signum)


def say(text=""):
    print(text, flush=True)


def indented(text):
    return "\n".join(INDENT + line for line in text.splitlines())


class PlayedContainers:
    """A DescribeTasks transform for the fault proxy, standing in for the
    containers moto does not run: each answer makes every task's app write its
    next log line to CloudWatch Logs (the awslogs stream ecs/app/<task id>);
    once a task is STOPPED its containers get the scenario's exit codes."""

    def __init__(self, logs):
        self.logs = logs
        self.lines = []
        self.exit_codes = None
        self.written = {}  # task id -> lines written so far
        # ECS's statuses, one per poll: PROVISIONING, PENDING, ACTIVATING,
        # RUNNING, DEACTIVATING, STOPPING, DEPROVISIONING, STOPPED.
        self.lifecycle = Lifecycle()

    def play(self, lines, app_exit_code):
        """The scenario of the tasks started from now on. The sidecar is
        stopped with SIGKILL (137) when the app ends, as ECS does: it is not
        essential, so its exit code does not decide."""
        self.lines = lines
        self.exit_codes = set_containers([{"name": "app", "exitCode": app_exit_code},
                                          {"name": "sidecar", "exitCode": 137}])

    def __call__(self, answer):
        answer = self.lifecycle(answer)
        for task in answer.get("tasks", []):
            task_id = task["taskArn"].rsplit("/", 1)[1]
            done = self.written.setdefault(task_id, 0)
            upto = len(self.lines) if task["lastStatus"] == "STOPPED" else done + 1
            self.write(task_id, self.lines[done:upto], first=(done == 0))
            self.written[task_id] = min(upto, len(self.lines))
        return self.exit_codes(answer)

    def write(self, task_id, lines, first):
        if not lines:
            return
        stream = "ecs/app/" + task_id
        if first:
            self.logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
        now = int(time.time() * 1000)
        self.logs.put_log_events(logGroupName=LOG_GROUP, logStreamName=stream, logEvents=[
            {"timestamp": now + i, "message": line} for i, line in enumerate(lines)])


class Demo:
    def __init__(self, stack, binary, binary_label):
        self.stack = stack
        self.binary_label = binary_label
        # Each server is registered for stopping before it starts, so an
        # interrupt during its start cannot leave it behind.
        self.moto = self.started(MotoServer())
        self.proxy = self.started(FaultProxy(self.moto.url))
        self.catcher = self.started(ResponseCatcher())  # event() reads .catcher
        # The environment of the function and of the CLI: AWS is the proxy, and
        # the log level is the deployed default (the tests' harness asks for DEBUG).
        self.env = self.moto.env(AWS_ENDPOINT_URL=self.proxy.url, AWS_LAMBDA_LOG_LEVEL="INFO")
        self.function = self.started(RuntimeEmulator(binary, env=self.env, timeout_s=30))
        self.cli = os.path.join(os.path.dirname(binary), "ecs-tasks")

    def started(self, server):
        self.stack.callback(server.stop)
        server.start()
        return server

    def run(self):
        self.set_up()
        self.create("1. CloudFormation creates a Custom::ECSTask resource.", GOOD_MIGRATION, 0)
        self.cli_run("2. The same task from a terminal or a CI job: `ecs-tasks run`, which\n"
                     "   shows each task's status live, streams the app's log (--logs) and\n"
                     "   exits with the container's exit code.", GOOD_MIGRATION, 0)
        self.create("3. A migration that fails: the app container exits with code 3.\n"
                    "   Another Create: the response is FAILED, and its Reason (what the\n"
                    "   stack's events show) names the exit code and ends with the app's\n"
                    "   last log lines.", BAD_MIGRATION, 3, show_log=False)
        self.cli_run("   `ecs-tasks run` on the same task definition exits 3, so a CI job\n"
                     "   fails too:", BAD_MIGRATION, 3)

    def set_up(self):
        # moto's own progression starts at RUNNING and jumps to DEACTIVATING:
        # tasks stay put, and the proxy walks them through ECS's lifecycle.
        self.moto.set_ecs_transition(progression="manual", times=1000000)
        self.moto.make_cluster_with_instance(CLUSTER)
        revision = self.moto.register_task_definition(FAMILY, [
            {"name": "app", "image": "example/migrate:1", "memory": 128, "essential": True,
             "logConfiguration": {"logDriver": "awslogs", "options": {
                 "awslogs-group": LOG_GROUP, "awslogs-region": self.moto.region,
                 "awslogs-stream-prefix": "ecs"}}},
            {"name": "sidecar", "image": "example/log-shipper:1", "memory": 64,
             "essential": False}]).rsplit("/", 1)[1]
        logs = self.moto.client("logs")
        logs.create_log_group(logGroupName=LOG_GROUP)
        self.containers = PlayedContainers(logs)
        self.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform",
                            transform=self.containers, times=None)
        say("Running on 127.0.0.1, nothing leaves this machine:\n"
            "  moto (ECS, CloudWatch Logs)   %s, behind the fault proxy %s\n"
            "  CloudFormation's ResponseURL  %s\n"
            "  Lambda Runtime API emulator   %s, running %s"
            % (self.moto.url, self.proxy.url, self.catcher.base, self.function.lambda_url,
               self.binary_label))
        say("Registered cluster %s and task definition %s: container app (essential,\n"
            "logs to %s with awslogs) and container sidecar (not essential).\n"
            "moto runs no containers: the proxy plays them, moving each task through\n"
            "ECS's statuses (PROVISIONING ... STOPPED) and writing one app log line per\n"
            "poll; once the task stops, app gets its exit code and sidecar 137.\n"
            % (CLUSTER, revision, LOG_GROUP))

    def create(self, title, lines, app_exit_code, show_log=True):
        say(title)
        if show_log:
            say("   The Runtime API emulator hands the Create event to bootstrap, which\n"
                "   starts the task, polls it every second until it stops and PUTs its\n"
                "   response to the event's ResponseURL. The function's log:")
        self.containers.play(lines, app_exit_code)
        start = len(self.function.log_lines)
        before = len(self.catcher.responses())
        result = self.function.invoke(event(self, "Create", props(
            Cluster=CLUSTER, TaskDefinition=FAMILY, PollInterval="1", Timeout="30")))
        if result["kind"] != "response":
            raise DemoFailure("the function ended the invocation with %r" % result["kind"])
        # The log is read by a thread: wait for the invocation's last line.
        wait_until(lambda: any("response sent to CloudFormation" in line
                               for line in self.function.log_lines[start:]),
                   5, what="the function's last log line")
        if show_log:
            say(indented("\n".join(self.function.log_lines[start:])))
        responses = self.catcher.responses()[before:]
        if len(responses) != 1:
            raise DemoFailure("CloudFormation got %d responses, not 1" % len(responses))
        body = body_of(responses[0])
        shown = {k: body[k] for k in ("Status", "Reason", "PhysicalResourceId", "Data")
                 if k in body}
        say("   The response CloudFormation received (PUT to the ResponseURL):")
        say(indented(json.dumps(shown, indent=2)))
        say()
        self.check_response(body, app_exit_code)

    @staticmethod
    def check_response(body, app_exit_code):
        if app_exit_code == 0:
            if body["Status"] != "SUCCESS" or ":task/" not in body.get("PhysicalResourceId", ""):
                raise DemoFailure("the Create got %s, not SUCCESS with a task ARN"
                                  % body["Status"])
        elif (body["Status"] != "FAILED"
              or "exited with code %d" % app_exit_code not in body.get("Reason", "")
              or FAILING_LINE not in body.get("Reason", "")):
            raise DemoFailure("the Create got %s, not FAILED with exit code %d and the app's "
                              "log line in the Reason" % (body["Status"], app_exit_code))

    def cli_run(self, title, lines, app_exit_code):
        say(title)
        args = ["run", "--cluster", CLUSTER, "--task-definition", FAMILY,
                "--poll-interval", "1", "--logs"]
        say("   $ ecs-tasks " + " ".join(args))
        self.containers.play(lines, app_exit_code)
        # Inherits the demo's stdout and stderr: on a terminal, the live display.
        code = subprocess.run([self.cli] + args, env=self.env).returncode
        say("ecs-tasks run exited %d\n" % code)
        if code != app_exit_code:
            raise DemoFailure("ecs-tasks run exited %d, not %d" % (code, app_exit_code))


def prepare_binary(path, workdir):
    """The binary to run, in workdir: bootstrap extracted from the zip (or the
    given binary), plus an `ecs-tasks` link to it, since under the name
    bootstrap the binary starts as the Lambda function, not the CLI."""
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            binary = z.extract("bootstrap", workdir)
        os.chmod(binary, 0o755)
    else:
        binary = os.path.abspath(path)
    os.symlink(binary, os.path.join(workdir, "ecs-tasks"))
    return binary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("artefact", nargs="?", default=os.path.join(ROOT, "build", "ecsTasks.zip"),
                        help="the release zip (its bootstrap runs) or an ecs-tasks binary")
    artefact = parser.parse_args().artefact
    if not os.path.exists(artefact):
        sys.exit("demo: %s not found (make build makes it)" % artefact)
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, on_signal)
    started = time.monotonic()
    stack = contextlib.ExitStack()
    code = 0
    say("ecs-tasks demo: the Custom::ECSTask Lambda function and the ecs-tasks CLI,\n"
        "against emulated AWS. Starting the emulators (a few seconds)...\n")
    try:
        workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="ecs-tasks-demo-"))
        binary = prepare_binary(artefact, workdir)
        label = os.path.relpath(artefact)
        if artefact.endswith(".zip"):
            label = "bootstrap from " + label
        Demo(stack, binary, label).run()
    except Interrupted as e:
        say("\nInterrupted (%s)." % signal.Signals(e.signum).name)
        code = 128 + e.signum
    except (DemoFailure, TimeoutError) as e:
        print("\ndemo failed: %s" % e, file=sys.stderr, flush=True)
        code = 1
    finally:
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_IGN)
        say("4. Stopping everything the demo started: bootstrap, the Runtime API\n"
            "   emulator, the ResponseURL, the fault proxy and moto.")
        stack.close()
    say("   All stopped; the demo took %.0f s." % (time.monotonic() - started))
    if code == 0:
        say("\nTo run it on AWS: deploy/ecs-tasks.yaml and `make publish` (README.md,\n"
            "\"Going to real AWS\").")
    return code


if __name__ == "__main__":
    sys.exit(main())
