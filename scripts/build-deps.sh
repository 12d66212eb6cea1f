#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the static libcrypto/libssl and libcurl of the release bootstrap
# (doc/architecture.md, "Two builds") from Debian's own source packages:
#
#   OpenSSL  only what a TLS 1.2/1.3 client of AWS needs: no config file loading,
#            no error strings (we never show them: http.c reports curl's own
#            message), no engines, modules, legacy provider or deprecated API,
#            no SSLv3/TLS 1.0/1.1/DTLS, no SRP/PSK/CT/OCSP/CMS, none of the
#            ciphers and digests AWS endpoints do not offer; P-256 in constant-
#            time C rather than assembly with a 150 KB table
#            (scripts/openssl-no-nistz256.patch).
#   libcurl  HTTP(S) only, our OpenSSL, Debian's c-ares for name lookups, no CA
#            path compiled in (http.c chooses the trust store itself), and
#            scripts/curl-lazy-init.patch: the resolver and the TLS library
#            are set up at their first use, not by curl_easy_init and
#            curl_global_init.
#
# Both are compiled with every function in its own section so the release link
# can drop what nothing reaches (-Wl,--gc-sections).
#
#   scripts/build-deps.sh [x86_64|arm64]          build (once) and print nothing else
#   scripts/build-deps.sh --prefix [x86_64|arm64] print where the build goes
#
# The prefix is $ECS_DEPS_DIR/<arch>-<hash of this script and the patches>: a
# change to the configuration builds afresh beside the old one, and builds made by older
# versions of this script (other branches) are left alone.
#
# Several builds may share the cache at once (two clones on one CI runner, both
# architectures in parallel): sources are fetched under one lock, each
# architecture is built under its own lock in a private directory, and the
# result is moved into place only when complete, so a reader sees either no
# prefix or a whole one.
set -euo pipefail
if [ "${1:-}" = --prefix ]; then
  print_prefix=1
  shift
fi
arch=${1:-x86_64}
here=$(cd "$(dirname "$0")" && pwd)
deps="${ECS_DEPS_DIR:-${HOME:-/tmp}/.cache/ecs-tasks}"
key=$(cat "$here/build-deps.sh" "$here/openssl-no-nistz256.patch" "$here/curl-lazy-init.patch" |
      sha256sum | cut -c1-12)
prefix="$deps/$arch-$key"
if [ -n "${print_prefix:-}" ]; then
  echo "$prefix"
  exit 0
fi
stamp="$prefix/.built"
built() { [ -f "$stamp" ]; }
if built; then
  exit 0
fi
case "$arch" in
  x86_64) host=x86_64-linux-gnu; cc=gcc; ossl_target=linux-x86_64 ;;
  arm64) host=aarch64-linux-gnu; cc=aarch64-linux-gnu-gcc; ossl_target=linux-aarch64 ;;
  *) echo "build-deps: unknown arch $arch" >&2; exit 2 ;;
esac
# Sources are fetched afresh for each version of this script: a change to it
# also picks up Debian's newest security updates.
sources="$deps/sources-$key"
mkdir -p "$sources"

