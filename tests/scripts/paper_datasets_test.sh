#!/usr/bin/env bash
# The paper's datasets end to end, on small synthetic data in their real on-disk formats
# (tests/scripts/make_paper_datasets.py): the shipped configs and grids (configs/, experiments/)
# train for one epoch at a tiny size, then encode, index, search or evaluate.
#   paper_datasets_test.sh <shrewd> cifar100|imagenet1k|captions
set -euo pipefail
shrewd=$(realpath "$1")
kind=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1

/usr/bin/python3 tests/scripts/make_paper_datasets.py "$kind" "$work"
# A CNN small enough for a test in place of the configs' ResNet-18.
tiny=(--set model.backbone=cnn --set 'model.channels=[8,16]' --set model.feature_dim=32 --set optim.warmup_epochs=0
      --set train.threads=2 --set data.workers=1)

grid_run() {  # grid_run GRID DATA_ROOT BITS EXTRA_SETS...: one run of the grid's main group, evaluated
  local grid=$1 root=$2 bits=$3; shift 3
  scripts/experiment.sh --grid "$grid" --data-root "$root" --out "$work/out" --shrewd "$shrewd" --epochs 1 \
    --threads 2 --groups main --methods shrewd --bits "$bits" --seeds 1 "${tiny[@]}" "$@" > "$work/grid.log" 2>&1 ||
    { cat "$work/grid.log"; fail "the $grid run failed"; }
  eval_json="$work/out/runs/main/shrewd-$bits-s1/eval.json"
  [ -f "$eval_json" ] || fail "no $eval_json"
  [ -f "$work/out/results.md" ] || fail "no results table"
}

case "$kind" in
cifar100)
  # Barz & Denzler's setting in miniature: 400 training images (the database), 100 test images (the queries).
  grid_run experiments/cifar100.json "$work/cifar-100-binary" 16 --set train.batch_size=50
  [ "$(jq .queries "$eval_json")" = 100 ] && [ "$(jq .database "$eval_json")" = 400 ] ||
    fail "expected 100 queries and 400 database items: $(jq -c '{queries, database}' "$eval_json")"
  [ "$(jq .options.ahp_at "$eval_json")" = 250 ] || fail "not mAHP@250"
  jq -e '.hamming.index_ties.mahp > 0' "$eval_json" > /dev/null || fail "no mAHP in $eval_json"

  # The shipped config from another working directory: the hierarchy is the shipped one, by name.
  (cd "$work" && "$shrewd" train --config "$repo/configs/cifar100-64.json" --set data.path="$work/cifar-100-binary" \
     "${tiny[@]}" --set train.epochs=1 --set train.batch_size=50 --set train.progress=false --set train.out=run) \
    > "$work/train.log" 2>&1 || { cat "$work/train.log"; fail "training outside the repository failed"; }
  [ "$(jq -r .loss.hierarchy "$work/run/config.json")" = "$repo/data/hierarchies/cifar100/hierarchy.txt" ] ||
    fail "config.json does not record the shipped hierarchy: $(jq -r .loss.hierarchy "$work/run/config.json")"
  ;;
imagenet1k)
  # ILSVRC layout: train/<wnid>/ and val/<wnid>/, one image per class each, read at 16 x 16.
  grid_run experiments/imagenet1k.json "$work/ILSVRC" 64 --set preprocessing.resize=16 --set data.validation_fraction=0 \
    --set train.batch_size=100
  [ "$(jq .queries "$eval_json")" = 1000 ] && [ "$(jq .database "$eval_json")" = 1000 ] ||
    fail "expected 1000 queries and 1000 database items: $(jq -c '{queries, database}' "$eval_json")"
  jq -e '.hamming.index_ties.mahp > 0' "$eval_json" > /dev/null || fail "no mAHP in $eval_json"

  # Own data without a hierarchy, outside the repository: an error that says what to set.
  status=0
  echo '{"data": {"format": "image-folder"}}' > "$work/own.json"
  (cd "$work" && "$shrewd" train --config own.json --set data.path="$work/ILSVRC/train" --set train.out=run) \
    > "$work/own.log" 2>&1 || status=$?
  [ "$status" = 1 ] || fail "own data without a hierarchy: exit $status"
  grep -q "config loss.hierarchy: hierarchy targets need loss.hierarchy and loss.classes for data.format image-folder" \
    "$work/own.log" || fail "unexpected message: $(cat "$work/own.log")"
  ;;
captions)
  # Caption targets: a manifest and its sentence embeddings, no labels; codes, index, search.
  data=$work/captions
  (cd "$work" && "$shrewd" train --config "$repo/configs/captions-64.json" --set data.path="$data/train.tsv" \
     --set data.embeddings="$data/train.npy" --set preprocessing.resize=16 "${tiny[@]}" --set train.epochs=1 \
     --set train.batch_size=16 --set train.progress=false --set train.out=run) > "$work/train.log" 2>&1 ||
    { cat "$work/train.log"; fail "training on captions failed"; }
  for part in train test; do
    "$shrewd" encode --model "$work/run/model.pt" --data captions --path "$data/$part.tsv" \
      --data-embeddings "$data/$part.npy" --out "$work/$part.codes.npy" > /dev/null
  done
  "$shrewd" index build --codes "$work/train.codes.npy" --out "$work/db.shx" > /dev/null
  "$shrewd" search --index "$work/db.shx" --queries "$work/test.codes.npy" -k 5 --out "$work/nn" > /dev/null
  shape=$(/usr/bin/python3 -c "import sys, numpy; print(numpy.load(sys.argv[1]).shape)" "$work/nn.ids.npy")
  [ "$shape" = "(8, 5)" ] || fail "search answered $shape, expected 8 queries x 5 neighbours"
  ;;
*) fail "unknown dataset $kind" ;;
esac
echo "$kind: end to end on synthetic data in the real format: ok"
