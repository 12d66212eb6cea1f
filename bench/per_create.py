#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What one CloudFormation Create costs the runtime binary, against moto on
loopback (the integration tests' harness): HTTP requests and TCP connections
with Count 1 and Count 10, and instructions (valgrind --tool=callgrind) for a
one-poll Create, beside the instructions python3 spends importing boto3 and
making an ECS client (the floor of the original Python function).

    bench/per_create.py --binary build/release-x86_64/zip/bootstrap

Prints markdown tables on stdout.
"""
import argparse
import collections
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
sys.dont_write_bytecode = True

from cfn_support import World, body_of, event, props  # noqa: E402
from harness.runtime_emulator import RuntimeEmulator  # noqa: E402

PY_ANCHOR = 'import boto3; boto3.client("ecs", region_name="us-east-1")'
CREATES = 10  # the Creates whose instructions are averaged (after a first one)


def env(world, **extra):
    # The deployed default log level, not the tests' DEBUG.
    return world.env(AWS_LAMBDA_LOG_LEVEL="INFO", **extra)


def create_event(world, count):
    return event(world, "Create", props(Count=str(count), PollInterval="1", Timeout="60"))


def traffic(world, binary, count):
    """Requests by operation and connections of one Create of `count` tasks
    that stop before the first poll."""
    world.fresh("immediate")
    world.catcher.clear()
    with RuntimeEmulator(binary, env=env(world), timeout_s=60) as rt:
        result = rt.invoke(create_event(world, count))
    puts = world.catcher.responses()
    if result["kind"] != "response" or body_of(puts[-1])["Status"] != "SUCCESS":
        raise SystemExit("the Create did not succeed: %r" % result)
    aws = world.proxy.requests()
    return {
        "operations": collections.Counter(r["operation"] for r in aws),
        "aws_connections": len({r["connection"] for r in aws}),
        "puts": len(puts),
        "put_connections": len({r["connection"] for r in puts}),
    }


def callgrind_total(run):
    """Instructions executed by what run(wrapper) starts with the argv prefix
    `wrapper` (valgrind --tool=callgrind), read from callgrind's totals."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out])
        with open(out) as f:
            for line in f:
                if line.startswith("totals:"):
                    return int(line.split()[1])
    raise SystemExit("callgrind wrote no totals")


def program_instructions(argv):
    return callgrind_total(lambda wrapper: subprocess.run(
        wrapper + argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def runtime_instructions(world, binary, creates):
    """Instructions of the binary serving `creates` one-poll Creates, start-up
    included, up to its exit (ECS_TASKS_MAX_EVENTS)."""
    def serve(wrapper):
        world.fresh("immediate")
        with RuntimeEmulator(binary, env=env(world, ECS_TASKS_MAX_EVENTS=str(creates)),
                             timeout_s=120, wrapper=wrapper, restart=False) as rt:
            for _ in range(creates):
                rt.enqueue(create_event(world, 1))
            rt.wait_results(creates, timeout=900)
            rt.wait_exit(timeout=120)
    return callgrind_total(serve)


def print_traffic(rows):
    print("| Create | RunTask | DescribeTasks | other AWS calls | PUT | TCP connections "
          "(AWS + ResponseURL) | goal |")
    print("|---|---|---|---|---|---|---|")
    for count, t in rows:
        ops = t["operations"]
        other = sum(n for op, n in ops.items() if op not in ("RunTask", "DescribeTasks"))
        print("| Count %d | %d | %d | %d | %d | %d + %d | 1 start + 1 DescribeTasks per poll "
              "+ 1 PUT; 1 connection per endpoint |"
              % (count, ops["RunTask"], ops["DescribeTasks"], other, t["puts"],
                 t["aws_connections"], t["put_connections"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    binary = os.path.abspath(ap.parse_args().binary)
    world = World()
    try:
        rows = [(count, traffic(world, binary, count)) for count in (1, 10)]
        first = runtime_instructions(world, binary, 1)
        more = runtime_instructions(world, binary, 1 + CREATES)
    finally:
        world.close()
    python = program_instructions([sys.executable, "-c", PY_ANCHOR])
    print("HTTP requests and TCP connections of one Create (tasks stopped at the first poll):\n")
    print_traffic(rows)
    print("\nInstructions (valgrind --tool=callgrind), one-poll Create of Count 1:\n")
    print("| program | instructions |")
    print("|---|---|")
    print("| ecs-tasks: one Create (mean of %d in one process) | %s |"
          % (CREATES, format((more - first) // CREATES, ",")))
    print("| ecs-tasks: start-up + first Create, to exit | %s |" % format(first, ","))
    print("| python3: import boto3 + ECS client, to exit (no call made) | %s |"
          % format(python, ","))


if __name__ == "__main__":
    main()
