#!/usr/bin/env bash
# Collects the runs of an experiment grid into results.json, results.md and SVG plots.
#   scripts/experiment-report.sh OUT_DIR GRID.json [SHREWD]
# SHREWD: the shrewd executable that draws the plots (default: build/src/shrewd/cli/shrewd or
# build-exp/src/shrewd/cli/shrewd). Called by scripts/experiment.sh at the end; can be rerun on its
# own (e.g. on a partial grid).
set -euo pipefail
out=${1:?usage: experiment-report.sh OUT_DIR GRID.json [SHREWD]}
grid=${2:?usage: experiment-report.sh OUT_DIR GRID.json [SHREWD]}
shrewd=${3:-}
command -v jq > /dev/null || { echo "experiment-report.sh: jq is not installed" >&2; exit 1; }
if [ -z "$shrewd" ]; then
  for candidate in build/src/shrewd/cli/shrewd build-exp/src/shrewd/cli/shrewd; do
    [ -x "$candidate" ] && { shrewd=$candidate; break; }
  done
fi
[ -n "$shrewd" ] && [ -x "$shrewd" ] || { echo "experiment-report.sh: no shrewd executable (build it, or give it as the third argument)" >&2; exit 1; }

# One record per finished run: its settings and the figures of its eval report(s).
runs=$(for run in "$out"/runs/*/*/run.json; do
  [ -f "$run" ] || continue
  dir=$(dirname "$run")
  unseen="null"
  [ -f "$dir/eval-unseen.json" ] && unseen=$(jq -c '{map: .hamming.index_ties.map, mahp: .hamming.index_ties.mahp,
      queries: .queries, database: .database}' "$dir/eval-unseen.json")
  jq -c --argjson unseen "$unseen" --arg dir "$dir" --slurpfile e "$dir/eval.json" '. + {
      dir: $dir,
      map: $e[0].hamming.index_ties.map, mahp: $e[0].hamming.index_ties.mahp,
      map_tie_aware: $e[0].hamming.tie_aware.map, mahp_tie_aware: $e[0].hamming.tie_aware.mahp,
      radius_precision: $e[0].hamming.radius.precision, radius_empty_share: $e[0].hamming.radius.empty_share,
      distinct_codes: $e[0].code_statistics.database.distinct_codes,
      looks_like_classifier: $e[0].code_statistics.database.looks_like_classifier,
      alignment: $e[0].code_statistics.database.semantic_alignment.spearman,
      gap_map: $e[0].continuous.gap_vs_index_ties.map, gap_mahp: $e[0].continuous.gap_vs_index_ties.mahp,
      cosine_map: $e[0].continuous.metrics.map, cosine_mahp: $e[0].continuous.metrics.mahp,
      queries: $e[0].queries, database: $e[0].database, unseen: $unseen}' "$run"
done | jq -s .)

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (working tree with uncommitted changes)" || true)
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' || echo unknown)
jq -n --argjson runs "$runs" --slurpfile grid "$grid" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --arg commit "$commit$dirty" --arg cpu "$cpu" --argjson nproc "$(nproc)" --arg kernel "$(uname -sr)" '
  def mean: add / length;
  def std: mean as $m | if length > 1 then (map((. - $m) * (. - $m)) | add / (length - 1) | sqrt) else 0 end;
  def stat(f): [.[] | f | select(. != null)] | if length == 0 then null else {mean: mean, std: std, n: length} end;
  {date: $date, commit: $commit, machine: {nproc: $nproc, cpu: $cpu, kernel: $kernel},
   grid: $grid[0], runs: $runs,
   summary: ($runs | group_by([.group, .method, .bits]) | map({
     group: .[0].group, method: .[0].method, bits: .[0].bits, seeds: map(.seed),
     epochs: .[0].epochs, train_subset: .[0].train_subset,
     map: stat(.map), mahp: stat(.mahp), radius_precision: stat(.radius_precision),
     distinct_codes: stat(.distinct_codes), alignment: stat(.alignment), gap_map: stat(.gap_map), gap_mahp: stat(.gap_mahp),
     train_seconds: stat(.train_seconds),
     looks_like_classifier: (map(.looks_like_classifier) | any),
     unseen_map: stat(.unseen.map?), unseen_mahp: stat(.unseen.mahp?)}))}' > "$out/results.json.tmp"
