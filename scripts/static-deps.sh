#!/usr/bin/env bash
# Builds the libcurl and libpq that the static flavours link, from the Debian
# bookworm source packages pinned in scripts/static-deps.pins, with Debian's
# patches applied, and prints the prefix they were installed into.
#
#   scripts/static-deps.sh [amd64|arm64]
#
# Why from source: Debian's own libcurl.a and libpq.a cannot be linked
# statically (they need Kerberos, LDAP and p11-kit, which Debian ships only
# as shared libraries). These are minimal: libcurl with HTTP(S), OpenSSL,
# nghttp2 and zlib; libpq with OpenSSL and nothing else. OpenSSL, zlib,
# nghttp2, hiredis, MariaDB Connector/C and libyaml are Debian's own static
# archives.
#
# The result is cached under $PREFLIGHT_DEPS_CACHE (default
# ~/.cache/preflight/static-deps), keyed by the architecture and the pins:
# a second run prints the prefix at once, and new pins build anew.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=static-deps.pins
source scripts/static-deps.pins

arch=${1:-$(dpkg --print-architecture)}
case "$arch" in
  amd64) triplet=x86_64-linux-gnu ;;
  arm64) triplet=aarch64-linux-gnu ;;
  *) echo "static-deps: unsupported architecture $arch (amd64 or arm64)" >&2; exit 2 ;;
esac
cross=
[ "$arch" != "$(dpkg --print-architecture)" ] && cross=1

key=$(cat scripts/static-deps.pins scripts/static-deps.sh | sha256sum | cut -c1-12)
cache=${PREFLIGHT_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/preflight/static-deps}
prefix=$cache/$arch-$key
if [ -f "$prefix/.complete" ]; then
  echo "$prefix"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/log
downloads=$cache/downloads
mkdir -p "$downloads"

# Debian's archive and its security archive keep a package's current
# version; a superseded pin is found in neither, and says so.
fetch() {  # source package, file
  local source=$1 file=$2 dir=${1:0:1}
  [ -s "$downloads/$file" ] && return 0
  local url
  for url in "https://deb.debian.org/debian/pool/main/$dir/$source/$file" \
             "https://security.debian.org/debian-security/pool/updates/main/$dir/$source/$file"; do
    if curl -fsSL --retry 3 -o "$downloads/$file.part" "$url"; then
      mv "$downloads/$file.part" "$downloads/$file"
      return 0
    fi
  done
  echo "static-deps: cannot download $file (is the pin in scripts/static-deps.pins superseded?)" >&2
  exit 1
}

verify() {  # file, sha256
  if ! echo "$2  $downloads/$1" | sha256sum -c --quiet - >/dev/null 2>&1; then
    echo "static-deps: $1 does not have the pinned SHA-256 $2; removed" >&2
    rm -f "$downloads/$1"
    exit 1
  fi
}

# Downloads and checks a source package, unpacks it into $work/<source> and
# applies Debian's patch series, less the ones named in skip.
unpack() {  # source, upstream version, debian version, dsc sha256, patches to skip
  local source=$1 upstream=$2 debian=$3 dsc_sha=$4 skip=$5
  local dsc=${source}_$debian.dsc
  fetch "$source" "$dsc"
  verify "$dsc" "$dsc_sha"
  local sha size file
  while read -r sha size file; do
    fetch "$source" "$file"
    verify "$file" "$sha"
  done < <(sed -n '/^Checksums-Sha256:/,/^[A-Z]/p' "$downloads/$dsc" | grep '^ ' | grep -v '\.asc$')
  mkdir -p "$work/$source"
  tar -xf "$downloads/$(ls "$downloads" | grep -E "^${source}_${upstream}\.orig\.tar\." | head -1)" \
    -C "$work/$source" --strip-components=1
  tar -xf "$downloads/${source}_$debian.debian.tar.xz" -C "$work/$source"
  local patch
  while read -r patch; do
    case " $skip " in *" $patch "*) continue ;; esac
    patch -d "$work/$source" -p1 --quiet --forward <"$work/$source/debian/patches/$patch" >>"$log" 2>&1 ||
      { echo "static-deps: Debian's $patch does not apply to $source $upstream" >&2; tail -20 "$log" >&2; exit 1; }
  done < <(grep -v '^\s*#' "$work/$source/debian/patches/series" | sed 's/\s.*//' | grep -v '^$')
}

# Debian's hardening flags (dpkg-buildflags), without debug information.
export CC=gcc
export CFLAGS="-O2 -fPIE -fstack-protector-strong -Wformat -Werror=format-security"
export CPPFLAGS="-D_FORTIFY_SOURCE=2"
host_args=()
jobs=$(nproc)
# Installed in place (the libraries' own files name their prefix); the
# marker written last says the prefix is whole.
rm -rf "$prefix"
mkdir -p "$prefix"

echo "static-deps: building libcurl $CURL_DEBIAN and libpq $PG_DEBIAN for $arch (a few minutes, once)" >&2
: >"$prefix/sources"

