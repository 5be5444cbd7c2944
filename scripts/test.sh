#!/usr/bin/env bash
# The whole test suite: installs dependencies, then builds and runs every
# test three times over: a warnings-as-errors Release build, an
# AddressSanitizer + UndefinedBehaviorSanitizer build, and a ThreadSanitizer
# build of the integration tests (the code with threads); then every
# parser under libFuzzer for a bounded time (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

jobs=$(nproc)
configure_and_build() {  # dir, build type, sanitizers, target...
  local dir=$1 type=$2 sanitizers=$3
  shift 3
  # The benchmark's numbers mean something only in Release.
  local bench=ON
  [[ -n "$sanitizers" ]] && bench=OFF
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" -DPREFLIGHT_SANITIZE="$sanitizers" -DPREFLIGHT_WERROR=ON \
    -DPREFLIGHT_BENCH="$bench" >/dev/null
  cmake --build "$dir" -j "$jobs" ${1:+--target "$@"}
}

echo "== Release build (warnings are errors)"
configure_and_build build Release ""
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
configure_and_build build-asan Debug "address,undefined"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

# Every integration test (the engine, every probe, the fault matrix, the
# phases, signals, the binary) under ThreadSanitizer, selected by its label.
# Left out: BadInput, whose point is that no input takes over 5 s, a bound
# ThreadSanitizer's slowdown alone crosses (~40x on its biggest input); its
# one thread is covered by ASan.
echo "== ThreadSanitizer (integration tests)"
configure_and_build build-tsan Debug "thread" integration_tests
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp" \
  ctest --test-dir build-tsan --output-on-failure -j "$jobs" -L integration -E '^BadInput\.'

echo "== libFuzzer: every parser, a fixed number of inputs from a fixed seed"
scripts/fuzz.sh