# One Debian source package, once for every architecture: fetched and unpacked
# into a private directory, then renamed to sources-<key>/<package> (a rename is
# atomic). Only the newest version in Debian's signed index is built: an older
# one lacks fixes. A security update's files can lag behind its index entry;
# then, for a package whose Debian updates are upstream releases (OpenSSL's in
# bookworm: 3.0.x, their CVE fixes in the upstream tarball), the upstream
# tarball of that version alone is built, checked against the SHA-256 the
# index gives. Any other package (curl's fixes are Debian patches on 7.88.1)
# fails: building it without them would ship known holes.
#
#   fetch_source PACKAGE [upstream-ok]
fetch_source() {
  local pkg=$1 upstream_ok=${2:-}
  [ -f "$sources/$pkg/.fetched" ] && return 0
  local work
  work=$(mktemp -d "$deps/fetch-$pkg.XXXXXX")
  mkdir -p "$work/apt/lists/partial" "$work/src/$pkg"
  # A private sources list with deb-src entries: /etc/apt is left alone.
  cat > "$work/apt/sources.list" <<SRC
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm-updates main
deb-src http://deb.debian.org/debian-security bookworm-security main
SRC
  local apt_opts=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
                  -o "Dir::State::Lists=$work/apt/lists" -o "APT::Sandbox::User=root")
  apt-get "${apt_opts[@]}" update -qq
  local v got=
  v=$(apt-cache "${apt_opts[@]}" showsrc "$pkg" | sed -n 's/^Version: //p' | sort -u -V | tail -n 1)
  [ -n "$v" ] || { echo "build-deps: no $pkg in Debian's index" >&2; exit 1; }
  if (cd "$work/src/$pkg" && apt-get "${apt_opts[@]}" source --download-only -qq "$pkg=$v" \
        >/dev/null 2>&1 && dpkg-source -x --no-check "${pkg}_${v#*:}.dsc" >/dev/null); then
    got=$v
  elif [ -n "$upstream_ok" ]; then
    # 'URL' NAME SIZE SHA256:HASH, one line a file; apt-helper checks the hash.
    local url name hash upstream=${v#*:}
    upstream=${upstream%-*}
    read -r url name _ hash < <(apt-get "${apt_opts[@]}" source --print-uris -qq "$pkg=$v" |
                                grep -E "'[^ ]*\.orig\.tar\.[a-z0-9]+' ")
    rm -rf "${work:?}/src/$pkg" && mkdir -p "$work/src/$pkg"
    /usr/lib/apt/apt-helper "${apt_opts[@]}" -qq download-file "${url//\'/}" "$work/src/$pkg/$name" "$hash" >/dev/null &&
      tar -xf "$work/src/$pkg/$name" -C "$work/src/$pkg" ||
      { echo "build-deps: $pkg $v: neither its source package nor its upstream tarball could be fetched" >&2; exit 1; }
    [ -d "$work/src/$pkg/$pkg-$upstream" ] ||
      { echo "build-deps: $name does not unpack into $pkg-$upstream" >&2; exit 1; }
    echo "build-deps: $pkg $v: Debian's files are not served; building upstream $upstream (checked against the index)" >&2
    got="$upstream (upstream tarball of Debian's $v)"
  else
    echo "build-deps: $pkg $v could not be fetched whole; refusing to build an older version" >&2
    exit 1
  fi
  echo "$got" > "$work/src/$pkg/.fetched"
  rm -rf "${sources:?}/$pkg"
  mv "$work/src/$pkg" "$sources/$pkg"
  rm -rf "$work"
}
(
  flock 9
  fetch_source openssl upstream-ok
  fetch_source curl
) 9>"$sources/.lock"
ossl_src=$(ls -d "$sources"/openssl/openssl-*/ | head -n 1)
curl_src=$(ls -d "$sources"/curl/curl-*/ | head -n 1)

exec 9>"$deps/.$arch-$key.lock"
flock 9
if built; then # another build finished it while we waited
  exit 0
