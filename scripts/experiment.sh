#!/usr/bin/env bash
# Runs an experiment grid (train -> encode -> eval for every run) and writes a results table.
#
#   scripts/experiment.sh --grid experiments/fmnist.json [--out out/experiments/fmnist]
#       [--shrewd build/src/shrewd/cli/shrewd] [--epochs N] [--train-subset N] [--threads N]
#       [--groups main,ablation] [--methods shrewd,csq] [--bits 16,64] [--seeds 1] [--dry-run]
#       [--reevaluate] [--data-root DIR] [--set section.key=value ...]
#
# Budget options override the grid's "budget" section (and are recorded in the results); --set
# values go to every training run after the grid's. --data-root fills "{data}" in the grid's
# "common" settings and "encode" arguments (the dataset's directory, docs/training.md). Runs
# whose eval.json exists are skipped, so an interrupted grid continues where it stopped;
# --reevaluate encodes and evaluates those again from their saved models (no training), e.g.
# after the evaluation gained a figure. Writes
# <out>/results.json, <out>/results.md, <out>/plots/*.svg and <out>/commands.sh (every command
# in order). Needs jq. Queries and database never come from the training loop's validation split
# alone: queries = the test split, database = the train split (docs/method.md §8.12).
set -euo pipefail

die() { echo "experiment.sh: error: $*" >&2; exit 1; }
command -v jq > /dev/null || die "jq is not installed (scripts/install-deps.sh installs it)"

data_root="" extra_sets=()
grid="" out="" shrewd="" epochs="" subset="" threads="" only_groups="" only_methods="" only_bits="" only_seeds="" dry=0 reevaluate=0
while [ $# -gt 0 ]; do
  case "$1" in
    --grid) grid="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --shrewd) shrewd="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --train-subset) subset="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --groups) only_groups="$2"; shift 2 ;;
    --methods) only_methods="$2"; shift 2 ;;
    --bits) only_bits="$2"; shift 2 ;;
    --seeds) only_seeds="$2"; shift 2 ;;
    --dry-run) dry=1; shift ;;
    --reevaluate) reevaluate=1; shift ;;
    --data-root) data_root="$2"; shift 2 ;;
    --set) extra_sets+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[ -n "$grid" ] || die "give --grid FILE.json"
[ -f "$grid" ] || die "$grid: no such file"
jq -e . "$grid" > /dev/null 2>&1 || die "$grid: not valid JSON"
name=$(jq -r '.name // "grid"' "$grid")
out=${out:-out/experiments/$name}
if [ -z "$shrewd" ]; then
  for candidate in build/src/shrewd/cli/shrewd build-exp/src/shrewd/cli/shrewd; do
    [ -x "$candidate" ] && { shrewd=$candidate; break; }
  done
fi
[ -n "$shrewd" ] && [ -x "$shrewd" ] || die "no shrewd executable (build it, or give --shrewd PATH)"

epochs=${epochs:-$(jq -r '.budget.epochs // 10' "$grid")}
subset=${subset:-$(jq -r '.budget.train_subset // 0' "$grid")}
threads=${threads:-$(jq -r '.budget.threads // 0' "$grid")}
batch=$(jq -r '.budget.batch_size // 128' "$grid")
config=$(jq -r '.config // ""' "$grid")
map_at=$(jq -r '.eval.map_at // 1000' "$grid")
ahp_at=$(jq -r '.eval.ahp_at // 250' "$grid")
radius=$(jq -r '.eval.radius // 2' "$grid")
hierarchy=$(jq -r '.hierarchy' "$grid")
classes=$(jq -r '.classes' "$grid")
train_labels=$(jq -r '.labels.train' "$grid")
unseen=$(jq -r '.zero_shot.unseen_classes // [] | map(tostring) | join(",")' "$grid")
train_classes=$(jq -c '.zero_shot.train_classes // []' "$grid")
seen=$(jq -r '.zero_shot.train_classes // [] | map(tostring) | join(",")' "$grid")

mkdir -p "$out/runs" "$out/plots" "$out/targets"
commands="$out/commands.sh"
[ -f "$commands" ] || printf '#!/usr/bin/env bash\n# Every command the grid ran, in order (appended on every invocation).\nset -euo pipefail\n' > "$commands"

