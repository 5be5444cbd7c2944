#!/usr/bin/env bash
# The preflight image, FROM scratch: the fully static binary, the CA bundle,
# nsswitch.conf/passwd/group and the licences (dist/rootfs-ARCH/, made by
# scripts/package.sh), assembled with buildah; no base image is pulled.
# Writes dist/preflight-VERSION-ARCH.oci.tar and tags localhost/preflight:VERSION.
#
#   scripts/image.sh [amd64|arm64]
#
# The Dockerfile makes the same image with docker; this script is what CI
# runs, on machines that cannot pull images.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-$(dpkg --print-architecture)}
version=$(sed -n 's/^project(preflight VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
rootfs=dist/rootfs-$arch
[ -x "$rootfs/usr/local/bin/preflight" ] || { echo "image: no $rootfs: run scripts/package.sh $arch first" >&2; exit 2; }
# vfs: no overlay filesystem needed; chroot: no user namespace needed.
export STORAGE_DRIVER=${STORAGE_DRIVER:-vfs} BUILDAH_ISOLATION=${BUILDAH_ISOLATION:-chroot}

container=$(buildah from --arch "$arch" scratch)
trap 'buildah rm "$container" >/dev/null 2>&1 || true' EXIT
buildah copy --quiet "$container" "$rootfs/" / >/dev/null
buildah config --arch "$arch" --os linux --user 65534:65534 \
  --entrypoint '["/usr/local/bin/preflight"]' --cmd '["--help"]' \
  --label org.opencontainers.image.title=preflight \
  --label org.opencontainers.image.version="$version" \
  --label org.opencontainers.image.revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
  "$container"
buildah commit --quiet "$container" "localhost/preflight:$version" >/dev/null
rm -f "dist/preflight-$version-$arch.oci.tar"
buildah push --quiet "localhost/preflight:$version" "oci-archive:dist/preflight-$version-$arch.oci.tar:preflight:$version"
echo "localhost/preflight:$version dist/preflight-$version-$arch.oci.tar"
