#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds a minimal static libcurl for the release bootstrap (doc/architecture.md,
# "Two builds"): Debian's own curl source package, HTTP(S) only, OpenSSL (Debian's
# libssl.a), c-ares for name lookups, no CA path compiled in (the program sets
# CURLOPT_CAINFO itself). Installed into $ECS_DEPS_DIR/<arch>/ and reused while
# its stamp file is there.
#
#   scripts/build-curl.sh [x86_64|arm64]
#
# Several builds may share the cache at once (two clones on one CI runner, both
# architectures in parallel): the source is fetched under one lock, each
# architecture is built under its own lock in a private directory, and the
# result is moved into place only when complete, so a reader sees either no
# prefix or a whole one.
set -euo pipefail
arch=${1:-x86_64}
deps="${ECS_DEPS_DIR:-${HOME:-/tmp}/.cache/ecs-tasks}"
prefix="$deps/$arch"
stamp="$prefix/.curl-built"
built() { [ -f "$stamp" ] && [ -f "$prefix/lib/libcurl.a" ]; }
if built; then
  echo "build-curl: $arch libcurl already built ($(cat "$stamp"))"
  exit 0
fi
case "$arch" in
  x86_64) host=x86_64-linux-gnu; cc=gcc ;;
  arm64) host=aarch64-linux-gnu; cc=aarch64-linux-gnu-gcc ;;
  *) echo "build-curl: unknown arch $arch" >&2; exit 2 ;;
esac
mkdir -p "$deps"

# The source, once for every architecture: fetched and unpacked into a private
# directory, then renamed to src/ (a rename is atomic).
fetch_source() {
  [ -d "$deps/src" ] && ls "$deps"/src/curl-*/configure >/dev/null 2>&1 && return 0
  local work
  work=$(mktemp -d "$deps/fetch.XXXXXX")
  mkdir -p "$work/apt/lists/partial" "$work/src"
  # A private sources list with deb-src entries: /etc/apt is left alone.
  cat > "$work/apt/sources.list" <<SRC
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm-updates main
deb-src http://deb.debian.org/debian-security bookworm-security main
SRC
  local apt_opts=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
                  -o "Dir::State::Lists=$work/apt/lists" -o "APT::Sandbox::User=root")
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only -qq curl &&
     dpkg-source -x --no-check curl_*.dsc >/dev/null)
  rm -rf "$deps/src"
  mv "$work/src" "$deps/src"
  rm -rf "$work"
}
(
  flock 9
  fetch_source
) 9>"$deps/.source.lock"
srcdir=$(ls -d "$deps"/src/curl-*/ | head -n 1)

exec 9>"$deps/.$arch.lock"
flock 9
if built; then # another build finished it while we waited
  echo "build-curl: $arch libcurl already built ($(cat "$stamp"))"
  exit 0
fi
work=$(mktemp -d "$deps/build-$arch.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/obj" "$work/prefix"
cd "$work/obj"
CC=$cc CFLAGS="-O2 -fPIE" PKG_CONFIG_LIBDIR="/usr/lib/$host/pkgconfig:/usr/share/pkgconfig" \
  "$srcdir/configure" --host="$host" --prefix="$prefix" --disable-shared --enable-static \
  --with-openssl --enable-ares --without-zlib --without-brotli --without-zstd \
  --without-libpsl --without-libidn2 --without-librtmp --without-libssh2 --without-nghttp2 \
  --without-ngtcp2 --without-nghttp3 --without-gssapi --without-libgsasl \
  --disable-ldap --disable-ldaps --disable-rtsp --disable-dict --disable-telnet \
  --disable-tftp --disable-pop3 --disable-imap --disable-smb --disable-smtp --disable-gopher \
  --disable-mqtt --disable-ftp --disable-file --disable-manual --disable-ntlm --disable-docs \
  --disable-alt-svc --disable-hsts --disable-unix-sockets --disable-netrc \
  --without-ca-bundle --without-ca-path --without-ca-fallback >configure.log 2>&1 ||
  { tail -30 configure.log; exit 1; }
make -j"$(nproc)" -C lib >make.log 2>&1 || { tail -30 make.log; exit 1; }
# Installed under the private directory (DESTDIR), then moved into place whole.
make -C lib install DESTDIR="$work/prefix" >/dev/null
make -C include install DESTDIR="$work/prefix" >/dev/null
basename "$srcdir" > "$work/prefix$prefix/.curl-built"
rm -rf "$prefix"
mv "$work/prefix$prefix" "$prefix"
echo "build-curl: $arch libcurl built into $prefix"
