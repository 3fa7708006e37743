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

# The depth k of the mistake metrics in the tables (docs/method.md §8.13): the grid's
# eval.mistakes_at, else k of mAP@k.
mistakes_at=$(jq -r '.eval.mistakes_at // .eval.map_at // 1000' "$grid")
# The mistake figures at that depth of one ranking convention of an eval report (null without them).
mistakes='def mistakes(c): (c.mistakes // null) | if . == null then null else
  {distance: .mean_distance[$k], severity: .severity[$k], no_mistake: .no_mistake_share[$k]} end;'

# One record per finished run: its settings and the figures of its eval report(s).
runs=$(for run in "$out"/runs/*/*/run.json; do
  [ -f "$run" ] || continue
  dir=$(dirname "$run")
  unseen="null" unseen_seen="null"
  [ -f "$dir/eval-unseen.json" ] && unseen=$(jq -c --arg k "$mistakes_at" "$mistakes"'{map: .hamming.index_ties.map,
      mahp: .hamming.index_ties.mahp, mistakes: mistakes(.hamming.index_ties), queries: .queries, database: .database}' \
      "$dir/eval-unseen.json")
  # Zero-shot: queries of the unseen classes against the database items of the seen classes only,
  # so every retrieved item is of another class: how near are the seen relatives they retrieve?
  [ -f "$dir/eval-unseen-seen.json" ] && unseen_seen=$(jq -c --arg k "$mistakes_at" "$mistakes"'{
      mahp: .hamming.index_ties.mahp, mistakes: mistakes(.hamming.index_ties), queries: .queries, database: .database}' \
      "$dir/eval-unseen-seen.json")
  jq -c --argjson unseen "$unseen" --argjson unseen_seen "$unseen_seen" --arg dir "$dir" --arg k "$mistakes_at" \
      --slurpfile e "$dir/eval.json" "$mistakes"'. + {
      dir: $dir,
      map: $e[0].hamming.index_ties.map, mahp: $e[0].hamming.index_ties.mahp,
      map_tie_aware: $e[0].hamming.tie_aware.map, mahp_tie_aware: $e[0].hamming.tie_aware.mahp,
      radius_precision: $e[0].hamming.radius.precision, radius_empty_share: $e[0].hamming.radius.empty_share,
      distinct_codes: $e[0].code_statistics.database.distinct_codes,
      looks_like_classifier: $e[0].code_statistics.database.looks_like_classifier,
      alignment: $e[0].code_statistics.database.semantic_alignment.spearman,
      gap_map: $e[0].continuous.gap_vs_index_ties.map, gap_mahp: $e[0].continuous.gap_vs_index_ties.mahp,
      cosine_map: $e[0].continuous.metrics.map, cosine_mahp: $e[0].continuous.metrics.mahp,
      mistakes: mistakes($e[0].hamming.index_ties), mistakes_tie_aware: mistakes($e[0].hamming.tie_aware),
      queries: $e[0].queries, database: $e[0].database, unseen: $unseen, unseen_seen: $unseen_seen}' "$run"
done | jq -s .)

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (working tree with uncommitted changes)" || true)
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' || echo unknown)
jq -n --argjson runs "$runs" --slurpfile grid "$grid" --argjson mistakes_at "$mistakes_at" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --arg commit "$commit$dirty" --arg cpu "$cpu" --argjson nproc "$(nproc)" --arg kernel "$(uname -sr)" '
  def mean: add / length;
  def std: mean as $m | if length > 1 then (map((. - $m) * (. - $m)) | add / (length - 1) | sqrt) else 0 end;
  def stat(f): [.[] | f | select(. != null)] | if length == 0 then null else {mean: mean, std: std, n: length} end;
  {date: $date, commit: $commit, machine: {nproc: $nproc, cpu: $cpu, kernel: $kernel},
   grid: $grid[0], mistakes_at: $mistakes_at, runs: $runs,
   summary: ($runs | group_by([.group, .method, .bits]) | map({
     group: .[0].group, method: .[0].method, bits: .[0].bits, seeds: map(.seed),
     epochs: .[0].epochs, train_subset: .[0].train_subset,
     map: stat(.map), mahp: stat(.mahp), radius_precision: stat(.radius_precision),
     distance: stat(.mistakes.distance?), severity: stat(.mistakes.severity?), no_mistake: stat(.mistakes.no_mistake?),
     distinct_codes: stat(.distinct_codes), alignment: stat(.alignment), gap_map: stat(.gap_map), gap_mahp: stat(.gap_mahp),
     train_seconds: stat(.train_seconds),
     looks_like_classifier: (map(.looks_like_classifier) | any),
     unseen_map: stat(.unseen.map?), unseen_mahp: stat(.unseen.mahp?),
     unseen_severity: stat(.unseen.mistakes.severity?),
     unseen_seen_mahp: stat(.unseen_seen.mahp?), unseen_seen_distance: stat(.unseen_seen.mistakes.distance?)}))}' \
  > "$out/results.json.tmp"
