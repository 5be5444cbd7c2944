#!/usr/bin/env bash
# The demo: the four phases of a backend's deterministic startup against
# local dependencies it starts itself — a throwaway PostgreSQL cluster, a
# password-protected redis-server, an HTTP auth service and a WebSocket
# gateway (fixture servers) — with passwords from a secrets directory.
# First the healthy timings table (exit 0), then the incident: a dotenv file
# with REDIS_HOST=your-redis-instance-ip (exit 3). Everything it starts, it
# stops, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target preflight preflight-fixture >/dev/null

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(shuf -i 20000-60000 -n 1)
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "no free port found" >&2
  exit 1
}
wait_for_port() {
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on $1" >&2
  exit 1
}
# PostgreSQL refuses to run as root: drop to its own user with setpriv,
# which execs.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi
}

secret() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
mkdir -p "$work/secrets"
redis_password="redis-$(secret)"
db_password="db-$(secret)"
printf '%s\n' "$redis_password" > "$work/secrets/redis-password"
printf '%s\n' "$db_password" > "$work/secrets/database-password"

echo "starting PostgreSQL, Redis, an auth service and a WebSocket gateway on loopback..."
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
mkdir -p "$work/pg"
printf '%s\n' "$db_password" > "$work/pg/pwfile"
[ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$work/pg"
as_postgres "$pg_bin/initdb" -D "$work/pg/data" -U postgres --pwfile "$work/pg/pwfile" \
  --auth-host=scram-sha-256 --auth-local=trust --no-sync >"$work/initdb.log" 2>&1
pg_port=$(free_port)
# Not through as_postgres: a function run in the background is a subshell,
# and $! would be that shell's PID, not the server's (it outlived the demo).
pg_args=("$pg_bin/postgres" -D "$work/pg/data" -p "$pg_port" -c listen_addresses=127.0.0.1
  -c unix_socket_directories="$work/pg" -c fsync=off)
if [ "$(id -u)" -eq 0 ]; then
  setpriv --reuid=postgres --regid=postgres --init-groups -- "${pg_args[@]}" >"$work/postgres.log" 2>&1 &
else
  "${pg_args[@]}" >"$work/postgres.log" 2>&1 &
fi
pids+=($!)

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --requirepass "$redis_password" --save '' --appendonly no \
  --daemonize no --loglevel warning >"$work/redis.log" 2>&1 &
pids+=($!)

build/tests/preflight-fixture health >"$work/auth.port" 2>/dev/null &
pids+=($!)
build/tests/preflight-fixture websocket >"$work/ws.port" 2>/dev/null &
pids+=($!)
wait_for_port "$redis_port"
for f in auth ws; do
  for _ in $(seq 1 100); do [ -s "$work/$f.port" ] && break; sleep 0.05; done
done
auth_port=$(cat "$work/auth.port")
ws_port=$(cat "$work/ws.port")
wait_for_port "$pg_port"
for _ in $(seq 1 100); do "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done

cat > "$work/.env.local" <<EOF
DATABASE_URL=postgres://postgres:\${DATABASE_PASSWORD}@127.0.0.1:$pg_port/postgres
REDIS_HOST=127.0.0.1
REDIS_PORT=$redis_port
AUTH_SERVICE_URL=http://127.0.0.1:$auth_port
WEBSOCKET_URL=ws://127.0.0.1:$ws_port/ws
EOF
sed -e 's/^REDIS_HOST=.*/REDIS_HOST=your-redis-instance-ip/' -e 's/^REDIS_PORT=.*/REDIS_PORT=6379/' \
  "$work/.env.local" > "$work/.env.staging"

echo
echo "\$ preflight -c configs/demo.json -e .env.local -s secrets/"
set +e
build/preflight -c configs/demo.json -e "$work/.env.local" -s "$work/secrets"
echo "(exit $?)"
echo
echo "\$ preflight -c configs/demo.json -e .env.staging -s secrets/     # the incident: REDIS_HOST=your-redis-instance-ip"
build/preflight -c configs/demo.json -e "$work/.env.staging" -s "$work/secrets"
echo "(exit $?)"
set -e
