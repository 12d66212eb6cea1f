# SPDX-License-Identifier: Apache-2.0
"""The no-secrets check: after every integration test of a variant has run
(a ctest fixture clean-up), no value the tests registered as sensitive (secret
values, SecureString parameters, ResponseURL signatures, secret access keys and
session tokens) may appear in anything the product printed or sent back (log
lines, CloudFormation response bodies, Runtime API results, CLI output), in
any of the forms a value reappears in: as it is, JSON-escaped (as jansson
writes it and with backslash-u escapes), URL-encoded (%XX and '+'), and, for a
value that is a JSON document (a whole secret), each string inside it.
See harness/transcript.py for how both are recorded.

    python3 check_transcripts.py DIR      exit 0 clean, 1 leak, 77 nothing recorded
"""
import glob
import json
import os
import sys
import urllib.parse

# Shorter forms would match ordinary text by chance (transcript.sensitive
# refuses such values for the same reason).
MIN_FORM = 8


def read_lines(pattern):
    values = set()
    for path in glob.glob(pattern):
        with open(path, encoding="utf-8") as f:
            values.update(line.rstrip("\n") for line in f if line.strip())
    return values


def strings_in(doc):
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, dict):
        for v in doc.values():
            yield from strings_in(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from strings_in(v)


def forms(value):
    """The value and the forms it reappears in."""
    try:
        doc = json.loads(value)
    except ValueError:
        doc = None
    texts = {value} | set(strings_in(doc) if isinstance(doc, (dict, list)) else ())
    out = set()
    for text in texts:
        out |= {text, json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1],
                urllib.parse.quote(text, safe=""), urllib.parse.quote_plus(text)}
    return {f for f in out if len(f) >= MIN_FORM}


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
    # The check itself must be able to fail: a planted leak is found, in
    # each derived form too.
    assert leaks({"planted-secret"}, {"f": "a\nx planted-secret y\n"}) == [
        ("f", 2, "planted-secret")]
    planted = 'planted "value" é'
    for form in (json.dumps(planted)[1:-1], urllib.parse.quote(planted, safe="")):
        assert leaks(forms(planted), {"f": "x " + form}), form
    assert leaks(forms(json.dumps({"k": "planted-member"})), {"f": "planted-member"})
    sensitive = set()
    for value in read_lines(os.path.join(directory, "*.sensitive")):
        sensitive |= forms(value)
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
