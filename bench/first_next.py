#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Measures exec-to-first-`next` of Lambda custom runtimes, and peak RSS.

Plays a minimal Runtime API on 127.0.0.1: the moment a binary's first
GET /2018-06-01/runtime/invocation/next arrives is its cold start. The
binary is then ended (SIGTERM) and /usr/bin/time -v reports its peak RSS.
Timed the same way, runs interleaved so that a busy moment of the machine
hits all alike: the release bootstrap, the floor (bench/floor.c: a static
program that only connects and sends the same GET) and the development
build. The Python anchor, `python3 -c 'import boto3; boto3.client("ecs")'`,
is timed from exec to exit with the same clock.
"""
import argparse
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time

PY_ANCHOR = 'import boto3; boto3.client("ecs", region_name="us-east-1")'


def peak_rss_kb(stderr_text):
    for line in stderr_text.splitlines():
        if "Maximum resident set size" in line:
            return int(line.split(":")[1])
    return None


def one_runtime_start(binary, measure_rss=False):
    """Exec to the first `next` request (s), and the peak RSS (KiB) when asked
    (that run goes through /usr/bin/time -v, so its time is not used)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_LAMBDA_FUNCTION_NAME": "ecsTasks",
    }
    argv = (["/usr/bin/time", "-v"] if measure_rss else []) + [binary]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    conn, _ = srv.accept()
    conn.recv(4096)
    elapsed = time.perf_counter() - start
    target = child_pids(proc.pid) if measure_rss else [proc.pid]
    for pid in target:
        os.kill(pid, signal.SIGTERM)
    conn.close()
    srv.close()
    _, err = proc.communicate(timeout=10)
    return elapsed, peak_rss_kb(err) if measure_rss else None


def child_pids(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def one_exec(argv, measure_rss=False):
    prefix = ["/usr/bin/time", "-v"] if measure_rss else []
    start = time.perf_counter()
    proc = subprocess.run(prefix + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=True)
    return time.perf_counter() - start, peak_rss_kb(proc.stderr) if measure_rss else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True, help="the release bootstrap")
    ap.add_argument("--floor", required=True, help="bench/floor.c, built static")
    ap.add_argument("--dev", help="the development (dynamic) build, if built")
    ap.add_argument("--runs", type=int, default=20)
    a = ap.parse_args()
    programs = [("ecs-tasks bootstrap, release (static)", a.binary),
                ("floor: static socket program, same GET (bench/floor.c)", a.floor)]
    if a.dev:
        programs.append(("ecs-tasks, development build (dynamic)", a.dev))
    times = {path: [] for _, path in programs}
    for _ in range(a.runs):
        for _, path in programs:
            times[path].append(one_runtime_start(path)[0] * 1000)
    rss = {path: one_runtime_start(path, measure_rss=True)[1] / 1024 for _, path in programs}
    py_argv = [sys.executable, "-c", PY_ANCHOR]
    py_runs = max(3, a.runs // 4)
    py = [one_exec(py_argv)[0] * 1000 for _ in range(py_runs)]
    py_rss = one_exec(py_argv, measure_rss=True)[1] / 1024
    floor = statistics.median(times[a.floor])
    print(f"Cold start and peak RSS, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs ({a.runs} runs of each runtime, interleaved, {py_runs} of "
          f"python3; median)\n")
    print("| program | cold start (median) | best | x floor | peak RSS |")
    print("|---|---|---|---|---|")
    for name, path in programs:
        med = statistics.median(times[path])
        print(f"| {name} (exec to first `next`) | {med:.2f} ms | {min(times[path]):.2f} ms | "
              f"{med / floor:.2f} | {rss[path]:.1f} MiB |")
    print(f"| python3 + boto3 ECS client (exec to exit) | {statistics.median(py):.1f} ms | "
          f"{min(py):.1f} ms | {statistics.median(py) / floor:.0f} | {py_rss:.1f} MiB |")
    print(f"\nbinary: {a.binary} ({os.path.getsize(a.binary) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
