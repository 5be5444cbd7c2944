#!/usr/bin/env bash
# The whole test suite: installs dependencies, then builds the project three
# times: a warnings-as-errors Release build with GCC (Debian's compiler, what
# a user's build uses) of the binary, the benchmark and the demo's fixture
# servers; an AddressSanitizer + UndefinedBehaviorSanitizer build of
# everything, which runs every test, then the fuzz targets it also holds
# (scripts/fuzz.sh); and a ThreadSanitizer build of the integration tests
# (the code with threads). Then the Release binary goes through the same
# integration and tools tests, run from the sanitizer build
# (PREFLIGHT_BINARY_UNDER_TEST): the test programs are not compiled a third
# time at -O3 (about a quarter of this script's compiling) for code the
# sanitizer builds already run. The sanitizer builds use Clang, which
# compiled them faster here (a cold Debug build of everything: 400 CPU-s
# against GCC's 510).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

jobs=$(nproc)
# One build directory per configuration, and one compiler cache across them
# and across clones: a second run recompiles only what changed. The
# sloppiness lets ccache cache what uses a precompiled header.
export CCACHE_SLOPPINESS=pch_defines,time_macros
configure() {  # dir, compiler, build type, sanitizers, extra cmake arguments...
  local dir=$1 compiler=$2 type=$3 sanitizers=$4
  shift 4
  cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DCMAKE_BUILD_TYPE="$type" -DPREFLIGHT_SANITIZE="$sanitizers" -DPREFLIGHT_WERROR=ON "$@" >/dev/null
}

echo "== Release build (warnings are errors): the binary, the benchmark, the demo's fixtures"
# The benchmark is built (so that it keeps compiling) but not run here: its
# numbers mean something only on a quiet machine (bench/run.sh).
configure build g++ Release "" -DPREFLIGHT_BENCH=ON
cmake --build build -j "$jobs" --target preflight preflight-fixture bench_core grpc_health_check

# The sanitizer builds compile up to 8 sources (CMake's default batch) as
# one translation unit (a unity build): the headers every test includes
# (GoogleTest, fmt, JSON) are parsed once per batch, not once per file. So helpers in
# anonymous namespaces need names of their own within a target. The Release
# build keeps one unit per file for the binary's sources; a test that leans
# on an include of its neighbour in a batch fails in a developer's default
# build (one unit per file).
unity=(-DCMAKE_UNITY_BUILD=ON)

# One build for the sanitizers and the fuzzers: the core is compiled once
# with the fuzzers' coverage instrumentation (no libFuzzer main but in the
# fuzz targets). -O1, because the fuzzers then run about four times as many
# inputs a second as at -O0 (fuzz_config: 18 s against 80 s for 200,000).
# Only the core at -O1 saved 11 % of the build and cost fuzz_config half
# its speed (the JSON parser's templates are instantiated in the target).
echo "== AddressSanitizer + UndefinedBehaviorSanitizer (and the fuzz targets)"
configure build-asan clang++ Debug "fuzzer-no-link,address,undefined" \
  -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DPREFLIGHT_FUZZ=ON -DPREFLIGHT_BENCH=OFF "${unity[@]}"
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

echo "== libFuzzer: every parser, a fixed number of inputs from a fixed seed"
FUZZ_BUILD_DIR=build-asan scripts/fuzz.sh

# Every integration test (the engine, every probe, the fault matrix, the
# phases, signals, the binary) under ThreadSanitizer, selected by its label.
# Left out: BadInput, whose point is that no input takes over 5 s, a bound
# ThreadSanitizer's slowdown alone crosses (~40x on its biggest input); its
# one thread is covered by ASan.
echo "== ThreadSanitizer (integration tests)"
configure build-tsan clang++ Debug "thread" -DPREFLIGHT_BENCH=OFF "${unity[@]}"
cmake --build build-tsan -j "$jobs" --target integration_tests
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp" \
  ctest --test-dir build-tsan --output-on-failure -j "$jobs" -L integration -E '^BadInput\.'

echo "== The Release binary through the integration and tools tests"
PREFLIGHT_BINARY_UNDER_TEST=$PWD/build/preflight ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -L 'integration|tools'
