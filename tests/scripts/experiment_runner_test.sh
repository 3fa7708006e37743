#!/usr/bin/env bash
# scripts/experiment.sh in --dry-run mode: a finished run is skipped, or with --reevaluate encoded
# and evaluated again from its saved model without training; an unfinished run is trained.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
runner() { scripts/experiment.sh --grid experiments/fmnist.json --out "$dir/out" --shrewd /bin/true --dry-run \
  --groups main --methods shrewd --bits 64 "$@"; }

mkdir -p "$dir/out/runs/main/shrewd-64-s1"
echo '{}' > "$dir/out/runs/main/shrewd-64-s1/eval.json"

out=$(runner --seeds 1)
grep -q "skip $dir/out/runs/main/shrewd-64-s1 (done)" <<< "$out" || fail "a finished run was not skipped: $out"
if grep -q "/bin/true train \|/bin/true encode " <<< "$out"; then fail "a finished run was trained or encoded: $out"; fi

out=$(runner --seeds 1 --reevaluate)
grep -q "re-evaluate main / shrewd / 64 bits / seed 1" <<< "$out" || fail "no re-evaluation: $out"
grep -q " encode --model $dir/out/runs/main/shrewd-64-s1/train/model.pt --split test" <<< "$out" || fail "no encoding: $out"
grep -q " eval .*--json $dir/out/runs/main/shrewd-64-s1/eval.json" <<< "$out" || fail "no evaluation: $out"
if grep -q "/bin/true train " <<< "$out"; then fail "--reevaluate trained again: $out"; fi

out=$(runner --seeds 2 --reevaluate)
grep -q "/bin/true train .*train.seed=2" <<< "$out" || fail "an unfinished run was not trained: $out"
# Zero-shot: the unseen queries are evaluated against the unseen classes and against the seen ones.
out=$(scripts/experiment.sh --grid experiments/fmnist.json --out "$dir/out" --shrewd /bin/true --dry-run \
  --groups zero-shot --methods shrewd)
run_dir="$dir/out/runs/zero-shot/shrewd-64-s1"
grep -qF " select-classes --labels $run_dir/train.labels.npy --class-ids 0\,1\,3\,4\,6\,7\,9 --in $run_dir/train.codes.npy --out $run_dir/train-seen.codes.npy" <<< "$out" ||
  fail "the seen classes' database is not selected: $out"
grep -q " eval --query-codes $run_dir/test-unseen.codes.npy .*--db-codes $run_dir/train-seen.codes.npy .*--json $run_dir/eval-unseen-seen.json" <<< "$out" ||
  fail "no evaluation of the unseen queries against the seen classes: $out"
grep -q " eval --query-codes $run_dir/test-unseen.codes.npy .*--db-codes $run_dir/train-unseen.codes.npy .*--json $run_dir/eval-unseen.json" <<< "$out" ||
  fail "no evaluation on the unseen classes: $out"
echo "experiment runner: all checks passed"
