# SPDX-License-Identifier: Apache-2.0
"""Is an ECS request one the Amazon ECS API accepts?

The fault proxy asks this of every ECS request the product sends (RunTask,
StartTask, DescribeTasks, ListTasks, StopTask, DescribeTaskDefinition,
DescribeServices): botocore's own validator (botocore.validate.ParamValidator)
on botocore's own ECS service model, which checks member names, types,
required members and minimums, plus what botocore leaves out:

- the model's maximums and enumerations (botocore checks only minimums and
  lets any string through where the model lists the values);
- limits the ECS API reference states only in words: RunTask count 1-10,
  startedBy up to 128 letters, digits, '-', '/' or '_', clientToken up to 64
  characters 33-126, overrides at most 8192 characters of JSON, StartTask on
  1-10 container instances, DescribeTasks of 1-100 tasks, DescribeServices of
  1-10 services, ListTasks maxResults 1-100.

With ECS_TASKS_TRANSCRIPTS set (ctest sets it), each checked request is
appended to <dir>/<pid>.ecs-requests, one JSON line ({"operation",
"invalid"}: the report, or null when valid); check_requests.py (the ctest
fixture clean-up integration/ecs-requests-valid) fails the suite if any line
holds a report. A test that sends an invalid ECS request on purpose (through
FaultProxy(..., check_log=PATH)) keeps it out of that file.
"""
import functools
import json
import os
import re
import threading

import botocore.session
from botocore.validate import ParamValidator

from . import transcript

OPERATIONS = ("RunTask", "StartTask", "DescribeTasks", "ListTasks", "StopTask",
              "DescribeTaskDefinition", "DescribeServices")

STARTED_BY = re.compile(r"^[A-Za-z0-9_/-]{1,128}$")
CLIENT_TOKEN = re.compile(r"^[\x21-\x7e]{1,64}$")
MAX_OVERRIDES_JSON = 8192

_write_lock = threading.Lock()


@functools.lru_cache(maxsize=None)
def model():
    """botocore's ECS service model (loading it takes a moment: once)."""
    return botocore.session.get_session().get_service_model("ecs")


def validate(operation, params):
    """None when `params` is a request of `operation` that ECS accepts, else
    a report (text, one problem a line). Operations other than OPERATIONS
    are not checked (None)."""
    if operation not in OPERATIONS:
        return None
    if not isinstance(params, dict):
        return "%s: the body is not a JSON object" % operation
    shape = model().operation_model(operation).input_shape
    report = ParamValidator().validate(params, shape)
    problems = [report.generate_report()] if report.has_errors() else []
    problems += _beyond_botocore(shape, params, "")
    problems += _documented_limits(operation, params)
    return "\n".join(problems) or None


def _beyond_botocore(shape, value, path):
    """The model's maximums and enumerations. Values of the wrong type are
    botocore's report already: skipped here."""
    problems = []
    name = path or "the request"
    limit = shape.metadata.get("max")
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        for key, member in value.items():
            if key in shape.members:
                problems += _beyond_botocore(shape.members[key], member,
                                             "%s.%s" % (path, key) if path else key)
    elif kind == "list" and isinstance(value, list):
        if limit is not None and len(value) > limit:
            problems.append("%s: %d elements, at most %d" % (name, len(value), limit))
        for i, member in enumerate(value):
            problems += _beyond_botocore(shape.member, member, "%s[%d]" % (path, i))
    elif kind == "string" and isinstance(value, str):
        if getattr(shape, "enum", None) and value not in shape.enum:
            problems.append("%s: %r is not one of %s" % (name, value, ", ".join(shape.enum)))
        if limit is not None and len(value) > limit:
            problems.append("%s: %d characters, at most %d" % (name, len(value), limit))
    elif kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        if limit is not None and value > limit:
            problems.append("%s: %d, at most %d" % (name, value, limit))
    return problems


