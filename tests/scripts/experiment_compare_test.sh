#!/usr/bin/env bash
# scripts/experiment-compare.sh: a rerun within the tolerance passes, one outside it or with a
# missing run fails, and bad input is refused with a message naming the file.
set -euo pipefail
cd "$(dirname "$0")/../.."
compare=scripts/experiment-compare.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

results() {  # results FILE MAP_OF_SECOND_RUN [UNSEEN_MAHP]
  jq -n --argjson m "$2" --argjson u "${3:-0.9}" '{commit: "abc", date: "today", targets: {noise: 0.002},
    runs: [{group: "main", method: "shrewd", bits: 64, seed: 1, map: 0.86, mahp: 0.96, unseen: null},
           {group: "zero-shot", method: "shrewd", bits: 64, seed: 1, map: $m, mahp: 0.95, unseen: {mahp: $u}}]}' > "$1"
}
results "$dir/ref.json" 0.80
results "$dir/same.json" 0.80
results "$dir/close.json" 0.801
results "$dir/far.json" 0.81
results "$dir/far-unseen.json" 0.80 0.95
jq '.runs |= .[:1]' "$dir/ref.json" > "$dir/missing.json"

report=$($compare "$dir/ref.json" "$dir/same.json") || fail "identical results were not accepted"
grep -q "identical to the last digit: 2" <<< "$report" || fail "identical runs not counted: $report"
$compare "$dir/ref.json" "$dir/close.json" > /dev/null || fail "a difference of 0.001 < noise 0.002 was rejected"
if $compare "$dir/ref.json" "$dir/far.json" > "$dir/out.md"; then fail "a difference of 0.01 > noise was accepted"; fi
grep -q '| zero-shot/shrewd-64-s1 | 0.8 | 0.81 | 0.01 |.*\*\*no\*\*' "$dir/out.md" || fail "the failing run is not marked: $(cat "$dir/out.md")"
if $compare "$dir/ref.json" "$dir/far-unseen.json" > /dev/null; then fail "an unseen-mAHP difference was ignored"; fi
if $compare "$dir/ref.json" "$dir/missing.json" > "$dir/out.md"; then fail "a missing run was accepted"; fi
grep -q '\*\*missing\*\*' "$dir/out.md" || fail "the missing run is not marked"
$compare "$dir/ref.json" "$dir/far.json" --tolerance 0.05 > /dev/null || fail "--tolerance was not used"

echo '{"runs": 3' > "$dir/broken.json"
if err=$($compare "$dir/ref.json" "$dir/broken.json" 2>&1); then fail "broken JSON was accepted"; fi
grep -q "broken.json: not a results.json" <<< "$err" || fail "the error does not name the file: $err"
if err=$($compare "$dir/ref.json" "$dir/same.json" --tolerance abc 2>&1); then fail "a bad tolerance was accepted"; fi
grep -q "not a non-negative number" <<< "$err" || fail "unclear tolerance error: $err"
echo "experiment-compare: all checks passed"
