#!/usr/bin/env bash
# Installs the dependencies, builds shrewd and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=${SHREWD_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j"$(nproc)"
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 600
