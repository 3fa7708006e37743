#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (clang-14, ASan + UBSan, no LibTorch) and runs each for
# SECONDS (default 60) on a copy of its seed corpus, so fuzz/corpus/ is never flooded. Prints per
# target the executions and whether it crashed; exits 1 when any target crashed, leaked, timed out
# or ran out of memory (the reproducer is kept in the run folder and named in the summary).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#   SHREWD_FUZZ_BUILD=/path/to/build-fuzz  build folder (default: build-fuzz/)
#   SHREWD_FUZZ_JOBS=1                     build jobs (default: all cores)
# docs/fuzzing.md describes the targets and the last runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-60}
shift || true
build=${SHREWD_FUZZ_BUILD:-build-fuzz}
jobs=${SHREWD_FUZZ_JOBS:-$(nproc)}
cxx=${CXX_FUZZ:-clang++-14}
command -v "$cxx" >/dev/null || { echo "fuzz.sh: $cxx not found (apt-get install clang-14 libfuzzer-14-dev)" >&2; exit 2; }

cmake -S . -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHREWD_FUZZ=ON \
  -DSHREWD_WITH_TORCH=OFF -DSHREWD_BUILD_TESTS=OFF -DSHREWD_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$build" --target fuzz_targets -j"$jobs"

if (($#)); then
  targets=("$@")
else
  targets=()
  for f in fuzz/*_fuzz.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

# Sanitizer findings are fatal; a leak is a finding too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
run=$build/fuzz-run
summary=()
failed=0
for t in "${targets[@]}"; do
  dir=$run/$t
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp -r "fuzz/corpus/$t/." "$dir/corpus/"
  echo "== $t: ${seconds}s on $(ls "$dir/corpus" | wc -l) seeds"
  set +e
  "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$dir/log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  artifacts=$(ls "$dir/artifacts" 2>/dev/null | tr '\n' ' ')
  if ((rc == 0)) && [ -z "$artifacts" ]; then
    verdict="ok"
  else
    verdict="CRASHED (exit $rc; $dir/log; ${artifacts:-no artifact})"
    failed=1
    tail -40 "$dir/log"
  fi
  summary+=("$(printf '%-24s %6ss %12s executions  corpus %5s  %s' "$t" "$seconds" "${execs:-?}" \
    "$(ls "$dir/corpus" | wc -l)" "$verdict")")
done
echo
echo "== summary (scripts/fuzz.sh $seconds, $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), ${cxx})"
printf '%s\n' "${summary[@]}"
exit $failed
