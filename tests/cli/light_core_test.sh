#!/usr/bin/env bash
# shrewd never loads LibTorch; the commands that run a network model go to shrewd-torch beside it.
# Usage: light_core_test.sh <shrewd> [<shrewd-torch>]   (the second only in builds with LibTorch)
set -uo pipefail
shrewd=$1
torch_program=${2:-}
source "$(dirname "$0")/../support/checks.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check "shrewd links no LibTorch" bash -c "ldd '$shrewd' >'$work/ldd' && ! grep -qi torch '$work/ldd'"
check "shrewd --help lists the search commands" bash -c "'$shrewd' --help | grep -q 'search'"

# A shrewd without shrewd-torch beside it: a model command fails with one line naming what is missing.
cp "$shrewd" "$work/shrewd"
"$work/shrewd" train --config x.json >"$work/out" 2>"$work/err"
status=$?
check "train without shrewd-torch exits 1" test "$status" -eq 1
check "train without shrewd-torch names it" grep -q "^shrewd: error: .*shrewd-torch: not found" "$work/err"
check "the error is one line" test "$(wc -l <"$work/err")" -eq 1
"$work/shrewd" serve --index none.shx --model=m.pt >"$work/out" 2>"$work/err"
check "serve --model=... goes to shrewd-torch too" grep -q "shrewd-torch: not found" "$work/err"

if [ -n "$torch_program" ]; then
  check "shrewd --help lists train and encode" bash -c "'$shrewd' --help | grep -q 'encode'"
  check "shrewd train --help shows shrewd-torch's train options" bash -c "'$shrewd' train --help | grep -q -- '--config'"
  "$shrewd" encode --model "$work/missing.pt" --out "$work/codes.npy" >"$work/out" 2>"$work/err"
  status=$?
  check "a failing model command exits non-zero through shrewd" test "$status" -ne 0
  check "shrewd-torch's errors name the option" grep -q -- "--model" "$work/err"
  env -u OMP_WAIT_POLICY -u OPENBLAS_NUM_THREADS "$shrewd" train --set 'nosuchsection.key=1' >"$work/out" 2>"$work/err"
  check "train errors carry the shrewd: error: prefix" grep -q "^shrewd: error:" "$work/err"
  "$shrewd" encode --model "$shrewd" --device gpu --out "$work/codes.npy" >"$work/out" 2>"$work/err"
  check "encode --device takes cpu or cuda only" grep -q -- "--device" "$work/err"
  # A plain serve (no --model / --dataset) stays in shrewd: it must not reach LibTorch.
  check "serve without --model runs in shrewd" bash -c "'$shrewd' serve --help | grep -q -- '--index'"
fi

finish_checks
