# SPDX-License-Identifier: Apache-2.0
"""Shared set-up for the custom-resource tests: one moto server, a fault proxy in
front of it, a ResponseURL catcher, and helpers to build CloudFormation events
and to make ECS say what moto cannot (exit codes, failures[], stop codes).

Every test runs the built binary (ECS_TASKS_BIN) under the Runtime API
emulator, exactly as Lambda would run the zip's bootstrap.
"""
import contextlib
import functools
import json
import os
import tempfile
import time
import uuid

from harness import transcript
from harness.catcher import ResponseCatcher
from harness.fault_proxy import FaultProxy
from harness.moto import MotoServer
from harness.runtime_emulator import RuntimeEmulator

BIN = os.environ.get("ECS_TASKS_BIN", "")
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/app-stack/1111-2222"
CLUSTER = "test"
# What the function logs once CloudFormation took its response, before it
# posts the invocation's result (cfn/response.c).
RESPONSE_SENT = "response sent to CloudFormation"
FAMILY = "migrate"


class World:
    """The servers a test module shares. Start once per module."""

    def __init__(self, tls=None):
        """tls: a (cert, key) pair makes the proxy, hence every AWS endpoint, HTTPS."""
        self.stack = contextlib.ExitStack()
        self.moto = self.stack.enter_context(MotoServer())
        self.proxy = self.stack.enter_context(FaultProxy(self.moto.url, tls=tls))
        self.catcher = self.stack.enter_context(ResponseCatcher())

    def close(self):
        self.stack.close()

    def fresh(self, progression="immediate"):
        """An empty account with a cluster, one container instance and the
        `migrate` task definition; ECS tasks stop as `progression` says."""
        self.proxy.clear_rules()
        self.proxy.clear()
        self.moto.reset()
        if progression == "immediate":
            self.moto.set_ecs_transition(progression="immediate")
        elif progression == "never":
            self.moto.set_ecs_transition(progression="manual", times=1000000)
        else:
            self.moto.set_ecs_transition(progression="manual", times=progression)
        self.instance_arn = self.moto.make_cluster_with_instance(CLUSTER)
        ecs = self.moto.client("ecs")
        ecs.register_task_definition(
            family=FAMILY,
            containerDefinitions=[{
                "name": "app", "image": "app:1", "memory": 128, "essential": True,
                "environment": [{"name": "DB_VERSION", "value": "1"}],
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": "/ecs/migrate", "awslogs-region": "us-east-1",
                    "awslogs-stream-prefix": "ecs"}},
            }])
        self.catcher.clear() if hasattr(self.catcher, "clear") else None

    def env(self, **extra):
        env = self.moto.env(AWS_ENDPOINT_URL=self.proxy.url, AWS_MAX_ATTEMPTS="3")
        env.update({k: v for k, v in extra.items() if v is not None})
        return env

    def emulator(self, timeout_s=30, **env):
        """A Runtime API emulator running the binary; the function's own Lambda
        Invoke calls are served by the emulator itself (self re-invocation)."""
        rt = RuntimeEmulator(BIN, env=self.env(**env), function_name="ecsTasks",
                             timeout_s=timeout_s)
        return rt

    def emulator_for(self, test, timeout_s=30, **env):
        """An emulator started for one test and stopped by its clean-up."""
        rt = self.emulator(timeout_s=timeout_s, **env)
        rt.__enter__()
        test.addCleanup(rt.__exit__, None, None, None)
        return rt

    def one_response(self, test, rt, ev, timeout=60):
        """Invokes the function with ev through rt and returns the one
        CloudFormation response it sent (failing test when there is not
        exactly one), once the function logged that it was sent."""
        before = len(self.catcher.responses())
        result = rt.invoke(ev, timeout=timeout)
        log = "\n".join(rt.log_lines)
        test.assertEqual(result["kind"], "response", log)
        responses = self.catcher.responses()[before:]
        test.assertEqual(len(responses), 1, "exactly one response per request\n" + log)
        rt.wait_log(result["request_id"], RESPONSE_SENT)
        return responses[0]


