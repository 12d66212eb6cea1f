# SPDX-License-Identifier: Apache-2.0
"""The ECS-requests check: after every integration test of a variant has run
(a ctest fixture clean-up), no ECS request the product sent through the fault
proxy may be one the ECS API refuses. The proxy checked each one with
botocore's validator on botocore's ECS model, plus the limits the model
leaves to its documentation (harness/ecs_shapes.py), and appended the outcome
to <dir>/<pid>.ecs-requests.

    python3 check_requests.py DIR      exit 0 all valid, 1 invalid ones, 77 nothing recorded
"""
import glob
import json
import os
import sys

from harness import ecs_shapes


def self_check():
    """The check must be able to fail: planted invalid requests are caught,
    a valid one is not."""
    valid = {"cluster": "c", "taskDefinition": "td", "count": 1, "startedBy": "s-1",
             "clientToken": "t" * 32, "overrides": {"containerOverrides": [
                 {"name": "app", "command": ["x"], "cpu": 256}]}}
    assert ecs_shapes.validate("RunTask", valid) is None
    planted = [
        ("RunTask", dict(valid, overrides={"containerOverrides": [{"name": "app",
                                                                    "comand": ["x"]}]}), "comand"),
        ("RunTask", dict(valid, count=11), "count"),
        ("RunTask", dict(valid, launchType="SPOT"), "SPOT"),
        ("StartTask", {"taskDefinition": "td", "containerInstances": ["i"], "clientToken": "t"},
         "clientToken"),
        ("DescribeTasks", {"cluster": "c"}, "tasks"),
    ]
    for operation, params, word in planted:
        report = ecs_shapes.validate(operation, params)
        assert report and word in report, (operation, params, report)


def read(directory):
    """[(file, line number, record)] of every checked request."""
    records = []
    for path in sorted(glob.glob(os.path.join(directory, "*.ecs-requests"))):
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    records.append((path, number, json.loads(line)))
    return records


def main(directory):
    self_check()
    records = read(directory)
    if not records:
        print("no ECS request recorded in %s (run the integration tests first)" % directory)
        return 77
    invalid = [(path, number, r) for path, number, r in records if r.get("invalid")]
    files = len({path for path, _, _ in records})
    print("checked %d ECS requests from %d test processes against botocore's ECS model: "
          "%d invalid" % (len(records), files, len(invalid)))
    for path, number, r in invalid:
        print("INVALID %s:%d %s\n  %s\n  params: %s" % (
            path, number, r["operation"], r["invalid"].replace("\n", "\n  "), r.get("params")))
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