fi
started=$(date +%s)
work=$(mktemp -d "$deps/build-$arch.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage="$work/stage$prefix" # installed here (DESTDIR), then moved into place whole
mkdir -p "$work/openssl" "$work/curl"
jobs=$(nproc)
# Sections for --gc-sections; no unwind tables (C code, nothing unwinds it).
cflags="-Os -fPIE -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables"

echo "build-deps: $arch OpenSSL $(cat "$sources/openssl/.fetched") (a few minutes)"
# Patched in a private copy: the shared source tree stays as Debian made it.
cp -a "$ossl_src" "$work/openssl-src"
patch -d "$work/openssl-src" -p1 --quiet <"$here/openssl-no-nistz256.patch" ||
  { echo "build-deps: scripts/openssl-no-nistz256.patch does not apply to $ossl_src" >&2; exit 1; }
ossl_src="$work/openssl-src"
cd "$work/openssl"
CC=$cc "$ossl_src/Configure" "$ossl_target" --prefix="$prefix" --libdir=lib \
  --openssldir=/etc/ssl $cflags -DOPENSSL_SMALL_FOOTPRINT enable-ec_nistp_64_gcc_128 \
  no-shared no-module no-dso no-engine no-legacy no-deprecated no-autoload-config \
  no-autoalginit no-err no-filenames no-secure-memory no-sock no-ui-console no-tests \
  no-ssl3 no-tls1 no-tls1_1 no-dtls no-srp no-psk no-comp no-zlib no-ct no-ocsp no-cms \
  no-ts no-cmp no-rfc3779 no-sctp no-srtp no-nextprotoneg no-ssl-trace no-weak-ssl-ciphers \
  no-aria no-bf no-blake2 no-camellia no-cast no-des no-dh no-dsa no-ec2m no-gost no-idea \
  no-md4 no-mdc2 no-ocb no-rc2 no-rc4 no-rc5 no-rmd160 no-scrypt no-seed no-siphash no-siv \
  no-sm2 no-sm3 no-sm4 no-whirlpool no-multiblock no-async no-chacha no-poly1305 no-cmac \
  no-afalgeng no-padlockeng no-capieng no-devcryptoeng no-uplink no-egd \
  >configure.log 2>&1 || { tail -30 configure.log; exit 1; }
make -j"$jobs" build_libs >make.log 2>&1 || { tail -30 make.log; exit 1; }
make install_dev DESTDIR="$work/stage" >install.log 2>&1 || { tail -30 install.log; exit 1; }

echo "build-deps: $arch libcurl $(cat "$sources/curl/.fetched")"
# Patched in a private copy: the shared source tree stays as Debian made it.
cp -a "$curl_src" "$work/curl-src"
patch -d "$work/curl-src" -p1 --quiet <"$here/curl-lazy-init.patch" ||
  { echo "build-deps: scripts/curl-lazy-init.patch does not apply to $curl_src" >&2; exit 1; }
curl_src="$work/curl-src"
cd "$work/curl"
# OpenSSL's .pc files name its final prefix, not yet there: point at the stage.
CC=$cc CFLAGS="$cflags" CPPFLAGS="-I$stage/include" LDFLAGS="-L$stage/lib" \
  PKG_CONFIG_LIBDIR="/usr/lib/$host/pkgconfig:/usr/share/pkgconfig" \
  "$curl_src/configure" --host="$host" --prefix="$prefix" --disable-shared --enable-static \
  --with-openssl="$stage" --enable-ares --without-zlib --without-brotli --without-zstd \
  --without-libpsl --without-libidn2 --without-librtmp --without-libssh2 --without-nghttp2 \
  --without-ngtcp2 --without-nghttp3 --without-gssapi --without-libgsasl \
  --disable-ldap --disable-ldaps --disable-rtsp --disable-dict --disable-telnet \
  --disable-tftp --disable-pop3 --disable-imap --disable-smb --disable-smtp --disable-gopher \
  --disable-mqtt --disable-ftp --disable-file --disable-manual --disable-ntlm --disable-docs \
  --disable-alt-svc --disable-hsts --disable-unix-sockets --disable-netrc \
  --disable-openssl-auto-load-config --disable-crypto-auth --disable-tls-srp --disable-cookies \
  --disable-mime --disable-doh --disable-dateparse --disable-socketpair \
  --disable-progress-meter --disable-get-easy-options --disable-headers-api \
  --disable-websockets --disable-pthreads --disable-dnsshuffle \
  --without-ca-bundle --without-ca-path --without-ca-fallback >configure.log 2>&1 ||
  { tail -30 configure.log; exit 1; }
make -j"$jobs" -C lib >make.log 2>&1 || { tail -30 make.log; exit 1; }
make -C lib install DESTDIR="$work/stage" >/dev/null 2>&1
make -C include install DESTDIR="$work/stage" >/dev/null 2>&1

{
  echo "openssl $(cat "$sources/openssl/.fetched")"
  echo "curl $(cat "$sources/curl/.fetched")"
  echo "seconds $(($(date +%s) - started))"
} > "$stage/.built"
rm -rf "$prefix"
mv "$stage" "$prefix"
echo "build-deps: $arch built into $prefix in $(($(date +%s) - started)) s"
