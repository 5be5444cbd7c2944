#!/usr/bin/env bash
# Installs what preflight needs to build, test and run its demo on Debian
# bookworm. Idempotent: does nothing when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache git clang libclang-rt-14-dev
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libgtest-dev
  libhiredis-dev libcurl4-openssl-dev libpq-dev libssl-dev libmariadb-dev mariadb-server libgrpc++-dev dnsmasq-base
  redis-server postgresql pgbouncer memcached nats-server rabbitmq-server openssl ca-certificates procps
  python3 python3-jsonschema bsdutils iproute2
  python3-sqlalchemy python3-asyncpg python3-psycopg2 python3-psycopg python3-redis python3-dj-database-url
  python3-pymysql python3-jwt python3-cryptography
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "installing: ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The package starts a system redis on 6379 where systemd runs; tests use
# their own servers on free ports and do not need it.
