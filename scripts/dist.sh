#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Packages the release binaries `make build ARCH=...` left in
# build/release-<arch>/zip/bootstrap (static, stripped) as the command-line
# download, one tarball per architecture, and their SHA-256 sums:
#
#   scripts/dist.sh VERSION OUTDIR
#     OUTDIR/ecs-tasks-VERSION-linux-x86_64.tar.gz
#     OUTDIR/ecs-tasks-VERSION-linux-arm64.tar.gz
#     OUTDIR/ecs-tasks-VERSION-SHA256SUMS        (sha256sum -c compatible)
#
# Each tarball holds, at its root: ecs-tasks (the same binary as the
# Lambda zip's bootstrap: run with a subcommand it is the CLI), ecs-tasks.1,
# README.md, LICENSE. The archives are reproducible: sorted names, owner
# root, mtimes of SOURCE_DATE_EPOCH (default: the last commit), gzip -n.
set -euo pipefail
version=${1:?usage: scripts/dist.sh VERSION OUTDIR}
out=${2:?usage: scripts/dist.sh VERSION OUTDIR}
root=$(cd "$(dirname "$0")/.." && pwd)
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
tarballs=()
for arch in x86_64 arm64; do
  binary="$root/build/release-$arch/zip/bootstrap"
  if [ ! -x "$binary" ]; then
    echo "dist: no $binary: run make build ARCH=$arch (or make dist)" >&2
    exit 1
  fi
  dir="$stage/$arch"
  mkdir -p "$dir"
  install -m 755 "$binary" "$dir/ecs-tasks"
  install -m 644 "$root/doc/ecs-tasks.1" "$root/README.md" "$root/LICENSE" "$dir/"
  name="ecs-tasks-$version-linux-$arch.tar.gz"
  tar -C "$dir" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    --format=gnu -cf - ecs-tasks ecs-tasks.1 README.md LICENSE | gzip -n -9 >"$out/$name.tmp"
  mv "$out/$name.tmp" "$out/$name"
  tarballs+=("$name")
  echo "built $out/$name ($(stat -c %s "$out/$name") bytes)"
done
sums="ecs-tasks-$version-SHA256SUMS"
(cd "$out" && sha256sum "${tarballs[@]}" >"$sums.tmp" && mv "$sums.tmp" "$sums")
echo "built $out/$sums"