mv "$out/results.json.tmp" "$out/results.json"

# The issue's claims, checked on the figures above. Noise scale: the largest seed std of the
# method's own cells (the 64-bit main cell has 3 seeds).
jq '
  def cell(g; m; k): [.summary[] | select(.group == g and .method == m and .bits == k)][0];
  def baselines(g; k): [.summary[] | select(.group == g and .bits == k and .method != "shrewd")];
  . as $r |
  ([.summary[] | select(.group == "main" and .method == "shrewd") | .map.std, .mahp.std] | max // 0) as $noise |
  .targets = {
    noise: $noise,
    main: [.summary[] | select(.group == "main" and .method == "shrewd") | .bits as $k | ($r | baselines("main"; $k)) as $b |
      select($b | length > 0) |
      ($b | max_by(.map.mean)) as $best_map | ($b | max_by(.mahp.mean)) as $best_mahp |
      {bits: $k, map: .map.mean, best_baseline_map: $best_map.map.mean, best_map_method: $best_map.method,
       map_matches: (.map.mean >= $best_map.map.mean - $noise),
       mahp: .mahp.mean, best_baseline_mahp: $best_mahp.mahp.mean, best_mahp_method: $best_mahp.method,
       mahp_beats_by_more_than_noise: (.mahp.mean - $best_mahp.mahp.mean > $noise)}],
    kl_gap: [.summary[] | select(.group == "main" and .method == "shrewd") | .bits as $k |
      $r | cell("ablation"; "no-kl"; $k) as $no | select($no != null) |
      {bits: $k, gap_mahp_with_kl: cell("main"; "shrewd"; $k).gap_mahp.mean, gap_mahp_without_kl: $no.gap_mahp.mean,
       smaller_with_kl: (cell("main"; "shrewd"; $k).gap_mahp.mean < $no.gap_mahp.mean)}],
    classifier_trivial: [.summary[] | select(.group == "main" and .method == "classifier") |
      {bits: .bits, distinct_codes: .distinct_codes.mean, flagged: .looks_like_classifier}],
    zero_shot: [cell("zero-shot"; "shrewd"; 64) | select(. != null) | .unseen_mahp.mean as $m |
      ($r | baselines("zero-shot"; 64)) as $b | select($b | length > 0) | ($b | max_by(.unseen_mahp.mean)) as $best |
      {bits: 64, unseen_mahp: $m, best_baseline: $best.method, best_baseline_unseen_mahp: $best.unseen_mahp.mean,
       beats_every_baseline: ($m > $best.unseen_mahp.mean)}]
  }' "$out/results.json" > "$out/results.json.tmp"
mv "$out/results.json.tmp" "$out/results.json"

# Markdown tables.
jq -r '
  def f(d): if . == null then "-" elif .n > 1 then "\(.mean * d | round / d) ± \(.std * d | round / d)"
            else "\(.mean * d | round / d)" end;
  def f3: f(1000);
  def f0: f(1);
  def table(rows): "| method | K | seeds | mAP@\(.grid.eval.map_at) | mAHP@\(.grid.eval.ahp_at) | P(r<=\(.grid.eval.radius)) | distinct codes | semantic ρ | gap mAP | gap mAHP | train s |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    (rows[] | "| \(.method) | \(.bits) | \(.seeds | map(tostring) | join(",")) | \(.map | f3) | \(.mahp | f3) | \(.radius_precision | f3) | \(.distinct_codes | f0) | \(.alignment | f(100)) | \(.gap_map | f3) | \(.gap_mahp | f3) | \(.train_seconds | f0) |");
  . as $r |
  "# Results: \(.grid.name)", "",
  "- date: \(.date); commit: \(.commit)",
  "- machine: \(.machine.nproc) cores, \(.machine.cpu), \(.machine.kernel)",
  "- budget: \(.summary | map("\(.epochs) epoch(s)" + (if .train_subset > 0 then ", \(.train_subset) training items" else ", full training split" end)) | unique | join("; "))",
  "- queries: \(.runs[0].queries // "-") (test split); database: \(.runs[0].database // "-") (train split); ties by database index; gap = cosine ranking of z minus Hamming ranking",
  "- semantic ρ: Spearman correlation, over the pairs of classes, between the mean Hamming distance of their database codes and their hierarchy distance (docs/evaluation.md)",
  "- commands: commands.sh; per-run reports: runs/<group>/<method>-<K>-s<seed>/eval.json (+ plots-eval/*.svg)", "",
  (.summary | map(.group) | unique[] as $g | ($r.summary | map(select(.group == $g)) | sort_by(.bits, .method)) as $rows |
    "## \($g)", "",
    if $g == "zero-shot" then
      "| method | K | mAHP@\($r.grid.eval.ahp_at) unseen | mAP@\($r.grid.eval.map_at) unseen | mAHP all | mAP all | distinct codes (all) | semantic ρ (all) |",
      "|---|---|---|---|---|---|---|---|",
      ($rows[] | "| \(.method) | \(.bits) | \(.unseen_mahp | f3) | \(.unseen_map | f3) | \(.mahp | f3) | \(.map | f3) | \(.distinct_codes | f0) | \(.alignment | f(100)) |")
    else $r | table($rows) end, ""),
  def yes(b): if b then "met" else "**not met**" end;
  def r3: . * 1000 | round / 1000;
  def r4: . * 10000 | round / 10000;
  "## Targets", "",
  "Noise scale (largest seed std of shrewd in the main table): \(.targets.noise | r3)", "",
  (.targets.main[] | "- \(.bits) bits: mAP@\($r.grid.eval.map_at) shrewd \(.map | r3) vs best baseline \(.best_map_method) \(.best_baseline_map | r3): \(yes(.map_matches)); mAHP@\($r.grid.eval.ahp_at) shrewd \(.mahp | r3) vs best baseline \(.best_mahp_method) \(.best_baseline_mahp | r3), beaten by more than the noise: \(yes(.mahp_beats_by_more_than_noise))"),
  (.targets.kl_gap[] | "- \(.bits) bits: binarisation gap (mAHP) with KL \(.gap_mahp_with_kl | r4) vs without \(.gap_mahp_without_kl | r4): smaller with KL \(yes(.smaller_with_kl))"),
  (.targets.classifier_trivial[] | "- classifier-only at \(.bits) bits: \(.distinct_codes | round) distinct database codes; statistics flag the trivial solution: \(yes(.flagged))"),
  (.targets.zero_shot[] | "- zero-shot, unseen classes: shrewd mAHP \(.unseen_mahp | r3) vs best baseline \(.best_baseline) \(.best_baseline_unseen_mahp | r3): \(yes(.beats_every_baseline))"),
  ""
' "$out/results.json" > "$out/results.md"

# Plots: one grouped bar chart per metric (methods x K, mean with the seeds' std as error bar) for
# the main group, drawn by `shrewd plot` from a JSON spec (the C++ SVG plotter of the evaluation).
plot() {  # plot METRIC TITLE FILE
  jq --arg metric "$1" --arg title "$2" '
    [.summary[] | select(.group == "main")] as $rows |
    ($rows | map(.method) | unique) as $methods | ($rows | map(.bits) | unique) as $bits |
    def cell(m; k): [$rows[] | select(.bits == k and .method == m)][0][$metric];
    {type: "bars", title: $title, subtitle: "mean over seeds; error bars: std of the seeds",
     x: {label: "code length"}, y: {label: ({map: "mAP", mahp: "mAHP"}[$metric] // $metric), min: 0, max: 1},
     groups: ($bits | map("K = \(.)")),
     series: [$methods[] as $m | {label: $m,
       values: [$bits[] as $k | cell($m; $k).mean // null],
       errors: [$bits[] as $k | cell($m; $k) | if . != null and .n > 1 then .std else null end]}]}' \
    "$out/results.json" > "$3.json"
  "$shrewd" plot --spec "$3.json" --out "$3" > /dev/null
  rm -f "$3.json"
}
mkdir -p "$out/plots"
map_at=$(jq -r '.eval.map_at // 1000' "$grid"); ahp_at=$(jq -r '.eval.ahp_at // 250' "$grid")
plot map "mAP@$map_at (Hamming ranking), main grid" "$out/plots/main_map.svg"
plot mahp "mAHP@$ahp_at (Hamming ranking), main grid" "$out/plots/main_mahp.svg"
echo "wrote $out/results.json, $out/results.md, $out/plots/main_map.svg, $out/plots/main_mahp.svg"
