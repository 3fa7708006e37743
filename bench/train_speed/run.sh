#!/usr/bin/env bash
# Training throughput of the demo model + loss: C++ (shrewd, LibTorch) and Python (Debian's
# python3-torch) side by side, same machine, same threads, batch 128.
#   bash bench/train_speed/run.sh [threads]        (threads default: nproc)
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${1:-$(nproc)}
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=$threads

# Benchmark-only dependency (not part of scripts/install-deps.sh).
# Debian's interpreter, not a pyenv/virtualenv python3 that may come first on PATH.
python=${PYTHON:-/usr/bin/python3}
if ! "$python" -c "import torch" 2>/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -q --no-install-recommends python3-torch
fi

build=${SHREWD_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSHREWD_WITH_TORCH=ON -DSHREWD_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" --target train_step_bench -j"$(nproc)" >/dev/null

for round in 1 2; do
  "$build/bench/train_step_bench" --benchmark_filter='BM_DemoTrainingStep/' --benchmark_min_time=5 \
      --benchmark_format=json 2>/dev/null |
    jq -r --arg round "$round" '.benchmarks[0] | "c++    round \($round): \(128000 / .real_time | round) images/s (\(.real_time * 10 | round / 10) ms/step wall), loss share \(.loss_share * 1000 | round / 10)%"'
  "$python" bench/train_speed/train_speed.py --steps 150 --threads "$threads" | sed "s/^/python round $round: /"
done
