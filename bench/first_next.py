#!/usr/bin/env python3
"""Measures exec-to-first-`next` of a Lambda custom runtime, and peak RSS.

Plays a minimal Runtime API on 127.0.0.1: the moment the binary's first
GET /2018-06-01/runtime/invocation/next arrives is its cold start. The
binary is then ended (SIGTERM) and /usr/bin/time -v reports its peak RSS.
The anchor, `python3 -c 'import boto3; boto3.client("ecs")'`, is timed from
exec to exit with the same clock, and its peak RSS taken the same way.
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


def one_runtime_start(binary):
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
    start = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-v", binary], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    conn, _ = srv.accept()
    conn.recv(4096)
    elapsed = time.perf_counter() - start
    # /usr/bin/time's own exec is inside the measurement; it is subtracted
    # below with a run of `true` measured the same way.
    for child in child_pids(proc.pid):
        os.kill(child, signal.SIGTERM)
    conn.close()
    srv.close()
    _, err = proc.communicate(timeout=10)
    return elapsed, peak_rss_kb(err)


def child_pids(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def one_exec(argv):
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v"] + argv, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=True)
    return time.perf_counter() - start, peak_rss_kb(proc.stderr)


def summarize(samples):
    times = [t * 1000 for t, _ in samples]
    rss = [r for _, r in samples if r]
    return statistics.median(times), min(times), max(rss) / 1024 if rss else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--runs", type=int, default=20)
    a = ap.parse_args()
    floor = [one_exec(["true"]) for _ in range(a.runs)]
    ours = [one_runtime_start(a.binary) for _ in range(a.runs)]
    py = [one_exec([sys.executable, "-c", PY_ANCHOR]) for _ in range(max(3, a.runs // 4))]
    f_med, _, _ = summarize(floor)
    o_med, o_min, o_rss = summarize(ours)
    p_med, p_min, p_rss = summarize(py)
    print(f"Cold start and peak RSS, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, {a.runs} runs (median; /usr/bin/time's own "
          f"{f_med:.1f} ms exec subtracted)\n")
    print("| program | cold start (median) | best | peak RSS |")
    print("|---|---|---|---|")
    print(f"| ecs-tasks bootstrap (exec to first `next`) | {o_med - f_med:.1f} ms | "
          f"{o_min - f_med:.1f} ms | {o_rss:.1f} MiB |")
    print(f"| python3 + boto3 ECS client (exec to exit) | {p_med - f_med:.1f} ms | "
          f"{p_min - f_med:.1f} ms | {p_rss:.1f} MiB |")
    print(f"\nbinary: {a.binary} ({os.path.getsize(a.binary) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
