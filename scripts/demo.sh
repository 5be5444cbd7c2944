#!/usr/bin/env bash
# The demo: starts a password-protected redis-server on a free loopback port,
# runs preflight against it with the password from a secrets directory (a
# healthy report, exit 0), then reproduces the incident — a dotenv file with
# REDIS_HOST=your-redis-instance-ip — and shows the diagnosis (exit 3).
# Everything it starts, it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target preflight >/dev/null

work=$(mktemp -d)
redis_pid=""
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-60000 -n 1)
password="demo-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$work/secrets"
printf '%s\n' "$password" > "$work/secrets/redis-password"
redis-server --port "$port" --bind 127.0.0.1 --requirepass "$password" --save '' --appendonly no \
  --daemonize no --loglevel warning >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.05
done

printf 'REDIS_HOST=127.0.0.1\nREDIS_PORT=%s\n' "$port" > "$work/.env.local"
printf '# copied from .env.staging.template at deploy time\nREDIS_PORT=6379\nREDIS_HOST=your-redis-instance-ip\n' \
  > "$work/.env.staging"

echo "\$ preflight -c configs/demo.json -e .env.local -s secrets/"
set +e
build/preflight -c configs/demo.json -e "$work/.env.local" -s "$work/secrets"
echo "(exit $?)"
echo
echo "\$ preflight -c configs/demo.json -e .env.staging -s secrets/     # the incident"
build/preflight -c configs/demo.json -e "$work/.env.staging" -s "$work/secrets"
echo "(exit $?)"
set -e
