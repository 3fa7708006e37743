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
source tests/support/checks.sh
check "exit status 1 (got $status)" test "$status" -eq 1
check "one line" test "$(wc -l <"$work/err")" -eq 1
check "names model.channels" grep -q "^shrewd: error: config model.channels" "$work/err"
check "no backtrace" bash -c '! grep -q "frame #" "$1"' _ "$work/err"
finish_checks
