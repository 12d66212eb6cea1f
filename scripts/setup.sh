#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs everything ecs-tasks needs to build and test on Debian 12, then
# checks the Python test tools. Safe to run again.
set -euo pipefail

DEBIAN_PACKAGES=(
  build-essential cmake pkg-config clang clang-format
  libcurl4-openssl-dev libjansson-dev libssl-dev libexpat1-dev libcmocka-dev
  valgrind hyperfine zip unzip time binutils
  libc-ares-dev dpkg-dev ca-certificates patch openssl
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The Graviton release build cross-compiles and its test runs under qemu.
ARM64_PACKAGES=(
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
  libssl-dev:arm64 libjansson-dev:arm64 libexpat1-dev:arm64 libc-ares-dev:arm64
)
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "setup: adding the arm64 architecture (for make build ARCH=arm64)"
  as_root dpkg --add-architecture arm64
fi
DEBIAN_PACKAGES+=("${ARM64_PACKAGES[@]}")

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages already installed"
fi

# The Python test tools: the machine's python3 normally has them; PyPI is only
# asked for what is missing.
PY=${PYTHON:-python3}
need_pip=()
"$PY" -c 'import moto.server, flask' 2>/dev/null || need_pip+=('moto[server]==5.2.1')
"$PY" -c 'import boto3, botocore' 2>/dev/null || need_pip+=(boto3)
"$PY" -c 'import cfnlint' 2>/dev/null || need_pip+=(cfn-lint)
if [ ${#need_pip[@]} -gt 0 ]; then
  echo "setup: pip-installing ${need_pip[*]}"
  "$PY" -m pip install --quiet "${need_pip[@]}"
fi
"$PY" -c 'import moto, boto3; print("setup: python3", __import__("sys").version.split()[0], "moto", moto.__version__, "boto3", boto3.__version__)'
echo "setup: done"
