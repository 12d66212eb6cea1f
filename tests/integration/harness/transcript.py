# SPDX-License-Identifier: Apache-2.0
"""What the product said, kept for the no-secrets check.

When ECS_TASKS_TRANSCRIPTS names a directory (ctest sets one per variant),
every piece of output of the product the tests see (its log lines, the bodies
it PUTs to CloudFormation or posts to the Runtime API, the CLI's stdout and
stderr) is appended to <dir>/<pid>.out, and every value that must never appear
there (secret values, ResponseURL signatures, secret keys) to
<dir>/<pid>.sensitive, one per line. tests/integration/check_transcripts.py
reads both after the whole suite has run.
"""
import os

DIR = os.environ.get("ECS_TASKS_TRANSCRIPTS", "")


def _append(suffix, text):
    if not DIR:
        return
    os.makedirs(DIR, exist_ok=True)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    with open(os.path.join(DIR, "%d.%s" % (os.getpid(), suffix)), "a", encoding="utf-8") as f:
        f.write(text if text.endswith("\n") else text + "\n")


def output(text):
    """Something the product printed or sent back."""
    if text:
        _append("out", text)


def sensitive(value):
    """Registers a value the product must never show; returns it. Short values
    would match by chance, so a test that registers one is told to pick a longer one."""
    if len(value) < 8:
        raise ValueError("a sensitive test value needs 8+ characters: %r" % value)
    _append("sensitive", value.replace("\n", " "))
    return value