# Runs a command, records it in commands.sh (unless --dry-run only prints it, on the script's own
# stdout: fd 3, whatever the command's output is redirected to).
exec 3>&1
run() {
  printf '%q ' "$@" >> "$commands"; echo >> "$commands"
  if [ "$dry" = 1 ]; then { printf '%q ' "$@"; echo; } >&3; return 0; fi
  "$@"
}

in_list() { [ -z "$2" ] || [[ ",$2," == *",$1,"* ]]; }

# A grid string with "{data}" replaced by --data-root.
fill() {
  local text=$1
  if [[ $text == *"{data}"* ]]; then
    [ -n "$data_root" ] || die "$grid reads a dataset from disk: give --data-root DIR (docs/training.md)"
    text=${text//\{data\}/$data_root}
  fi
  printf '%s' "$text"
}

# The arguments that make `shrewd encode` read SPLIT of the grid's dataset as training read it: the
# grid's "encode" arguments (Fashion-MNIST when there are none), labels in the order of the grid's
# classes file (the model file holds its own preprocessing).
encode_data_args() {  # encode_data_args RUN_DIR SPLIT
  local arg
  while IFS= read -r arg; do printf '%s\n' "$(fill "$arg")"; done < <(jq -r ".encode.$2 // [] | .[]" "$grid")
  [ "$classes" != null ] && printf '%s\n' --classes "$classes"
}

# Weakly supervised targets: class embeddings from WordNet glosses, one row per training item.
weak_targets="$out/targets/fmnist_train_text_embeddings.npy"
if jq -e '.groups[] | select(.weak == true)' "$grid" > /dev/null && [ ! -f "$weak_targets" ]; then
  run "$shrewd" text-embed --classes "$classes" --dims "$(jq -r '.text_embedding.dims // 8' "$grid")" \
    --hypernym-levels "$(jq -r '.text_embedding.hypernym_levels // 2' "$grid")" \
    --out "$out/targets/class_text_embeddings.npy" --labels "$train_labels" --items-out "$weak_targets" --show
fi

evaluate() {  # evaluate RUN_DIR JSON_NAME QUERY_PREFIX DB_PREFIX
  local dir=$1 json=$2 q=$3 d=$4
  run "$shrewd" eval --query-codes "$q.codes.npy" --query-labels "$q.labels.npy" --query-features "$q.z.npy" \
    --db-codes "$d.codes.npy" --db-labels "$d.labels.npy" --db-features "$d.z.npy" \
    --hierarchy "$hierarchy" --classes "$classes" --map-at "$map_at" --ahp-at "$ahp_at" --radius "$radius" \
    --threads "$threads" --json "$dir/$json" --plots "$dir/plots-${json%.json}" > "$dir/${json%.json}.txt"
}

encode_and_evaluate() {  # encode_and_evaluate RUN_DIR ZERO_SHOT: from RUN_DIR/train/model.pt to eval.json
  local dir=$1 zero_shot=$2 split data_args
  for split in test train; do
    mapfile -t data_args < <(encode_data_args "$dir" "$split")
    run "$shrewd" encode --model "$dir/train/model.pt" --split "$split" --threads "$threads" \
      --out "$dir/$split.codes.npy" --features "$dir/$split.z.npy" --labels "$dir/$split.labels.npy" \
      "${data_args[@]}" > /dev/null
  done
  if [ "$zero_shot" = true ]; then
    for split in test train; do
      run "$shrewd" select-classes --labels "$dir/$split.labels.npy" --class-ids "$unseen" \
        --in "$dir/$split.codes.npy" --out "$dir/$split-unseen.codes.npy" \
        --in "$dir/$split.z.npy" --out "$dir/$split-unseen.z.npy" --labels-out "$dir/$split-unseen.labels.npy" > /dev/null
    done
    evaluate "$dir" eval-unseen.json "$dir/test-unseen" "$dir/train-unseen"
    # Unseen queries against the seen classes' database items: do they retrieve the nearest seen relatives?
    run "$shrewd" select-classes --labels "$dir/train.labels.npy" --class-ids "$seen" \
      --in "$dir/train.codes.npy" --out "$dir/train-seen.codes.npy" \
      --in "$dir/train.z.npy" --out "$dir/train-seen.z.npy" --labels-out "$dir/train-seen.labels.npy" > /dev/null
    evaluate "$dir" eval-unseen-seen.json "$dir/test-unseen" "$dir/train-seen"
  fi
  evaluate "$dir" eval.json "$dir/test" "$dir/train"
}

groups=$(jq -r '.groups | length' "$grid")
for ((g = 0; g < groups; g++)); do
  group=$(jq -r ".groups[$g].name" "$grid")
  in_list "$group" "$only_groups" || continue
  zero_shot=$(jq -r ".groups[$g].zero_shot // false" "$grid")
  weak=$(jq -r ".groups[$g].weak // false" "$grid")
  for method in $(jq -r ".groups[$g].runs | keys_unsorted[]" "$grid"); do
    in_list "$method" "$only_methods" || continue
    mapfile -t sets < <(jq -r ".groups[$g].runs[\"$method\"][]" "$grid")
    cells=$(jq -r ".groups[$g].cells | length" "$grid")
    for ((c = 0; c < cells; c++)); do
      bits=$(jq -r ".groups[$g].cells[$c][0]" "$grid")
      in_list "$bits" "$only_bits" || continue
      for seed in $(jq -r ".groups[$g].cells[$c][1][]" "$grid"); do
        in_list "$seed" "$only_seeds" || continue
        dir="$out/runs/$group/$method-$bits-s$seed"
        if [ -f "$dir/eval.json" ]; then
          if [ "$reevaluate" = 1 ]; then
            echo "=== re-evaluate $group / $method / $bits bits / seed $seed ($(date -u +%H:%M:%S))"
            encode_and_evaluate "$dir" "$zero_shot"
            [ "$dry" = 1 ] || rm -f "$dir"/*.npy
          else
            echo "skip $dir (done)"
          fi
          continue
        fi
        echo "=== $group / $method / $bits bits / seed $seed ($(date -u +%H:%M:%S))"
        mkdir -p "$dir"
        args=()
        [ -n "$config" ] && args+=(--config "$config")
        args+=(--set "model.bits=$bits" --set "train.seed=$seed" --set "train.epochs=$epochs" --set "train.threads=$threads"
              --set "train.batch_size=$batch" --set "train.out=$dir/train")
        for s in $(jq -r '.common[]' "$grid"); do args+=(--set "$(fill "$s")"); done
        for s in "${sets[@]}"; do args+=(--set "$s"); done
        for s in "${extra_sets[@]}"; do args+=(--set "$s"); done
        [ "$subset" != 0 ] && args+=(--set "data.train_subset=$subset")
        [ "$zero_shot" = true ] && args+=(--set "data.train_classes=$train_classes")
        [ "$weak" = true ] && args+=(--set "data.embeddings=$weak_targets")
        start=$(date +%s.%N)
        run "$shrewd" train --overwrite "${args[@]}" > "$dir/train.txt" 2>&1 || { tail -5 "$dir/train.txt" >&2; die "training $dir failed (log: $dir/train.txt)"; }
        train_seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
        encode_and_evaluate "$dir" "$zero_shot"
        [ "$dry" = 1 ] && continue
        jq -n --arg group "$group" --arg method "$method" --argjson bits "$bits" --argjson seed "$seed" \
          --argjson seconds "$train_seconds" --argjson epochs "$epochs" --argjson subset "$subset" \
          --argjson sets "$(printf '%s\n' "${sets[@]}" | jq -R . | jq -s .)" \
          '{group: $group, method: $method, bits: $bits, seed: $seed, epochs: $epochs, train_subset: $subset,
            train_seconds: $seconds, settings: $sets}' > "$dir/run.json"
        rm -f "$dir"/*.npy  # codes and outputs are large; eval.json keeps every figure
      done
    done
  done
done
[ "$dry" = 1 ] && exit 0
scripts/experiment-report.sh "$out" "$grid" "$shrewd"
