#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Deployment size: the release zips beside what the original Python
function loads at run time (boto3 and the packages it imports, as installed
for this machine's python3; Lambda's Python runtime provides them).

    bench/sizes.py ZIP [ZIP...]        prints a markdown table
"""
import importlib
import os
import sys

PYTHON_SDK = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3")


def tree_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path)
               for f in files)


def mb(n):
    return "%.2f MB" % (n / 1e6)


def main(zips):
    print("| artefact | size |")
    print("|---|---|")
    for z in zips:
        if os.path.exists(z):
            print("| `%s` (zip) | %s |" % (os.path.basename(z), mb(os.path.getsize(z))))
    sdk = 0
    for name in PYTHON_SDK:
        sdk += tree_bytes(os.path.dirname(importlib.import_module(name).__file__))
    print("| python3's %s, installed (what the Python function imports) | %s |"
          % (" + ".join(PYTHON_SDK), mb(sdk)))


if __name__ == "__main__":
    main(sys.argv[1:])
