# SPDX-License-Identifier: Apache-2.0
"""Runs tests/tools/aws-probe (AWS_PROBE_BIN): the AWS layer, driven from Python."""
import json
import os
import subprocess

from harness import transcript

PROBE = os.environ.get("AWS_PROBE_BIN", "")


def probe(env, *args, deadline_ms=None, max_attempts=None, timeout=120):
    """Returns (exit code, parsed output)."""
    argv = [PROBE]
    if deadline_ms is not None:
        argv += ["--deadline-ms", str(deadline_ms)]
    if max_attempts is not None:
        argv += ["--max-attempts", str(max_attempts)]
    argv += [a if isinstance(a, str) else json.dumps(a) for a in args]
    proc = subprocess.run(argv, env=env, capture_output=True, timeout=timeout)
    try:
        out = json.loads(proc.stdout)
    except ValueError:
        raise AssertionError("aws-probe printed no JSON (exit %d):\n%s\n%s"
                             % (proc.returncode, proc.stdout.decode(), proc.stderr.decode()))
    out["stderr"] = proc.stderr.decode("utf-8", "replace")
    transcript.output(out["stderr"])
    return proc.returncode, out
