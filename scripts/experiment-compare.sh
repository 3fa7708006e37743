#!/usr/bin/env bash
# Checks that a rerun of an experiment grid reproduces a reference run, run by run.
#   scripts/experiment-compare.sh REFERENCE/results.json RERUN/results.json [--tolerance X]
#
# Runs are matched by (group, method, K, seed). A run reproduces when |rerun - reference| <= the
# tolerance for mAP, mAHP and (zero-shot) unseen mAHP. The default tolerance is the reference's
# noise scale (largest seed std of the method in its main table). Training times are not compared:
# they follow the machine's load. Prints a Markdown report; exits 1 when a run falls outside the
# tolerance or a reference run is missing from the rerun.
set -euo pipefail
die() { echo "experiment-compare.sh: error: $*" >&2; exit 2; }
command -v jq > /dev/null || die "jq is not installed (scripts/install-deps.sh installs it)"

tolerance="" files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tolerance) tolerance="${2:?--tolerance needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) files+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -eq 2 ] || die "give REFERENCE/results.json and RERUN/results.json (see --help)"
for f in "${files[@]}"; do
  [ -f "$f" ] || die "$f: no such file"
  jq -e '.runs | type == "array"' "$f" > /dev/null 2>&1 || die "$f: not a results.json (no 'runs' array)"
done
if [ -z "$tolerance" ]; then
  tolerance=$(jq -r '.targets.noise // empty' "${files[0]}")
  [ -n "$tolerance" ] || die "${files[0]}: has no targets.noise; give --tolerance"
fi
[[ "$tolerance" =~ ^[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$ ]] || die "--tolerance '$tolerance' is not a non-negative number"

jq -n -r --slurpfile ref "${files[0]}" --slurpfile new "${files[1]}" --argjson tol "$tolerance" \
  --arg ref_name "${files[0]}" --arg new_name "${files[1]}" '
  def key: "\(.group)/\(.method)-\(.bits)-s\(.seed)";
  def r4: if . == null then "-" else . * 10000 | round / 10000 end;
  def delta(a; b): if a == null or b == null then null else (b - a) end;
  ($new[0].runs | map({key: key, value: .}) | from_entries) as $rerun |
  [$ref[0].runs[] | key as $k | $rerun[$k] as $n | {
     run: $k, found: ($n != null),
     map: .map, map_rerun: $n.map, d_map: delta(.map; $n.map),
     mahp: .mahp, mahp_rerun: $n.mahp, d_mahp: delta(.mahp; $n.mahp),
     d_unseen: delta(.unseen.mahp?; $n.unseen.mahp?)}
   | .worst = ([.d_map, .d_mahp, .d_unseen | select(. != null) | fabs] | max // 0)
   | .ok = (.found and .worst <= $tol)] as $rows |
  ($rows | map(select(.ok | not))) as $bad |
  "# Reproduction: \($new_name) against \($ref_name)", "",
  "- reference: commit \($ref[0].commit), \($ref[0].date); rerun: commit \($new[0].commit), \($new[0].date)",
  "- tolerance: \($tol | r4) (|rerun - reference| on mAP, mAHP, unseen mAHP)",
  "- runs: \($rows | length) in the reference, \($rows | map(select(.found)) | length) found in the rerun; largest difference \($rows | map(.worst) | max // 0 | r4); identical to the last digit: \($rows | map(select(.found and .worst == 0)) | length)",
  "- verdict: \(if ($bad | length) == 0 then "reproduced within the tolerance" else "NOT reproduced: \($bad | length) run(s) outside the tolerance or missing" end)", "",
  "| run | mAP ref | mAP rerun | Δ mAP | mAHP ref | mAHP rerun | Δ mAHP | Δ unseen mAHP | within |",
  "|---|---|---|---|---|---|---|---|---|",
  ($rows[] | "| \(.run) | \(.map | r4) | \(.map_rerun | r4) | \(.d_map | r4) | \(.mahp | r4) | \(.mahp_rerun | r4) | \(.d_mahp | r4) | \(.d_unseen | r4) | \(if .ok then "yes" elif .found then "**no**" else "**missing**" end) |"),
  "",
  if ($bad | length) > 0 then "" | halt_error(1) else empty end'
