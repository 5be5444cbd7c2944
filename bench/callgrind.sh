#!/bin/sh
# Instructions counted by callgrind for `lint` and a healthy run of two
# Redis checks (bench/callgrind_two_redis.json: one URL built from three
# variables and two defaults, one from a URL variable) against a local
# password-protected redis-server. Instructions repeat on a busy machine;
# seconds do not.
#
#   bench/callgrind.sh BUILD/preflight
set -eu
binary=$1
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --requirepass bench-Pw-7f3a9c --save '' --appendonly no \
  --daemonize yes --pidfile "$dir/redis.pid" --dir "$dir" >/dev/null
trap 'kill "$(cat "$dir/redis.pid")"; rm -rf "$dir"' EXIT
sleep 0.3
count() {
  env -i PATH=/usr/bin:/bin REDIS_HOST=127.0.0.1 REDIS_PORT="$port" REDIS_PASSWORD=bench-Pw-7f3a9c \
    QUEUE_URL="redis://:bench-Pw-7f3a9c@127.0.0.1:$port/1" \
    valgrind --tool=callgrind --callgrind-out-file="$dir/out" "$binary" "$@" >/dev/null 2>"$dir/log" || true
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$dir/log"
}
echo "lint: $(count lint -c "$here/callgrind_two_redis.json")"
echo "healthy two-redis run: $(count -c "$here/callgrind_two_redis.json" --once)"
