#!/usr/bin/env bash
# scripts/experiment-report.sh on a small made-up grid: results.md has the table, and the plots are
# drawn by `shrewd plot` (one bar per method and K, error bars where there are several seeds).
#   tests/scripts/experiment_report_test.sh SHREWD
set -euo pipefail
shrewd=$(realpath "${1:?usage: experiment_report_test.sh SHREWD}")
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo '{"name": "tiny", "eval": {"map_at": 100, "ahp_at": 50, "radius": 2}}' > "$dir/grid.json"
run() {  # run METHOD BITS SEED MAP MAHP
  local d="$dir/out/runs/main/$1-$2-s$3"
  mkdir -p "$d"
  jq -n --arg m "$1" --argjson k "$2" --argjson s "$3" '{group: "main", method: $m, bits: $k, seed: $s, epochs: 1,
    train_subset: 0, train_seconds: 10, settings: []}' > "$d/run.json"
  jq -n --argjson map "$4" --argjson mahp "$5" '{queries: 10, database: 100,
    hamming: {index_ties: {map: $map, mahp: $mahp}}}' > "$d/eval.json"
}
run shrewd 16 1 0.5 0.7
run shrewd 16 2 0.7 0.9
run shrewd 64 1 0.8 0.95
run dpsh 16 1 0.4 0.6

out=$(scripts/experiment-report.sh "$dir/out" "$dir/grid.json" "$shrewd") || fail "the report failed: $out"
grep -q "| shrewd | 16 | 1,2 | 0.6 ± 0.141 |" "$dir/out/results.md" || fail "no main table row: $(cat "$dir/out/results.md")"
for plot in main_map main_mahp; do
  svg="$dir/out/plots/$plot.svg"
  [ -f "$svg" ] || fail "$plot.svg was not written"
  [ ! -e "$svg.json" ] || fail "the plot spec $svg.json was left behind"
  grep -q '^<svg xmlns="http://www.w3.org/2000/svg" version="1.1"' "$svg" || fail "$plot.svg is not from the C++ plotter"
  [ "$(grep -c '<title>' "$svg")" = 3 ] || fail "$plot.svg: not 3 bars (dpsh has no 64-bit run): $(grep '<title>' "$svg")"
done
grep -q '<title>shrewd, K = 16: 0.6' "$dir/out/plots/main_map.svg" || fail "the shrewd 16-bit bar is not the seed mean"
grep -q '<title>dpsh, K = 16: 0.4' "$dir/out/plots/main_map.svg" || fail "no dpsh bar"
grep -q '>mAHP@50 (Hamming ranking), main grid<' "$dir/out/plots/main_mahp.svg" || fail "no title"
[ "$(grep -c 'stroke="#222"' "$dir/out/plots/main_map.svg")" = 3 ] || fail "not one error bar (2 seeds at 16 bits)"

if err=$(scripts/experiment-report.sh "$dir/out" "$dir/grid.json" /nonexistent/shrewd 2>&1); then fail "a missing shrewd was accepted"; fi
grep -q "no shrewd executable" <<< "$err" || fail "unclear error without shrewd: $err"
echo "experiment report: all checks passed"
