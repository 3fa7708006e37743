#!/usr/bin/env bash
# shrewd serve as the docs promise: SIGHUP reloads (the server lives on), SIGTERM stops it with exit
# status 0 — in the user's environment (no OMP/OpenBLAS variables set by a test script), and with
# --model, where LibTorch's libraries start threads before main().
# Usage: serve_signals_test.sh <shrewd> [with-model]
set -uo pipefail
shrewd=$1
with_model=${2:-}
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill -KILL "$server" 2>/dev/null; rm -rf "$work"' EXIT
source "$(dirname "$0")/../support/checks.sh"

"$shrewd" search-demo --codes 2000 --queries 10 --bits 32 --show 0 --dir "$work" >/dev/null || exit 1
serve_args=(serve --index "$work/db.shx" --port 0)
if [ -n "$with_model" ]; then
  # A one-epoch model on 64 Fashion-MNIST images: enough to load LibTorch and encode uploads.
  env -u OMP_WAIT_POLICY -u OPENBLAS_NUM_THREADS "$shrewd" train --config configs/fashion-mnist-64.json \
    --set model.bits=32 --set train.epochs=1 --set data.train_subset=64 --set train.batch_size=16 --set train.progress=false \
    --set train.out="$work/run" >"$work/train.log" 2>&1 || { cat "$work/train.log"; exit 1; }
  serve_args+=(--model "$work/run/model.pt")
fi

# With a model, OpenBLAS as a user may set it: its threads start in its library constructor.
server_env=(-u OMP_WAIT_POLICY -u OPENBLAS_NUM_THREADS)
[ -n "$with_model" ] && server_env=(-u OMP_WAIT_POLICY OPENBLAS_NUM_THREADS=4)

run_server() {
  env "${server_env[@]}" "$shrewd" "${serve_args[@]}" >"$work/out" 2>"$work/err" &
  server=$!
  for _ in $(seq 1 300); do grep -q "on http://" "$work/out" && return 0; sleep 0.1; done
  cat "$work/err"; return 1
}

check "serve starts" run_server
for round in 1 2 3; do
  kill -HUP "$server"
  sleep 0.5
  check "alive after SIGHUP $round" kill -0 "$server"
done
check "each SIGHUP reloads" test "$(grep -c 'SIGHUP:' "$work/err")" -eq 3
kill -TERM "$server"
wait "$server"
status=$?
server=
check "SIGTERM stops serve with exit status 0 (got $status)" test "$status" -eq 0

finish_checks
