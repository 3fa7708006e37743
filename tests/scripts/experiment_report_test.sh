#!/usr/bin/env bash
# scripts/experiment-report.sh on a small made-up grid: results.md has the tables (with the mistake
# metrics and the zero-shot unseen -> seen figures) and the claims, and the plots are drawn by
# `shrewd plot` (one bar per method and K, error bars where there are several seeds, a y axis fitted
# to the bars, axis titles and a protocol line).
#   tests/scripts/experiment_report_test.sh SHREWD
set -euo pipefail
shrewd=$(realpath "${1:?usage: experiment_report_test.sh SHREWD}")
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# The protocol at the foot of a plot: its lines joined with spaces.
protocol_of() { grep -o 'class="protocol">[^<]*' "$1" | sed 's/^class="protocol">//' | paste -sd' '; }

echo '{"name": "tiny", "eval": {"map_at": 100, "ahp_at": 50, "radius": 2}}' > "$dir/grid.json"
# An eval report's mistakes at k = 100 (the grid's mAP depth) and a shallower k = 10.
mistakes() {  # mistakes DISTANCE SEVERITY NO_MISTAKE
  echo "{\"mean_distance\": {\"10\": 0.01, \"100\": $1}, \"severity\": {\"10\": null, \"100\": $2},
         \"no_mistake_share\": {\"10\": 1, \"100\": $3}}"
}
run() {  # run GROUP METHOD BITS SEED MAP MAHP SEVERITY
  local d="$dir/out/runs/$1/$2-$3-s$4"
  mkdir -p "$d"
  jq -n --arg g "$1" --arg m "$2" --argjson k "$3" --argjson s "$4" '{group: $g, method: $m, bits: $k, seed: $s, epochs: 1,
    train_subset: 0, train_seconds: 10, settings: []}' > "$d/run.json"
  jq -n --argjson map "$5" --argjson mahp "$6" --argjson m "$(mistakes 0.1 "$7" 0.5)" '{queries: 10, database: 100,
    hamming: {index_ties: {map: $map, mahp: $mahp, mistakes: $m}, tie_aware: {map: $map, mahp: $mahp, mistakes: $m}}}' \
    > "$d/eval.json"
}
run main shrewd 16 1 0.5 0.7 0.30
run main shrewd 16 2 0.7 0.9 0.34
run main shrewd 64 1 0.8 0.95 0.3
run main dpsh 16 1 0.4 0.6 0.6
# Zero-shot: eval-unseen.json (unseen vs unseen) and eval-unseen-seen.json (unseen queries vs seen database).
zero_shot() {  # zero_shot METHOD DISTANCE_TO_SEEN
  run zero-shot "$1" 64 1 0.5 0.6 0.5
  local d="$dir/out/runs/zero-shot/$1-64-s1"
  jq -n --argjson m "$(mistakes 0.2 0.5 0.4)" '{queries: 3, database: 30,
    hamming: {index_ties: {map: 0.4, mahp: 0.5, mistakes: $m}}}' > "$d/eval-unseen.json"
  jq -n --argjson m "$(mistakes "$2" "$2" 0)" '{queries: 3, database: 70,
    hamming: {index_ties: {map: 0, mahp: 0.45, mistakes: $m}}}' > "$d/eval-unseen-seen.json"
}
zero_shot shrewd 0.42
zero_shot csq 0.55

out=$(scripts/experiment-report.sh "$dir/out" "$dir/grid.json" "$shrewd") || fail "the report failed: $out"
md=$(cat "$dir/out/results.md")
grep -q "| shrewd | 16 | 1,2 | 0.6 ± 0.141 | 0.8 ± 0.141 | 0.1 ± 0 | 0.32 ± 0.028 | 0.5 ± 0 |" <<< "$md" ||
  fail "no main table row with the mistakes at k = 100: $md"
