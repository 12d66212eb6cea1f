#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every benchmark, in one run on this machine, each figure beside its anchor:
# cold start and peak RSS against the floor program, the development build and
# python3 + boto3 (bench/first_next.py); the first TLS call by trust store and
# the peak RSS of a whole Create over HTTP and TLS (bench/tls_and_rss.py);
# deployment size and what the binary is made of (bench/sizes.py); HTTP
# requests, TCP connections and instructions per Create (bench/per_create.py).
# `make bench` builds the zips, the development binary and the floor, then
# runs this.
#
#   bench/run.sh BOOTSTRAP FLOOR [DEV] [RUNS]
#
# Writes bench/results/results.md (the README quotes it) and prints it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${1:-$root/build/release-x86_64/zip/bootstrap}
floor=${2:-$root/build/bench/floor}
dev=${3:-$root/build/ecs-tasks}
runs=${4:-20}
dev_arg=()
[ -x "$dev" ] && dev_arg=(--dev "$dev")
out="$here/results/results.md"
mkdir -p "$here/results"
{
  echo "# ecs-tasks benchmarks"
  echo
  echo "$(date -u +%Y-%m-%d), $(uname -m), $(nproc) CPUs, $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo 'no git'), \`bench/run.sh\`"
  echo
  echo "## Cold start and peak RSS"
  echo
  python3 "$here/first_next.py" --runs "$runs" --binary "$bin" --floor "$floor" "${dev_arg[@]}"
  echo
  echo "## First TLS call and peak RSS of a Create"
  echo
  python3 "$here/tls_and_rss.py" --binary "$bin" "${dev_arg[@]}"
  echo
  echo "## Deployment size"
  echo
  python3 "$here/sizes.py" "$root/build/ecsTasks.zip" "$root/build/ecsTasks-arm64.zip" \
    --map "x86_64=$root/build/release-x86_64/ecs-tasks.map" \
    --map "arm64=$root/build/release-arm64/ecs-tasks.map"
  echo
  echo "## Per Create event"
  echo
  python3 "$here/per_create.py" --binary "$bin"
} > "$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
