#!/usr/bin/env bash
# Streaming image data (issue 15): one training epoch and one encode over synthetic JPEG folders of
# 5,000 and 20,000 images at 224x224 (made here), batch 64, with the peak resident memory of each
# process (/usr/bin/time -v); then images/s of the loader alone with 0, 1 and 2 workers against
# the model's step (image_loader_bench). The figures are in docs/data-and-models.md.
# Usage: bench/streaming/run.sh [BUILD_DIR=build] [WORK_DIR=/tmp/shrewd-streaming-bench]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
work=${2:-/tmp/shrewd-streaming-bench}
shrewd=${SHREWD:-$build/src/shrewd/cli/shrewd}
mkdir -p "$work"
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1

if [ ! -d "$work/jpeg-20000" ]; then
  /usr/bin/python3 "$here/make_jpeg_folder.py" "$work/jpeg-20000.tmp" 20000 224 10
  mv "$work/jpeg-20000.tmp" "$work/jpeg-20000"
fi
if [ ! -d "$work/jpeg-5000" ]; then  # the first 500 images of each class, hard-linked
  for dir in "$work"/jpeg-20000/class*; do
    mkdir -p "$work/jpeg-5000.tmp/$(basename "$dir")"
    find "$dir" -name '*.jpg' | sort | sed -n '1,500p' | xargs -I{} ln {} "$work/jpeg-5000.tmp/$(basename "$dir")/"
  done
  mv "$work/jpeg-5000.tmp" "$work/jpeg-5000"
fi

peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + t[i]; printf "%.0f", s }' "$1"; }

echo "images | train peak MB | train s | encode peak MB | encode s"
for n in 5000 20000; do
  rm -rf "$work/run-$n"
  /usr/bin/time -v "$shrewd" train --config "$here/config.json" --set data.path="$work/jpeg-$n" \
    --set train.out="$work/run-$n" >"$work/train-$n.log" 2>"$work/train-$n.time"
  /usr/bin/time -v "$shrewd" encode --model "$work/run-$n/model.pt" --data image-folder --path "$work/jpeg-$n" \
    --batch-size 64 --workers 2 --out "$work/codes-$n.npy" >"$work/encode-$n.log" 2>"$work/encode-$n.time"
  echo "$n | $(peak_mb "$work/train-$n.time") | $(wall_s "$work/train-$n.time") | $(peak_mb "$work/encode-$n.time") | $(wall_s "$work/encode-$n.time")"
  grep '"type":"epoch"' "$work/run-$n/log.jsonl" | tail -n 1
done
"$build/bench/image_loader_bench" "$work/jpeg-20000" 64 32 40
uptime
