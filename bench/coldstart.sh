#!/usr/bin/env bash
# Cold start and peak memory of the runtime binary, side by side with the floor
# of the original Python function (python3 importing boto3 and making an ECS
# client), measured in the same run on the same machine.
#
#   bench/coldstart.sh [BINARY] [RUNS]
#
# Cold start = from exec to the binary's first Runtime API `next` request
# (measured by bench/first_next.py, which plays the Runtime API).
# Peak RSS = /usr/bin/time -v's "Maximum resident set size" of the same run.
# Writes bench/results/coldstart.md and prints it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/ecs-tasks}
runs=${2:-20}
mkdir -p "$here/results"
out="$here/results/coldstart.md"
python3 "$here/first_next.py" --runs "$runs" --binary "$bin" > "$out"
cat "$out"