def _count(params, key, low, high):
    """A number (or a list's length) from low to high."""
    value = params.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        if low <= len(value) <= high:
            return []
        return ["%s: %d elements, not from %d to %d" % (key, len(value), low, high)]
    if isinstance(value, int) and low <= value <= high:
        return []
    return ["%s: %r is not from %d to %d" % (key, value, low, high)]


def _documented_limits(operation, params):
    problems = []
    if operation in ("RunTask", "StartTask"):
        started_by = params.get("startedBy")
        if isinstance(started_by, str) and not STARTED_BY.match(started_by):
            problems.append("startedBy: %r is not up to 128 letters, digits, '-', '/' or '_'"
                            % started_by)
        overrides = params.get("overrides")
        if overrides is not None:
            size = len(json.dumps(overrides, separators=(",", ":"), ensure_ascii=False))
            if size > MAX_OVERRIDES_JSON:
                problems.append("overrides: %d characters of JSON, at most %d"
                                % (size, MAX_OVERRIDES_JSON))
    if operation == "RunTask":
        problems += _count(params, "count", 1, 10)
        token = params.get("clientToken")
        if isinstance(token, str) and not CLIENT_TOKEN.match(token):
            problems.append("clientToken: %r is not 1-64 characters 33-126" % token)
    elif operation == "StartTask":
        problems += _count(params, "containerInstances", 1, 10)
    elif operation == "DescribeTasks":
        problems += _count(params, "tasks", 1, 100)
    elif operation == "DescribeServices":
        problems += _count(params, "services", 1, 10)
    elif operation == "ListTasks":
        problems += _count(params, "maxResults", 1, 100)
    return problems


def suite_log():
    """Where this process records its checked requests for the suite's check;
    None when ECS_TASKS_TRANSCRIPTS is not set."""
    if not transcript.DIR:
        return None
    return os.path.join(transcript.DIR, "%d.ecs-requests" % os.getpid())


def check(operation, params, log):
    """Validates one request (see validate) and appends the outcome to `log`
    (a path, or None for nowhere). Returns the report or None. A validator
    that fails is a report too: a request nobody checked must not pass."""
    if operation not in OPERATIONS:
        return None
    try:
        report = validate(operation, params)
    except Exception as e:  # noqa: BLE001 (any failure is reported, not lost)
        report = "%s: the validator failed: %r" % (operation, e)
    if log:
        line = {"operation": operation, "invalid": report}
        if report:
            line["params"] = json.dumps(params)[:4000]
        with _write_lock:
            os.makedirs(os.path.dirname(log) or ".", exist_ok=True)
            with open(log, "a", encoding="utf-8") as f:
                f.write(json.dumps(line) + "\n")
    return report


def pass_through_notation():
    """The RunTask members a Custom::ECSTask passes through, as
    tests/unit/engine/test_coerce.c spells its schema (test_schema_is_the_ecs_api):
    members in the model's order, '#' integer, '?' boolean, '!' required,
    '=A|B' enumeration, '[...]' a list's element, '{...}' an object's members."""
    names = ("overrides", "launchType", "capacityProviderStrategy", "networkConfiguration",
             "platformVersion", "placementConstraints", "placementStrategy", "propagateTags",
             "tags", "enableExecuteCommand", "enableECSManagedTags", "group")

    def member(name, shape, required):
        text = name + {"integer": "#", "boolean": "?"}.get(shape.type_name, "")
        text += "!" if required else ""
        if getattr(shape, "enum", None):
            text += "=" + "|".join(shape.enum)
        return text + inside(shape)

    def inside(shape):
        if shape.type_name == "structure":
            return "{" + ",".join(member(n, s, n in shape.required_members)
                                  for n, s in shape.members.items()) + "}"
        if shape.type_name == "list":
            return "[" + inside(shape.member) + "]"
        return ""

    run_task = model().operation_model("RunTask").input_shape
    return "{" + ",".join(member(n, run_task.members[n], False) for n in names) + "}"
