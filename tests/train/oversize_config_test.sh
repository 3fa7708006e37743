#!/usr/bin/env bash
# A configuration whose sizes cannot be allocated (model.channels = [1048576, 1048576]: a 39 TB
# convolution) is refused in one line naming the keys, exit 1, instead of LibTorch's message and
# C++ backtrace (issue 14). Usage: oversize_config_test.sh <shrewd>; exit 77 (skipped) without the
# Fashion-MNIST data.
set -uo pipefail
shrewd=$1
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$shrewd" train --config configs/fashion-mnist-64.json --set 'model.channels=[1048576,1048576]' \
  --set train.epochs=1 --set data.train_subset=256 --set train.progress=false --set train.out="$work/run" \
  >"$work/out" 2>"$work/err"
status=$?
cat "$work/err"
if grep -q "fashion-mnist" "$work/err" && grep -qi "not found\|no such\|cannot open" "$work/err"; then exit 77; fi
failures=0
[ "$status" -eq 1 ] || { echo "FAILED: exit status $status, not 1"; failures=$((failures + 1)); }
[ "$(wc -l <"$work/err")" -eq 1 ] || { echo "FAILED: not one line"; failures=$((failures + 1)); }
grep -q "^shrewd: error: config model.channels" "$work/err" || { echo "FAILED: does not name model.channels"; failures=$((failures + 1)); }
grep -q "frame #" "$work/err" && { echo "FAILED: a backtrace"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] && echo "ok: one line naming model.channels, exit 1"
[ "$failures" -eq 0 ]