# Cross-building: Debian's own static archives for the other architecture,
# unpacked into $prefix/sysroot rather than installed (libmariadb-dev cannot
# be installed for two architectures at once). Their versions go into
# $prefix/sources, which is --version -v's record of them.
if [ -n "$cross" ]; then
  sysroot=$prefix/sysroot
  mkdir -p "$sysroot" "$work/debs"
  if ! (cd "$work/debs" && apt-get download libssl-dev:"$arch" zlib1g-dev:"$arch" libnghttp2-dev:"$arch" \
          libhiredis-dev:"$arch" libmariadb-dev:"$arch" libyaml-dev:"$arch") >>"$log" 2>&1; then
    echo "static-deps: cannot download Debian's $arch packages; is $arch a dpkg architecture here" \
         "(scripts/install-deps.sh packaging adds it)?" >&2
    tail -5 "$log" >&2
    exit 1
  fi
  for deb in "$work"/debs/*.deb; do
    dpkg-deb -x "$deb" "$sysroot"
    printf '%s %s\n' "$(dpkg-deb -f "$deb" Package)" "$(dpkg-deb -f "$deb" Version)" >>"$prefix/sources"
  done
  export CC=$triplet-gcc
  export CPPFLAGS="$CPPFLAGS -I$sysroot/usr/include -I$sysroot/usr/include/$triplet"
  export LDFLAGS="-L$sysroot/usr/lib/$triplet"
  export PKG_CONFIG_LIBDIR=$sysroot/usr/lib/$triplet/pkgconfig PKG_CONFIG_SYSROOT_DIR=$sysroot
  host_args=(--host="$triplet")
fi
unpack "$CURL_SOURCE" "$CURL_UPSTREAM" "$CURL_DEBIAN" "$CURL_DSC_SHA256" "$CURL_SKIP_PATCHES"
(
  cd "$work/$CURL_SOURCE"
  # The CA paths are Debian's (curl-config --ca of libcurl4-openssl-dev):
  # the image's bundle is used as on the system.
  ./configure "${host_args[@]}" --prefix="$prefix" --disable-shared --enable-static --with-pic \
    --with-openssl --with-zlib --with-nghttp2 --enable-threaded-resolver \
    --with-ca-bundle=/etc/ssl/certs/ca-certificates.crt --with-ca-path=/etc/ssl/certs \
    --without-brotli --without-zstd --without-libpsl --without-libidn2 --without-librtmp \
    --without-libssh2 --without-libssh --without-gssapi --without-hyper \
    --disable-ldap --disable-ldaps --disable-ftp --disable-file --disable-dict --disable-gopher \
    --disable-imap --disable-pop3 --disable-smtp --disable-rtsp --disable-telnet --disable-tftp \
    --disable-mqtt --disable-smb --disable-manual
  make -C lib -j "$jobs"
  make -C lib install
  make -C include install
) >>"$log" 2>&1 || { echo "static-deps: libcurl failed; the log's end:" >&2; tail -40 "$log" >&2; exit 1; }

unpack "$PG_SOURCE" "$PG_UPSTREAM" "$PG_DEBIAN" "$PG_DSC_SHA256" "$PG_SKIP_PATCHES"
(
  cd "$work/$PG_SOURCE"
  ./configure "${host_args[@]}" --prefix="$prefix" --with-openssl --without-readline --without-zlib \
    --without-icu --without-gssapi --without-ldap --without-llvm --without-systemd --disable-nls
  make -C src/include -j "$jobs"
  make -C src/common -j "$jobs"
  make -C src/port -j "$jobs"
  make -C src/interfaces/libpq -j "$jobs" all-static-lib
  make -C src/interfaces/libpq install-lib-static
  make -C src/include install
  install -m 644 src/interfaces/libpq/libpq-fe.h src/interfaces/libpq/libpq-events.h "$prefix/include/"
  # A static libpq needs these two beside it (their _shlib builds are the
  # ones compiled as position-independent code, for libpq).
  install -m 644 src/common/libpgcommon_shlib.a src/port/libpgport_shlib.a "$prefix/lib/"
) >>"$log" 2>&1 || { echo "static-deps: libpq failed; the log's end:" >&2; tail -40 "$log" >&2; exit 1; }

# The licences of what is linked in, for the tarball, the .deb and the image.
mkdir -p "$prefix/licenses"
cp "$work/$CURL_SOURCE/COPYING" "$prefix/licenses/curl"
cp "$work/$PG_SOURCE/COPYRIGHT" "$prefix/licenses/postgresql"
# The Debian source versions built, one per line, for --version -v.
{
  printf '%s %s (source build)\n' "$CURL_SOURCE" "$CURL_DEBIAN" "$PG_SOURCE" "$PG_DEBIAN"
  cat "$prefix/sources"
} >"$work/sources"
mv "$work/sources" "$prefix/sources"
touch "$prefix/.complete"
echo "$prefix"
