#!/usr/bin/env bash
# serve --dataset pairs item i of the index with item i of the dataset, so a dataset of another size
# is refused, naming both counts: the demo's training-set index (60,000 codes) with the 10,000 test
# images was served with thumbnails of other items.
# Usage: serve_dataset_count_test.sh <shrewd>   (exit 77: no Fashion-MNIST package, skipped)
set -uo pipefail
shrewd=$1
[ -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ] || { echo "dataset-fashion-mnist not installed"; exit 77; }
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill -KILL "$server" 2>/dev/null; rm -rf "$work"' EXIT
source "$(dirname "$0")/../support/checks.sh"

"$shrewd" search-demo --codes 60000 --queries 1 --bits 32 --show 0 --dir "$work" >/dev/null || exit 1

# The test part (10,000 images) against 60,000 codes: an error naming both counts, before listening.
"$shrewd" serve --index "$work/db.shx" --dataset fashion-mnist:test --port 0 >"$work/out" 2>"$work/err"
status=$?
check "a 10,000-item dataset with a 60,000-code index is refused (exit $status)" test "$status" -eq 1
check "the error names both counts" \
  grep -q "fashion-mnist:test has 10000 items but $work/db.shx holds 60000 codes" "$work/err"
check "nothing listened" bash -c "! grep -q 'on http://' '$work/out'"

# The training part has as many items as the index: served.
"$shrewd" serve --index "$work/db.shx" --dataset fashion-mnist:train --port 0 >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 1 600); do grep -q "on http://" "$work/out" && break; kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
check "the 60,000-item training part is served" grep -q "60000 items" "$work/out"
kill -TERM "$server" 2>/dev/null
wait "$server"
server=

finish_checks
