#!/usr/bin/env bash
# Installs what preflight needs to build, test and run its demo on Debian
# bookworm. Idempotent: does nothing when everything is already there.
set -euo pipefail

# What to install, by purpose; no argument: build and test.
#   build      compile the binary, any flavour (scripts/package.sh's own needs
#              for the static libraries: curl, patch, the archives)
#   test       the servers, clients and tools the suite runs
#   packaging  the clean roots, the image, the arm64 cross build
build=(
  build-essential cmake ninja-build pkg-config ccache git python3 curl ca-certificates patch xz-utils bzip2 dpkg-dev
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libhiredis-dev libcurl4-openssl-dev libpq-dev libssl-dev libmariadb-dev libnghttp2-dev zlib1g-dev
  libyaml-dev
)
test=(
  clang libclang-rt-14-dev libgtest-dev libgrpc++-dev dnsmasq-base
  redis-server postgresql pgbouncer memcached nats-server rabbitmq-server mariadb-server openssl procps
  python3-jsonschema bsdutils iproute2
  python3-sqlalchemy python3-asyncpg python3-psycopg2 python3-psycopg python3-redis python3-dj-database-url
  python3-pymysql python3-jwt python3-cryptography python3-django python3-pymemcache python3-django-environ python3-mysqldb
  nodejs node-yaml python3-alembic ruby-activerecord ruby-pg
  golang-go golang-github-go-sql-driver-mysql-dev golang-github-jackc-pgconn-dev
  default-jre-headless libpostgresql-jdbc-java
)
packaging=(mmdebstrap buildah qemu-user-static crossbuild-essential-arm64 file binutils-aarch64-linux-gnu)

packages=()
for group in "${@:-build test}"; do
  for g in $group; do
    case "$g" in
      build) packages+=("${build[@]}") ;;
      test) packages+=("${test[@]}") ;;
      packaging) packages+=("${packaging[@]}") ;;
      *) echo "install-deps: no group '$g' (build, test, packaging)" >&2; exit 2 ;;
    esac
  done
done

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

# The arm64 cross build downloads Debian's arm64 -dev packages
# (scripts/static-deps.sh): apt must know the architecture.
if [[ " ${packages[*]} " == *" crossbuild-essential-arm64 "* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  "${sudo_cmd[@]}" dpkg --add-architecture arm64
  "${sudo_cmd[@]}" apt-get update -qq
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The package starts a system redis on 6379 where systemd runs; tests use
  # their own servers on free ports and do not need it.
fi

# What the tests run that Debian does not package, from the npm registry at
# pinned versions, in a cache shared by clones: the migration tools knex and
# Sequelize (tests/support/node_tools.h finds them), and the clients mysql2
# and memjs, whose readings of connection strings tests/tools/client_oracle.py
# checks.
if [[ " ${packages[*]} " == *" node-yaml "* ]]; then
  node_tools=${XDG_CACHE_HOME:-$HOME/.cache}/preflight/node-tools
  pins="knex@3.3.0 pg@8.23.1 mysql2@3.11.5 sequelize@6.37.8 sequelize-cli@6.6.5 memjs@1.3.2"
  if [ "$(cat "$node_tools/.complete" 2>/dev/null)" != "$pins" ]; then
    command -v npm >/dev/null || { echo "install-deps: npm is needed for $pins" >&2; exit 1; }
    echo "installing from npm: $pins" >&2
    # shellcheck disable=SC2086
    npm install --prefix "$node_tools" --no-audit --no-fund --no-save --loglevel=error $pins >&2
    echo "$pins" >"$node_tools/.complete"
  fi
fi