mv "$out/results.json.tmp" "$out/results.json"

# The issue's claims, checked on the figures above. Noise scale: the largest seed std of the
# method's own cells (the 64-bit main cell has 3 seeds).
jq '
  def cell(g; m; k): [.summary[] | select(.group == g and .method == m and .bits == k)][0];
  def baselines(g; k): [.summary[] | select(.group == g and .bits == k and .method != "shrewd")];
  . as $r |
  ([.summary[] | select(.group == "main" and .method == "shrewd") | .map.std, .mahp.std] | max // 0) as $noise |
  ([.summary[] | select(.group == "main" and .method == "shrewd") | .severity.std // empty] | max // 0) as $severity_noise |
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
    severity_noise: $severity_noise,
    mistakes: [.summary[] | select(.group == "main" and .method == "shrewd" and .severity != null) | .bits as $k |
      ($r | baselines("main"; $k) | map(select(.severity != null))) as $b | select($b | length > 0) |
      ($b | min_by(.severity.mean)) as $best |
      {bits: $k, severity: .severity.mean, distance: .distance.mean, best_baseline: $best.method,
       best_baseline_severity: $best.severity.mean, best_baseline_distance: $best.distance.mean,
       milder_by_more_than_noise: ($best.severity.mean - .severity.mean > $severity_noise)}],
    classifier_trivial: [.summary[] | select(.group == "main" and .method == "classifier") |
      {bits: .bits, distinct_codes: .distinct_codes.mean, flagged: .looks_like_classifier}],
    zero_shot: [cell("zero-shot"; "shrewd"; 64) | select(. != null) | .unseen_mahp.mean as $m |
      ($r | baselines("zero-shot"; 64)) as $b | select($b | length > 0) | ($b | max_by(.unseen_mahp.mean)) as $best |
      {bits: 64, unseen_mahp: $m, best_baseline: $best.method, best_baseline_unseen_mahp: $best.unseen_mahp.mean,
       beats_every_baseline: ($m > $best.unseen_mahp.mean)}],
    zero_shot_relatives: [cell("zero-shot"; "shrewd"; 64) | select(. != null and .unseen_seen_distance != null) |
      .unseen_seen_distance.mean as $d | ($r | baselines("zero-shot"; 64) | map(select(.unseen_seen_distance != null))) as $b |
      select($b | length > 0) | ($b | min_by(.unseen_seen_distance.mean)) as $best |
      {bits: 64, distance: $d, mahp: .unseen_seen_mahp.mean, best_baseline: $best.method,
       best_baseline_distance: $best.unseen_seen_distance.mean, nearer_than_every_baseline: ($d < $best.unseen_seen_distance.mean)}]
  }' "$out/results.json" > "$out/results.json.tmp"
mv "$out/results.json.tmp" "$out/results.json"

# Markdown tables.
jq -r '
  def f(d): if . == null then "-" elif .n > 1 then "\(.mean * d | round / d) ± \(.std * d | round / d)"
            else "\(.mean * d | round / d)" end;
  def f3: f(1000);
  def f0: f(1);
  def table(rows): "| method | K | seeds | mAP@\(.grid.eval.map_at) | mAHP@\(.grid.eval.ahp_at) | D^T@\(.mistakes_at) | severity@\(.mistakes_at) | no mistake@\(.mistakes_at) | P(r<=\(.grid.eval.radius)) | distinct codes | semantic ρ | gap mAP | gap mAHP | train s |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    (rows[] | "| \(.method) | \(.bits) | \(.seeds | map(tostring) | join(",")) | \(.map | f3) | \(.mahp | f3) | \(.distance | f3) | \(.severity | f3) | \(.no_mistake | f3) | \(.radius_precision | f3) | \(.distinct_codes | f0) | \(.alignment | f(100)) | \(.gap_map | f3) | \(.gap_mahp | f3) | \(.train_seconds | f0) |");
  . as $r |
  "# Results: \(.grid.name)", "",
  "- date: \(.date); commit: \(.commit)",
  "- machine: \(.machine.nproc) cores, \(.machine.cpu), \(.machine.kernel)",
  "- budget: \(.summary | map("\(.epochs) epoch(s)" + (if .train_subset > 0 then ", \(.train_subset) training items" else ", full training split" end)) | unique | join("; "))",
  "- queries: \(.runs[0].queries // "-") (test split); database: \(.runs[0].database // "-") (train split); ties by database index; gap = cosine ranking of z minus Hamming ranking",
  "- D^T@\(.mistakes_at): mean class distance (hierarchy) between the query and its first \(.mistakes_at) items; severity@\(.mistakes_at): the same over the items of another class only, over the queries that made such a mistake; no mistake@\(.mistakes_at): share of queries without one (docs/method.md §8.13)",
  "- semantic ρ: Spearman correlation, over the pairs of classes, between the mean Hamming distance of their database codes and their hierarchy distance (docs/evaluation.md)",
  "- commands: commands.sh; per-run reports: runs/<group>/<method>-<K>-s<seed>/eval.json (+ plots-eval/*.svg)", "",
  (.summary | map(.group) | unique[] as $g | ($r.summary | map(select(.group == $g)) | sort_by(.bits, .method)) as $rows |
    "## \($g)", "",
    if $g == "zero-shot" then
      "Unseen: queries and database of the unseen classes only. Unseen → seen: queries of the unseen classes against the database items of the seen classes, so every item retrieved is of another class; D^T@\($r.mistakes_at) is how far (in the hierarchy) the seen items they retrieve are, lower is nearer relatives.", "",
      "| method | K | mAHP@\($r.grid.eval.ahp_at) unseen | mAP@\($r.grid.eval.map_at) unseen | severity@\($r.mistakes_at) unseen | mAHP@\($r.grid.eval.ahp_at) unseen → seen | D^T@\($r.mistakes_at) unseen → seen | mAHP all | mAP all | distinct codes (all) | semantic ρ (all) |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
      ($rows[] | "| \(.method) | \(.bits) | \(.unseen_mahp | f3) | \(.unseen_map | f3) | \(.unseen_severity | f3) | \(.unseen_seen_mahp | f3) | \(.unseen_seen_distance | f3) | \(.mahp | f3) | \(.map | f3) | \(.distinct_codes | f0) | \(.alignment | f(100)) |")
    else $r | table($rows) end, ""),
  def yes(b): if b then "met" else "**not met**" end;
  def r3: . * 1000 | round / 1000;
  def r4: . * 10000 | round / 10000;
  "## Targets", "",
  "Noise scale (largest seed std of shrewd in the main table): \(.targets.noise | r3)", "",
  (.targets.main[] | "- \(.bits) bits: mAP@\($r.grid.eval.map_at) shrewd \(.map | r3) vs best baseline \(.best_map_method) \(.best_baseline_map | r3): \(yes(.map_matches)); mAHP@\($r.grid.eval.ahp_at) shrewd \(.mahp | r3) vs best baseline \(.best_mahp_method) \(.best_baseline_mahp | r3), beaten by more than the noise: \(yes(.mahp_beats_by_more_than_noise))"),
  (.targets.mistakes[] | "- \(.bits) bits: mistake severity@\($r.mistakes_at) shrewd \(.severity | r3) vs mildest baseline \(.best_baseline) \(.best_baseline_severity | r3), milder by more than the noise (\($r.targets.severity_noise | r3)): \(yes(.milder_by_more_than_noise))"),
  (.targets.kl_gap[] | "- \(.bits) bits: binarisation gap (mAHP) with KL \(.gap_mahp_with_kl | r4) vs without \(.gap_mahp_without_kl | r4): smaller with KL \(yes(.smaller_with_kl))"),
  (.targets.classifier_trivial[] | "- classifier-only at \(.bits) bits: \(.distinct_codes | round) distinct database codes; statistics flag the trivial solution: \(yes(.flagged))"),
  (.targets.zero_shot[] | "- zero-shot, unseen classes: shrewd mAHP \(.unseen_mahp | r3) vs best baseline \(.best_baseline) \(.best_baseline_unseen_mahp | r3): \(yes(.beats_every_baseline))"),
  (.targets.zero_shot_relatives[] | "- zero-shot, unseen queries against seen classes: shrewd retrieves nearer relatives (D^T@\($r.mistakes_at) \(.distance | r3)) than every baseline (best \(.best_baseline) \(.best_baseline_distance | r3)): \(yes(.nearer_than_every_baseline)) (compared without a noise margin)"),
  ""
' "$out/results.json" > "$out/results.md"

# Plots: one grouped bar chart per metric and group (methods x K, mean over seeds with the seeds'
# std as error bar), on a y axis fitted to the bars so that the differences show, drawn by
# `shrewd plot` from a JSON spec (the C++ SVG plotter of the evaluation). Each states its protocol.
plot() {  # plot GROUP METRIC TITLE Y_LABEL FILE [QUERIES_NOTE]
  jq --arg group "$1" --arg metric "$2" --arg title "$3" --arg ylabel "$4" --arg note "${6:-}" '
    [.summary[] | select(.group == $group and .[$metric] != null)] as $rows |
    ($rows | map(.method) | unique) as $methods | ($rows | map(.bits) | unique) as $bits |
    def cell(m; k): [$rows[] | select(.bits == k and .method == m)][0][$metric];
    ([$rows[] | .seeds | length] | unique | map(tostring) | join(" or ")) as $seeds |
    {type: "bars", title: $title, subtitle: "mean over \($seeds) seed(s); error bars: std of the seeds where there are several",
     x: {label: "code length K (bits)"}, y: ({label: $ylabel, fit: true} + if $metric == "map" or $metric == "mahp" then {max: 1} else {} end),
     protocol: ("Protocol: " + (if $note != "" then $note else
       "queries: \(.runs[0].queries // "?") test items, database: \(.runs[0].database // "?") train items" end) +
       "; Hamming ranking, ties by database index; K bits per group"),
     groups: ($bits | map("K = \(.)")),
     series: [$methods[] as $m | {label: $m,
       values: [$bits[] as $k | cell($m; $k).mean // null],
       errors: [$bits[] as $k | cell($m; $k) | if . != null and .n > 1 then .std else null end]}]}' \
    "$out/results.json" > "$5.json"
  if jq -e '.series | length > 0' "$5.json" > /dev/null; then
    "$shrewd" plot --spec "$5.json" --out "$5" > /dev/null
    written+=("$5")
  fi
  rm -f "$5.json"
}
mkdir -p "$out/plots"
written=()
map_at=$(jq -r '.eval.map_at // 1000' "$grid"); ahp_at=$(jq -r '.eval.ahp_at // 250' "$grid")
plot main map "mAP@$map_at, main grid" "mAP@$map_at" "$out/plots/main_map.svg"
plot main mahp "mAHP@$ahp_at, main grid" "mAHP@$ahp_at" "$out/plots/main_mahp.svg"
plot main distance "Mean class distance of the top $mistakes_at, main grid" \
  "mean D^T@$mistakes_at (lower: nearer classes)" "$out/plots/main_distance.svg"
plot main severity "Mistake severity@$mistakes_at, main grid" \
  "severity@$mistakes_at (lower: milder mistakes)" "$out/plots/main_severity.svg"
plot ablation severity "Mistake severity@$mistakes_at, ablations" \
  "severity@$mistakes_at (lower: milder mistakes)" "$out/plots/ablation_severity.svg"
seen_note=$(jq -r '[.runs[] | select(.unseen_seen != null)][0].unseen_seen // empty |
  "queries: \(.queries) test items of the unseen classes, database: \(.database) train items of the seen classes"' "$out/results.json")
plot zero-shot unseen_seen_distance "Zero-shot: how near are the seen classes retrieved for unseen queries" \
  "mean D^T@$mistakes_at, unseen queries vs seen database" "$out/plots/zero_shot_distance.svg" "$seen_note"
echo "wrote $out/results.json, $out/results.md, ${written[*]}"
