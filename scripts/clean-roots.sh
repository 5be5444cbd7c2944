#!/usr/bin/env bash
# The packages on clean systems: for Debian bookworm and trixie, a fresh
# root made with mmdebstrap (minbase + ca-certificates), each .deb from
# dist/ installed into it with apt, and the InstalledRoot tests run in it
# with chroot against servers on this machine's loopback.
#
#   scripts/clean-roots.sh BUILD_DIR     a build with the integration tests
#
# Needs root, network access to deb.debian.org, and scripts/package.sh's
# dist/ (scripts/install-deps.sh packaging installs mmdebstrap).
set -euo pipefail
cd "$(dirname "$0")/.."
tests=$(realpath "$1")/tests/integration_tests
arch=$(dpkg --print-architecture)
version=$(sed -n 's/^project(preflight VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
static_deb=dist/preflight-static_${version}_$arch.deb
for f in "$tests" "$static_deb"; do
  [ -e "$f" ] || { echo "clean-roots: no $f" >&2; exit 2; }
done

roots=$(mktemp -d /var/tmp/preflight-roots.XXXXXX)
trap 'rm -rf "$roots"' EXIT

# apt-get in the root, with the mounts apt and dpkg expect.
# (Where /proc cannot be mounted, apt and dpkg do without it.)
in_root() {  # root, command...
  local root=$1 mounted=
  shift
  mount -t proc proc "$root/proc" 2>/dev/null && mounted=1
  local status=0
  chroot "$root" "$@" || status=$?
  [ -z "$mounted" ] || umount "$root/proc"
  return "$status"
}

# Every test must run here: a skip (no PostgreSQL, no root) fails.
run_tests() {  # root, what
  echo "== $2: InstalledRoot tests"
  local log=$roots/tests.log
  if ! PREFLIGHT_INSTALLED_ROOT=$1 "$tests" --gtest_filter='InstalledRoot.*' >"$log" 2>&1 || grep -q SKIPPED "$log"; then
    cat "$log" >&2
    exit 1
  fi
  grep -E '^\[  PASSED  \]' "$log"
}

for suite in bookworm trixie; do
  root=$roots/$suite
  echo "== $suite: mmdebstrap"
  # The sources Debian's own images have: the release, its updates and its
  # security fixes (the packages' Depends name versions from the last two).
  mmdebstrap --quiet --variant=minbase --include=ca-certificates "$suite" "$root" \
    "deb http://deb.debian.org/debian $suite main" "deb http://deb.debian.org/debian $suite-updates main" \
    "deb http://deb.debian.org/debian-security $suite-security main"
  # What a container runtime gives every container.
  printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' >"$root/etc/hosts"
  cp "$static_deb" "$root/tmp/"
  # mmdebstrap leaves no package lists behind, as Debian's images do not.
  in_root "$root" apt-get update -qq

  in_root "$root" apt-get install -y -qq "/tmp/$(basename "$static_deb")" >/dev/null
  run_tests "$root" "$suite, preflight-static"
done
echo "== clean roots: every package passed"
