#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Deployment size: the release zips beside what the original Python
function loads at run time (boto3 and the packages it imports, as installed
for this machine's python3; Lambda's Python runtime provides them), and what
each binary is made of: the bytes each library puts in the loaded image,
summed from the linker's map file (CMakeLists.txt writes it).

    bench/sizes.py ZIP [ZIP...] [--map ARCH=FILE ...]    prints markdown tables
"""
import argparse
import collections
import importlib
import os
import re

PYTHON_SDK = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3")


def tree_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path)
               for f in files)


def mb(n):
    return "%.2f MB" % (n / 1e6)


# A map line naming an input section whole, or its second half when the
# section's name was too long to share the line.
MAP_ONE = re.compile(r"^ (\S+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$")
MAP_CONT = re.compile(r"^\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+(\S.*)$")


def library_of(path):
    name = re.sub(r"\(.*\)$", "", path).split("/")[-1]
    if "ltrans" in name or name.endswith(".c.o") or name.startswith("libecs_"):
        return "ecs-tasks (our code, LTO)"
    if name in ("libc.a", "libm.a", "libpthread.a") or name.endswith("crt1.o") or \
            name.startswith("crt"):
        return "glibc (static)"
    if name.startswith("libgcc"):
        return "libgcc"
    return name


def map_breakdown(map_file):
    """Bytes of allocated sections per library, from a GNU ld map file. The
    relocation table the linker makes for a static-pie counts as its own."""
    per = collections.Counter()
    out = pending = None
    with open(map_file) as f:
        lines = f.read().split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Linker script and memory"))
    for line in lines[start:]:
        if line.startswith("."):
            out = line.split()[0]
            continue
        size = path = None
        m = MAP_ONE.match(line)
        if m:
            size, path = int(m.group(2), 16), m.group(3)
            if m.group(1) == "*fill*":
                path = "alignment padding"
            pending = None
        elif pending:
            m = MAP_CONT.match(line)
            if m:
                size, path = int(m.group(1), 16), m.group(2)
            pending = None
        else:
            m = re.match(r"^ (\S+)$", line)
            pending = m.group(1) if m else None
        if not size or not out or out.startswith(".debug") or out in (".comment", ".symtab",
                                                                      ".strtab", ".shstrtab"):
            continue
        if out.startswith(".rela") or out.startswith(".relr"):
            per["relocations (static-pie)"] += size
        else:
            per[library_of(path)] += size
    return per


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("zips", nargs="*")
    ap.add_argument("--map", action="append", default=[], help="ARCH=linker map file")
    a = ap.parse_args()
    print("| artefact | size |")
    print("|---|---|")
    for z in a.zips:
        if os.path.exists(z):
            print("| `%s` (zip) | %s |" % (os.path.basename(z), mb(os.path.getsize(z))))
    sdk = 0
    for name in PYTHON_SDK:
        sdk += tree_bytes(os.path.dirname(importlib.import_module(name).__file__))
    print("| python3's %s, installed (what the Python function imports) | %s |"
          % (" + ".join(PYTHON_SDK), mb(sdk)))
    maps = [m.split("=", 1) for m in a.map if os.path.exists(m.split("=", 1)[1])]
    if not maps:
        return
    tables = [(arch, map_breakdown(path)) for arch, path in maps]
    names = sorted({n for _, t in tables for n in t}, key=lambda n: -tables[0][1][n])
    print("\nWhat the stripped binary loads, per library (bytes of allocated sections, "
          "from the linker's map):\n")
    print("| library | " + " | ".join(arch for arch, _ in tables) + " |")
    print("|---|" + "---|" * len(tables))
    for n in names:
        print("| %s | " % n + " | ".join("%d KiB" % (t[n] // 1024) for _, t in tables) + " |")
    print("| total | " + " | ".join("%d KiB" % (sum(t.values()) // 1024) for _, t in tables)
          + " |")


if __name__ == "__main__":
    main()
