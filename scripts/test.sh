#!/usr/bin/env bash
# The whole test suite: installs dependencies, then builds and runs every
# test three times over: a warnings-as-errors Release build, an
# AddressSanitizer + UndefinedBehaviorSanitizer build, and a ThreadSanitizer
# build of the engine and probe tests (the code with threads); then every
# parser under libFuzzer for a bounded time (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

jobs=$(nproc)
configure_and_build() {  # dir, build type, sanitizers
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE="$2" -DPREFLIGHT_SANITIZE="$3" -DPREFLIGHT_WERROR=ON >/dev/null
  cmake --build "$1" -j "$jobs"
}

echo "== Release build (warnings are errors)"
configure_and_build build Release ""
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
configure_and_build build-asan Debug "address,undefined"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

echo "== ThreadSanitizer (engine and probes)"
configure_and_build build-tsan Debug "thread"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp" \
  ctest --test-dir build-tsan --output-on-failure -j "$jobs" -R 'Engine|AttemptSlots|OpenFileLimit|Terminal|RedisProbe|RedisSentinel|TcpProbe|RedisTls|Postgres|Http|WebSocket'

echo "== libFuzzer: every parser, a fixed number of inputs from a fixed seed"
scripts/fuzz.sh
