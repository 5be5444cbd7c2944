#!/usr/bin/env bash
# The whole benchmark, one command: builds preflight in Release, installs
# the tools it is compared with, starts PostgreSQL, Redis and the HTTP and
# fault fixtures on 127.0.0.1, and prints every table (bench/README.md).
# Arguments go to bench/compare.py, e.g. --rounds 5 --only healthy,startup.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

peers=(hyperfine wait-for-it postgresql-client redis-tools curl time amqp-tools libmemcached-tools bind9-dnsutils
       netcat-openbsd golang-go golang-github-nats-io-go-nats-dev golang-github-rabbitmq-amqp091-go-dev)
command -v npm >/dev/null || peers+=(nodejs npm)
missing=()
for p in "${peers[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "installing the peers: ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# wait-on from the npm registry, into a folder removed at exit. Its current
# major needs Node 20; Debian bookworm's Node 18 gets the last major that runs there.
wait_on_dir=$(mktemp -d)
trap 'rm -rf "$wait_on_dir"' EXIT
node_major=$(node -p 'process.versions.node.split(".")[0]')
wait_on_version=9
[ "$node_major" -ge 20 ] || wait_on_version=7
npm install --prefix "$wait_on_dir" --no-audit --no-fund --silent "wait-on@$wait_on_version" >/dev/null

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target preflight preflight-fixture bench_core grpc_health_server grpc_health_check >/dev/null

# The native NATS and AMQP clients: the projects' own Go clients from
# Debian's packages, built in GOPATH mode (no module download).
for client in nats_ping amqp_connect; do
  (cd "bench/native_clients/$client" &&
    GO111MODULE=off GOPATH=/usr/share/gocode go build -o "../../../build/bench/$client" .)
done

# The shipped builds (docs/install.md): the fully static one is measured
# against every target; the static-but-glibc one and the dynamic build
# (developers', not shipped) are timed beside it.
deps=$(scripts/static-deps.sh)
for flavour in GLIBC FULL; do
  cmake -S . -B "build-bench-${flavour,,}" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPREFLIGHT_STATIC=$flavour \
    -DPREFLIGHT_STATIC_DEPS="$deps" >/dev/null
  cmake --build "build-bench-${flavour,,}" -j "$(nproc)" --target preflight >/dev/null
done

python3 bench/compare.py --preflight build-bench-full/preflight --preflight-name fully-static \
  --flavour static-but-glibc=build-bench-glibc/preflight --flavour dynamic=build/preflight \
  --fixture build/tests/preflight-fixture \
  --wait-on "$wait_on_dir/node_modules/.bin/wait-on" \
  --nats-client build/bench/nats_ping --amqp-client build/bench/amqp_connect \
  --grpc-server build/tests/grpc_health_server --grpc-client build/bench/grpc_health_check "$@"
echo
echo "### Every probe against every stall, in-process fixtures (bench_core)"
echo
build/bench/bench_core
