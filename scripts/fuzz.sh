#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each from
# its seed corpus in tests/fuzz/corpus/, then prints executions per target.
#   default:          FUZZ_RUNS (200000) inputs each with a fixed seed, so
#                     that CI is reproducible: what passes here passes there;
#   FUZZ_SECONDS=N:   N seconds each with a random seed, for exploring.
# New inputs go to a scratch directory, never into the repository. A crash
# fails the script and leaves the input in <build>/crashes/ for a
# regression test (and a seed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${FUZZ_SECONDS:-}" ]; then
  budget=(-max_total_time="$FUZZ_SECONDS")
  what="in ${FUZZ_SECONDS}s"
else
  budget=(-seed=1 -runs="${FUZZ_RUNS:-200000}" -max_total_time=300)
  what="(seed 1)"
fi

# FUZZ_BUILD_DIR: a build directory configured with PREFLIGHT_FUZZ=ON and
# the fuzzer-no-link sanitizer, already built (scripts/test.sh's ASan one);
# else build-fuzz is configured and built here.
out=${FUZZ_BUILD_DIR:-build-fuzz}
if [ -z "${FUZZ_BUILD_DIR:-}" ]; then
  CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPREFLIGHT_TESTS=OFF \
    -DPREFLIGHT_FUZZ=ON -DPREFLIGHT_SANITIZE=fuzzer-no-link,address,undefined -DPREFLIGHT_WERROR=ON >/dev/null
fi
cmake --build "$out" --target fuzz_targets -j "$(nproc)"

mkdir -p "$out/crashes"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# One target: its log in $out, its summary line in $scratch/NAME.summary,
# its failure as $scratch/NAME.failed.
fuzz_one() {  # seed directory
  local seeds=$1 name log runs
  name=$(basename "$seeds")
  mkdir -p "$scratch/$name"
  log="$out/fuzz_$name.log"
  if ! UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$out/tests/fuzz/fuzz_$name" \
      "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$out/crashes/$name-" "$scratch/$name" "$seeds" >"$log" 2>&1; then
    touch "$scratch/$name.failed"
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  printf '%-16s %12s executions %s, %s seed inputs\n' "$name" "$runs" "$what" "$(ls "$seeds" | wc -l)" \
    >"$scratch/$name.summary"
}

# One target per core at a time: each is one single-threaded process, and
# a fixed seed and input count make each one's run the same either way.
running=0
for seeds in tests/fuzz/corpus/*/; do
  if [ "$running" -ge "$(nproc)" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "$seeds" &
  running=$((running + 1))
done
wait

status=0
echo "== fuzzing"
for seeds in tests/fuzz/corpus/*/; do
  name=$(basename "$seeds")
  cat "$scratch/$name.summary"
  if [ -e "$scratch/$name.failed" ]; then
    status=1
    echo "fuzz_$name FAILED; the last lines of $out/fuzz_$name.log:" >&2
    tail -40 "$out/fuzz_$name.log" >&2
  fi
done
exit "$status"
