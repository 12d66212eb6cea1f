# SPDX-License-Identifier: Apache-2.0
"""The no-secrets check: after every integration test of a variant has run
(a ctest fixture clean-up), no value the tests registered as sensitive (secret
values, SecureString parameters, ResponseURL signatures, secret access keys and
session tokens) may appear in anything the product printed or sent back (log
lines, CloudFormation response bodies, Runtime API results, CLI output).
See harness/transcript.py for how both are recorded.

    python3 check_transcripts.py DIR      exit 0 clean, 1 leak, 77 nothing recorded
"""
import glob
import os
import sys


def read_lines(pattern):
    values = set()
    for path in glob.glob(pattern):
        with open(path, encoding="utf-8") as f:
            values.update(line.rstrip("\n") for line in f if line.strip())
    return values


def leaks(sensitive, outputs):
    """[(file, line number, value)] for every sensitive value found in outputs
    ({file: text}). One str.find per value and file keeps thousands of values
    against megabytes of logs within seconds."""
    found = []
    for path, text in sorted(outputs.items()):
        for value in sorted(sensitive):
            at = text.find(value)
            if at >= 0:
                found.append((path, text.count("\n", 0, at) + 1, value))
    return found


def masked(value):
    return value[:3] + "..." + value[-2:]


def main(directory):
    # The check itself must be able to fail: a planted leak is found.
    assert leaks({"planted-secret"}, {"f": "a\nx planted-secret y\n"}) == [
        ("f", 2, "planted-secret")]
    sensitive = read_lines(os.path.join(directory, "*.sensitive"))
    outputs = {}
    for path in glob.glob(os.path.join(directory, "*.out")):
        with open(path, encoding="utf-8") as f:
            outputs[path] = f.read()
    if not sensitive or not outputs:
        print("nothing recorded in %s (run the integration tests first)" % directory)
        return 77
    size = sum(len(t) for t in outputs.values())
    print("checked %d sensitive values against %d bytes of output from %d test processes"
          % (len(sensitive), size, len(outputs)))
    found = leaks(sensitive, outputs)
    for path, number, value in found:
        print("LEAK %s:%d: %s" % (path, number, masked(value)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
