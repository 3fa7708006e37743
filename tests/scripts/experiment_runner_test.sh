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
echo "experiment runner: all checks passed"
