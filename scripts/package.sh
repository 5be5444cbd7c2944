#!/usr/bin/env bash
# Builds every artifact into dist/ (docs/install.md says how each is used):
#
#   preflight-VERSION-linux-ARCH-glibc.tar.gz    static but glibc (>= 2.36)
#   preflight-VERSION-linux-ARCH-static.tar.gz   fully static PIE
#   preflight-static_VERSION_ARCH.deb            the glibc-static binary
#   rootfs-ARCH/                                 the image's whole content
#                                                (scripts/image.sh makes the image)
#
#   scripts/package.sh [amd64|arm64]     default: this machine's architecture
#
# Each tarball holds the binary, the man page, the bash completion and the
# licences of everything linked in. Needs the packages
# `scripts/install-deps.sh packaging` installs.
set -euo pipefail
cd "$(dirname "$0")/.."

native=$(dpkg --print-architecture)
arch=${1:-$native}
version=$(sed -n 's/^project(preflight VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
deps=$(scripts/static-deps.sh "$arch")
dist=$PWD/dist
mkdir -p "$dist"
export CCACHE_SLOPPINESS=pch_defines,time_macros

cross=()
strip=strip
if [ "$arch" != "$native" ]; then
  cross=(-DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-$arch.cmake")
  strip=$(sed -n 's/^set(CMAKE_C_COMPILER \(.*\)-gcc)$/\1/p' "cmake/toolchain-$arch.cmake")-strip
fi

build() {  # flavour (GLIBC, FULL) → prints the stripped binary's path
  local flavour=$1 dir=build-package-$arch-${1,,}
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DPREFLIGHT_STATIC="$flavour" -DPREFLIGHT_STATIC_DEPS="$deps" -DPREFLIGHT_TESTS=OFF -DPREFLIGHT_BENCH=OFF \
    "${cross[@]}" >/dev/null
  cmake --build "$dir" --target preflight -j "$(nproc)" >&2
  "$strip" -o "$dir/preflight.stripped" "$dir/preflight"
  echo "$dir/preflight.stripped"
}

# The licences of what a flavour links in: ours, the two source builds',
# and the Debian copyright file of every other library (glibc's only where
# it is linked in).
licences() {  # flavour, directory
  local flavour=$1 out=$2
  mkdir -p "$out"
  cp LICENSE "$out/preflight"
  local packages=(libssl3 zlib1g libnghttp2-14 libhiredis0.14 libmariadb3 libfmt9 libspdlog1.10 nlohmann-json3-dev
                  libcli11-dev libyaml-0-2 libstdc++6 libgcc-s1)
  cp "$deps"/licenses/* "$out/"
  if [ "$flavour" = FULL ]; then packages+=(libc6); fi
  local p
  for p in "${packages[@]}"; do cp "/usr/share/doc/$p/copyright" "$out/$p"; done
}

# The file tree an installation has, below $2.
lay_out() {  # flavour, root, binary
  local flavour=$1 root=$2 binary=$3
  install -D -m 755 "$binary" "$root/usr/bin/preflight"
  install -D -m 644 docs/preflight.1 "$root/usr/share/man/man1/preflight.1"
  gzip -9n "$root/usr/share/man/man1/preflight.1"
  install -D -m 644 completions/preflight.bash "$root/usr/share/bash-completion/completions/preflight"
  licences "$flavour" "$root/usr/share/doc/preflight/licenses"
}

tarball() {  # flavour, name suffix, binary
  local name=preflight-$version-linux-$arch-$2 stage member listing
  stage=$(mktemp -d)
  lay_out "$1" "$stage/$name" "$3"
  tar -C "$stage" --owner=0 --group=0 --sort=name -czf "$dist/$name.tar.gz" "$name"
  rm -rf "$stage"
  # What docs/install.md promises is in it. (The listing is read whole:
  # grep -q would stop reading it, and tar fail on the closed pipe.)
  listing=$(tar -tzf "$dist/$name.tar.gz")
  for member in usr/bin/preflight usr/share/man/man1/preflight.1.gz usr/share/bash-completion/completions/preflight \
                usr/share/doc/preflight/licenses/{preflight,curl,postgresql,libssl3,libmariadb3,libhiredis0.14,libyaml-0-2}; do
    grep -qx "$name/$member" <<<"$listing" || { echo "package: $name lacks $member" >&2; exit 1; }
  done
  echo "dist/$name.tar.gz"
}

# A .deb from the tree lay_out makes, with a Depends line.
deb() {  # flavour, package name, binary, depends, description
  local stage
  stage=$(mktemp -d)
  lay_out "$1" "$stage" "$3"
  mv "$stage/usr/share/doc/preflight" "$stage/usr/share/doc/$2"
  mkdir -p "$stage/DEBIAN"
  cat >"$stage/DEBIAN/control" <<EOF
Package: $2
Version: $version
Architecture: $arch
Maintainer: preflight developers <preflight@localhost>
Installed-Size: $(du -sk "$stage" | cut -f1)
Depends: $4
Recommends: ca-certificates
Conflicts: preflight
Replaces: preflight
Section: admin
Priority: optional
Description: checks a service's dependencies before it starts
 Runs ordered phases of real protocol checks (PostgreSQL, Redis, HTTP,
 WebSocket, MySQL, AMQP, NATS, memcached, gRPC, DNS) under per-phase
 deadlines, says exactly why one fails, and execs the service on success.
 .
 $5
EOF
  dpkg-deb --root-owner-group -Zxz --build "$stage" "$dist/${2}_${version}_$arch.deb" >/dev/null
  rm -rf "$stage"
  echo "dist/${2}_${version}_$arch.deb"
}

glibc=$(build GLIBC)
full=$(build FULL)
tarball GLIBC glibc "$glibc"
tarball FULL static "$full"
glibc_floor=$(objdump -T "$glibc" | grep -oE 'GLIBC_[0-9]+\.[0-9]+' | sort -uV | tail -1 | cut -d_ -f2)
deb GLIBC preflight-static "$glibc" "libc6 (>= $glibc_floor)" \
  "This build links in everything but glibc: libcurl, libpq, OpenSSL and the rest."
# No dynamic package: opening the system's libcurl, libpq and OpenSSL on
# first use made every probe but three 1.35 to 2.7 times slower than its
# native client (bench/README.md, issue 32), and it installed on bookworm
# only, where preflight-static installs too. The dynamic build stays what a
# developer builds and what the sanitizers test.

# The image's content: the fully static binary, the CA bundle and the
# licences; scripts/image.sh turns it into an image FROM scratch.
rootfs=$dist/rootfs-$arch
rm -rf "$rootfs"
install -D -m 755 "$full" "$rootfs/usr/local/bin/preflight"
install -D -m 644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
licences FULL "$rootfs/usr/share/doc/preflight/licenses"
cp /usr/share/doc/ca-certificates/copyright "$rootfs/usr/share/doc/preflight/licenses/ca-certificates"
# Only what glibc's static NSS can use; a passwd entry for the user the
# image runs as (libpq names a URL's missing user after it).
install -D -m 644 /dev/stdin "$rootfs/etc/nsswitch.conf" <<<'passwd: files
group: files
hosts: files dns'
install -D -m 644 /dev/stdin "$rootfs/etc/passwd" <<<'root:x:0:0:root:/:/nonexistent
nobody:x:65534:65534:nobody:/:/nonexistent'
install -D -m 644 /dev/stdin "$rootfs/etc/group" <<<'root:x:0:
nogroup:x:65534:'
echo "dist/rootfs-$arch/"