grep -q "| method | K | seeds | mAP@100 | mAHP@50 | D^T@100 | severity@100 | no mistake@100 |" <<< "$md" || fail "no mistake columns: $md"
grep -q "| shrewd | 64 | 0.5 | 0.4 | 0.5 | 0.45 | 0.42 |" <<< "$md" || fail "no zero-shot unseen -> seen figures: $md"
grep -q "mistake severity@100 shrewd 0.32 vs mildest baseline dpsh 0.6, milder by more than the noise (0.028): met" <<< "$md" ||
  fail "no severity claim: $md"
grep -q "shrewd retrieves nearer relatives (D^T@100 0.42) than every baseline (best csq 0.55): met" <<< "$md" ||
  fail "no zero-shot relatives claim: $md"
for plot in main_map main_mahp main_distance main_severity; do
  svg="$dir/out/plots/$plot.svg"
  [ -f "$svg" ] || fail "$plot.svg was not written"
  [ ! -e "$svg.json" ] || fail "the plot spec $svg.json was left behind"
  grep -q '^<svg xmlns="http://www.w3.org/2000/svg" version="1.1"' "$svg" || fail "$plot.svg is not from the C++ plotter"
  [ "$(grep -c '<title>' "$svg")" = 3 ] || fail "$plot.svg: not 3 bars (dpsh has no 64-bit run): $(grep '<title>' "$svg")"
  grep -q '>code length K (bits)</text>' "$svg" || fail "$plot.svg: no x axis title"
  [ "$(protocol_of "$svg")" = "Protocol: queries: 10 test items, database: 100 train items; Hamming ranking, ties by database index; K bits per group" ] ||
    fail "$plot.svg: no protocol line: $(protocol_of "$svg")"
done
for plot in main_map main_severity; do  # (the distances of the two 16-bit seeds are equal: no error bar there)
  [ "$(grep -c 'stroke="#222"' "$dir/out/plots/$plot.svg")" = 3 ] || fail "$plot.svg: not one error bar (2 seeds at 16 bits)"
done
grep -q '<title>shrewd, K = 16: 0.6 ± 0.141421</title>' "$dir/out/plots/main_map.svg" ||
  fail "the shrewd 16-bit bar is not the seed mean with its std: $(grep '<title>' "$dir/out/plots/main_map.svg")"
grep -q '<title>dpsh, K = 16: 0.4</title>' "$dir/out/plots/main_map.svg" || fail "no dpsh bar"
grep -q '>mAHP@50, main grid<' "$dir/out/plots/main_mahp.svg" || fail "no title"
grep -q '>mAHP@50</text>' "$dir/out/plots/main_mahp.svg" || fail "no y axis title"
grep -q '<title>shrewd, K = 16: 0.32 ± 0.0282843</title>' "$dir/out/plots/main_severity.svg" || fail "no severity bar with its std"
# The y axis is fitted to the bars (severity 0.3..0.6), so it does not start at 0.
lowest=$(grep -o 'text-anchor="end">[0-9.]*</text>' "$dir/out/plots/main_severity.svg" | head -1 | grep -o '[0-9.]*<' | tr -d '<')
awk -v t="$lowest" 'BEGIN { exit !(t > 0.1 && t <= 0.3) }' || fail "severity axis starts at $lowest, not near the bars"
svg="$dir/out/plots/zero_shot_distance.svg"
grep -q '<title>shrewd, K = 64: 0.42</title>' "$svg" || fail "no zero-shot distance bar"
grep -q '^Protocol: queries: 3 test items of the unseen classes, database: 70 train items of the seen classes;' <<< "$(protocol_of "$svg")" ||
  fail "the zero-shot plot does not state its protocol: $(protocol_of "$svg")"

if err=$(scripts/experiment-report.sh "$dir/out" "$dir/grid.json" /nonexistent/shrewd 2>&1); then fail "a missing shrewd was accepted"; fi
grep -q "no shrewd executable" <<< "$err" || fail "unclear error without shrewd: $err"
echo "experiment report: all checks passed"
