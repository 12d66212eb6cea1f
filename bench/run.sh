#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every benchmark, in one run on this machine, each figure beside its anchor:
# cold start and peak RSS (bench/first_next.py), deployment size
# (bench/sizes.py), HTTP requests, TCP connections and instructions per
# Create (bench/per_create.py). `make bench` builds the zip, then runs this.
#
#   bench/run.sh [BOOTSTRAP] [RUNS]
#
# Writes bench/results/results.md (the README quotes it) and prints it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${1:-$root/build/release-x86_64/zip/bootstrap}
runs=${2:-20}
out="$here/results/results.md"
mkdir -p "$here/results"
{
  echo "# ecs-tasks benchmarks"
  echo
  echo "$(date -u +%Y-%m-%d), $(uname -m), $(nproc) CPUs, $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo 'no git'), \`bench/run.sh\`"
  echo
  echo "## Cold start and peak RSS"
  echo
  python3 "$here/first_next.py" --runs "$runs" --binary "$bin"
  echo
  echo "## Deployment size"
  echo
  python3 "$here/sizes.py" "$root/build/ecsTasks.zip" "$root/build/ecsTasks-arm64.zip"
  echo
  echo "## Per Create event"
  echo
  python3 "$here/per_create.py" --binary "$bin"
} > "$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
