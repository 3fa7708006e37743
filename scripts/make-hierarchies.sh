#!/usr/bin/env bash
# Regenerates the shipped class hierarchies in data/hierarchies/ from their synsets.txt sources
# and WordNet 3.0: for each dataset, classes.txt (resolved classes), hierarchy.txt (parent-child
# edges). Similarity matrices are derived on demand with `shrewd hierarchy similarity`.
# Usage: scripts/make-hierarchies.sh [path/to/shrewd] [wordnet dir]
set -euo pipefail
cd "$(dirname "$0")/.."
shrewd=${1:-${SHREWD_BIN:-${SHREWD_BUILD_DIR:-build}/src/shrewd/cli/shrewd}}
wordnet=${2:-/usr/share/wordnet}
if [[ ! -x "$shrewd" ]]; then
  echo "make-hierarchies: no shrewd binary at $shrewd (build first or pass its path)" >&2
  exit 1
fi
for dataset in fashion-mnist cifar100 imagenet1k; do
  dir=data/hierarchies/$dataset
  "$shrewd" hierarchy build --wordnet "$wordnet" --classes "$dir/synsets.txt" \
    --out "$dir/hierarchy.txt" --classes-out "$dir/classes.txt"
done
