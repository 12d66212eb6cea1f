# SPDX-License-Identifier: Apache-2.0
"""Helpers for the `ecs-tasks run` tests (test_cli*.py): the CLI as a process
that signals can reach, tasks that keep running until stopped, log lines in
a task's awslogs stream."""
import signal
import subprocess
import threading
import time

from cfn_support import CLUSTER, FAMILY, cli_binary
from harness import transcript
from harness.util import wait_until

LOG_GROUP = "/ecs/migrate"


def base_args(*extra):
    return ["run", "--cluster", CLUSTER, "--task-definition", FAMILY, "--poll-interval", "1"
            ] + list(extra)


def run_cli(world, *args, env=None, timeout=60):
    """Runs the CLI to its end: (exit code, stdout, stderr)."""
    proc = subprocess.run([cli_binary()] + list(args), env=env or world.env(),
                          capture_output=True, text=True, timeout=timeout)
    transcript.output(proc.stdout)
    transcript.output(proc.stderr)
    return proc.returncode, proc.stdout, proc.stderr


class Running:
    """The CLI as a child process whose output is read as it comes."""

    def __init__(self, world, *args, env=None):
        self.proc = subprocess.Popen([cli_binary()] + list(args), env=env or world.env(),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out, self.err = [], []
        self.readers = [threading.Thread(target=self._read, args=(s, b), daemon=True)
                        for s, b in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for r in self.readers:
            r.start()

    @staticmethod
    def _read(stream, into):
        for chunk in iter(lambda: stream.read1(4096), b""):
            into.append(chunk)

    def stderr(self):
        return b"".join(self.err).decode("utf-8", "replace")

    def stdout(self):
        return b"".join(self.out).decode("utf-8", "replace")

    def wait_for_stderr(self, text, timeout=30):
        wait_until(lambda: text in self.stderr() or self.proc.poll() is not None, timeout,
                   what=repr(text))
        if text not in self.stderr():
            raise AssertionError("exited %s before %r:\n%s" % (self.proc.returncode, text,
                                                               self.stderr()))

    def signal(self, sig=signal.SIGINT):
        self.signalled_at = time.monotonic()
        self.proc.send_signal(sig)

    def finish(self, timeout=60):
        """Waits for the exit: (exit code, stdout, stderr, seconds since the last signal)."""
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        took = time.monotonic() - getattr(self, "signalled_at", time.monotonic())
        for r in self.readers:
            r.join(5)
        self.proc.stdout.close()
        self.proc.stderr.close()
        out, err = self.stdout(), self.stderr()
        transcript.output(out)
        transcript.output(err)
        return code, out, err, took


def write_log(world, task_arn, lines, container="app"):
    """Puts lines in the awslogs stream of a container of the task."""
    logs = world.moto.client("logs")
    try:
        logs.create_log_group(logGroupName=LOG_GROUP)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    stream = "ecs/%s/%s" % (container, task_arn.rsplit("/", 1)[1])
    try:
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName=LOG_GROUP, logStreamName=stream,
                        logEvents=[{"timestamp": now + i, "message": m}
                                   for i, m in enumerate(lines)])
    return stream


def start_task_elsewhere(world, started_by="deploy-script"):
    """A task started by someone else (boto3, as a deploy script would); its ARN."""
    return world.moto.client("ecs").run_task(cluster=CLUSTER, taskDefinition=FAMILY,
                                             startedBy=started_by)["tasks"][0]["taskArn"]


def task_status(world, arn):
    return world.moto.client("ecs").describe_tasks(cluster=CLUSTER, tasks=[arn])[
        "tasks"][0]["lastStatus"]


def keep_running():
    """A DescribeTasks transform: every task answers RUNNING, stopped or not
    (a task that takes long to stop)."""
    def transform(doc):
        for task in doc.get("tasks", []):
            task["lastStatus"] = "RUNNING"
            task.pop("stopCode", None)
        return doc
    return transform
