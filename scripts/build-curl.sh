#!/usr/bin/env bash
# Builds a minimal static libcurl for the release bootstrap (DESIGN.md "Two
# builds"): Debian's own curl source package, HTTP(S) only, OpenSSL (Debian's
# libssl.a), c-ares for name lookups, no CA path compiled in (the program sets
# CURLOPT_CAINFO itself). Installed into .deps/<arch>/ and reused while the
# stamp file matches.
#
#   scripts/build-curl.sh [x86_64|arm64]
set -euo pipefail
arch=${1:-x86_64}
deps="${ECS_DEPS_DIR:-${HOME:-/tmp}/.cache/ecs-tasks}"
prefix="$deps/$arch"
stamp="$prefix/.curl-built"
if [ -f "$stamp" ] && [ -f "$prefix/lib/libcurl.a" ]; then
  echo "build-curl: $arch libcurl already built ($(cat "$stamp"))"
  exit 0
fi
mkdir -p "$deps/apt/lists/partial" "$deps/src" "$prefix"

# A private sources list with deb-src entries: /etc/apt is left alone.
cat > "$deps/apt/sources.list" <<SRC
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm-updates main
deb-src http://deb.debian.org/debian-security bookworm-security main
SRC
apt_opts=(-o "Dir::Etc::SourceList=$deps/apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
          -o "Dir::State::Lists=$deps/apt/lists" -o "APT::Sandbox::User=root")
if ! ls "$deps"/src/curl-*/configure >/dev/null 2>&1; then
  apt-get "${apt_opts[@]}" update -qq
  (cd "$deps/src" && apt-get "${apt_opts[@]}" source --download-only -qq curl &&
     dpkg-source -x --no-check curl_*.dsc >/dev/null)
fi
srcdir=$(ls -d "$deps"/src/curl-*/ | head -n 1)

case "$arch" in
  x86_64) host=x86_64-linux-gnu; cc=gcc ;;
  arm64) host=aarch64-linux-gnu; cc=aarch64-linux-gnu-gcc ;;
  *) echo "build-curl: unknown arch $arch" >&2; exit 2 ;;
esac
build="$deps/build-curl-$arch"
rm -rf "$build" && mkdir -p "$build"
cd "$build"
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
make -C lib install >/dev/null && make -C include install >/dev/null
make install-pkgconfigDATA >/dev/null 2>&1 || cp libcurl.pc "$prefix/lib/pkgconfig/" 2>/dev/null || true
basename "$srcdir" > "$stamp"
echo "build-curl: $arch libcurl built into $prefix"
