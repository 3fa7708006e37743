#!/usr/bin/env bash
# Builds the unit tests without LibTorch under AddressSanitizer + UndefinedBehaviorSanitizer (gcc,
# -O1) in build-asan/ and runs ctest there. Any sanitizer report fails the test that caused it.
#
#   scripts/sanitize.sh [CTEST ARGS...]      e.g. scripts/sanitize.sh -R index
#   SHREWD_ASAN_BUILD=/path/to/build-asan    build folder (default: build-asan/)
#   SHREWD_ASAN_JOBS=1                       build and test jobs (default: all cores)
# docs/fuzzing.md records the last run.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SHREWD_ASAN_BUILD:-build-asan}
jobs=${SHREWD_ASAN_JOBS:-$(nproc)}
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_EXE_LINKER_FLAGS="$sanitize" -DCMAKE_SHARED_LINKER_FLAGS="$sanitize" \
  -DSHREWD_WITH_TORCH=OFF -DSHREWD_BUILD_TESTS=ON -DSHREWD_BUILD_BENCHMARKS=OFF -DSHREWD_FUZZ=OFF \
  -DSHREWD_BUILD_PYTHON=OFF >/dev/null  # an ASan-built extension cannot load into Debian's python3
cmake --build "$build" -j"$jobs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1
ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 1200 "$@"