@functools.lru_cache(maxsize=None)
def cli_binary():
    """The product binary as the CLI: the release binary is the zip's
    `bootstrap`, which starts in Lambda runtime mode under that name, so it is
    run through a link named `ecs-tasks`, as installed."""
    if os.path.basename(BIN) != "bootstrap":
        return BIN
    link_dir = tempfile.mkdtemp()
    os.symlink(BIN, os.path.join(link_dir, "ecs-tasks"))
    return os.path.join(link_dir, "ecs-tasks")


def event(world, request_type, props=None, physical=None, old=None, request_id=None,
          signed_at=None, logical="Migrate"):
    """A CloudFormation custom-resource request whose ResponseURL is the catcher."""
    props = dict(props or {})
    props.setdefault("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:ecsTasks")
    signed_at = signed_at or time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    query = ("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=" + signed_at +
             "&X-Amz-Expires=7200&X-Amz-Signature=" + transcript.sensitive(uuid.uuid4().hex))
    ev = {
        "RequestType": request_type,
        "ServiceToken": props["ServiceToken"],
        "ResponseURL": world.catcher.url(query=query),
        "StackId": STACK_ID,
        "RequestId": request_id or str(uuid.uuid4()),
        "LogicalResourceId": logical,
        "ResourceType": "Custom::ECSTask",
        "ResourceProperties": props,
    }
    if physical is not None:
        ev["PhysicalResourceId"] = physical
    if old is not None:
        ev["OldResourceProperties"] = old
    return ev


def props(**kw):
    p = {"Cluster": CLUSTER, "TaskDefinition": FAMILY, "PollInterval": "1", "Timeout": "60"}
    p.update({k: v for k, v in kw.items() if v is not None})
    return p


def set_containers(containers, stop_code=None, stopped_reason=None):
    """A transform for DescribeTasks answers: every STOPPED task gets these
    containers (list of dicts: name, exitCode or None, reason)."""
    def transform(doc):
        for task in doc.get("tasks", []):
            if task.get("lastStatus") != "STOPPED":
                continue
            out = []
            for c in containers:
                entry = {"name": c["name"], "lastStatus": "STOPPED",
                         "containerArn": task["taskArn"].replace(":task/", ":container/") +
                         "/" + c["name"]}
                if c.get("exitCode") is not None:
                    entry["exitCode"] = c["exitCode"]
                if c.get("reason"):
                    entry["reason"] = c["reason"]
                out.append(entry)
            task["containers"] = out
            if stop_code:
                task["stopCode"] = stop_code
            if stopped_reason:
                task["stoppedReason"] = stopped_reason
        return doc
    return transform


def body_of(response):
    """The parsed JSON body of a caught CloudFormation response."""
    if response.get("json") is not None:
        return response["json"]
    return json.loads(response["body"])


# The statuses a task goes through on ECS (moto starts at RUNNING and skips
# the first ones).
LIFECYCLE = ["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPING",
             "DEPROVISIONING", "STOPPED"]


class Lifecycle:
    """A DescribeTasks transform that walks each task through the statuses
    ECS reports, one per DescribeTasks, and stops it with `containers` (as
    set_containers takes them). Use with a moto progression that never stops
    tasks by itself ("never")."""

    def __init__(self, containers=None, polls_per_status=1):
        self.containers = containers or [{"name": "app", "exitCode": 0}]
        self.polls_per_status = polls_per_status
        self.seen = {}

    def __call__(self, doc):
        for task in doc.get("tasks", []):
            n = self.seen.get(task["taskArn"], 0)
            self.seen[task["taskArn"]] = n + 1
            status = LIFECYCLE[min(n // self.polls_per_status, len(LIFECYCLE) - 1)]
            task["lastStatus"] = status
            if status == "STOPPED":
                set_containers(self.containers)({"tasks": [task]})
        return doc


def failing_first(reason, count=1):
    """A RunTask transform: the first `count` tasks of the answer did not
    start, for `reason` (failures[], as ECS reports capacity it lacks)."""
    def transform(doc):
        tasks = doc.get("tasks", [])
        doc["failures"] = [{"arn": "arn:aws:ecs:us-east-1:123456789012:container-instance/"
                                   "test/i-1", "reason": reason}] * min(count, len(tasks))
        doc["tasks"] = tasks[count:]
        return doc
    return transform
