#!/usr/bin/env bash
# Installs the dependencies, builds shrewd and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=${SHREWD_BUILD_DIR:-build}
# The benchmarks are left out: no test runs them and their LibTorch programs cost the suite
# minutes of its 15 on 2 cores; each bench script builds what it needs.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSHREWD_BUILD_BENCHMARKS=OFF
cmake --build "$build" -j"$(nproc)"
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 600
