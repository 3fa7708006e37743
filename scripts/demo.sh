#!/usr/bin/env bash
# The whole shrewd demo: train 64-bit semantic hash codes on Fashion-MNIST with the WordNet
# hierarchy, encode the test set (queries) and the training set (database), build an index,
# search it, and evaluate (table on stdout, plots as SVG).
#   bash scripts/demo.sh                 # everything, into runs/demo
#   SHREWD_DEMO_DIR=out bash scripts/demo.sh
#   bash scripts/demo.sh --set train.epochs=2   # extra arguments go to `shrewd train`
set -euo pipefail
cd "$(dirname "$0")/.."

# LibTorch on a small CPU: idle OpenMP threads sleep instead of spinning, and OpenBLAS stays
# single-threaded (LibTorch parallelises around it).
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1

bash scripts/install-deps.sh
build=${SHREWD_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSHREWD_WITH_TORCH=ON >/dev/null
cmake --build "$build" --target shrewd -j"$(nproc)"
shrewd="$build/src/shrewd/cli/shrewd"

out=${SHREWD_DEMO_DIR:-runs/demo}
hierarchy=data/hierarchies/fashion-mnist/hierarchy.txt
classes=data/hierarchies/fashion-mnist/classes.txt
mkdir -p "$out"
start=$SECONDS

echo "== train (Fashion-MNIST, 64 bits, WordNet hierarchy targets)"
"$shrewd" train --config configs/fashion-mnist-64.json --set train.out="$out/run" --overwrite "$@"  # a rerun replaces the last

echo "== encode: test set = queries, training set = database"
"$shrewd" encode --model "$out/run/model.pt" --data fashion-mnist --split test \
  --out "$out/query_codes.npy" --features "$out/query_z.npy" --labels "$out/query_labels.npy"
"$shrewd" encode --model "$out/run/model.pt" --data fashion-mnist --split train \
  --out "$out/db_codes.npy" --features "$out/db_z.npy" --labels "$out/db_labels.npy"

echo "== index and search"
"$shrewd" index build --codes "$out/db_codes.npy" --out "$out/db.shx"
"$shrewd" search --index "$out/db.shx" --queries "$out/query_codes.npy" -k 10 --threads 0 \
  --out "$out/neighbours"

echo "== evaluate (codes = sign(z), ties by database index; cosine on z for the binarisation gap)"
"$shrewd" eval --query-codes "$out/query_codes.npy" --query-labels "$out/query_labels.npy" \
  --db-codes "$out/db_codes.npy" --db-labels "$out/db_labels.npy" \
  --hierarchy "$hierarchy" --classes "$classes" \
  --query-features "$out/query_z.npy" --db-features "$out/db_z.npy" \
  --map-at 1000 --ahp-at 250 --threads 0 \
  --json "$out/eval.json" --plots "$out/plots"
echo "demo finished in $((SECONDS - start)) s (after the build); files in $out"
