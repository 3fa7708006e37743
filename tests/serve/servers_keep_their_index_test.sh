#!/usr/bin/env bash
# shrewd serve and shrewd shard-serve hold the index they loaded: writing over the file in place or
# truncating it changes nothing they answer (a mapped file would change under them, and a
# truncated one would kill them with SIGBUS); only a reload of serve picks up a new file, and a
# reload of a broken file is refused while the old index keeps serving.
# Usage: servers_keep_their_index_test.sh <shrewd>
set -uo pipefail
shrewd=$1
python=/usr/bin/python3
work=$(mktemp -d)
# the servers' process ids, one a line (start runs in a subshell, so not in a variable)
trap 'while read -r p; do kill -KILL "$p" 2>/dev/null; done <"$work/pids"; rm -rf "$work"' EXIT
source "$(dirname "$0")/../support/checks.sh"

"$shrewd" search-demo --codes 2000 --queries 10 --bits 32 --show 0 --dir "$work/a" >/dev/null || exit 1
"$shrewd" search-demo --codes 1500 --queries 10 --bits 32 --show 0 --seed 2 --dir "$work/b" >/dev/null || exit 1
cp "$work/a/db.shx" "$work/served.shx"
cp "$work/a/db.shx" "$work/shard.shx"
: >"$work/pids"

start() {  # start <log> <port pattern> <args...>: prints the port
  local log=$1 pattern=$2; shift 2
  "$shrewd" "$@" >"$log" 2>"$log.err" &
  echo $! >>"$work/pids"
  for _ in $(seq 1 300); do
    local port
    port=$(grep -o "$pattern" "$log" | grep -o '[0-9]*$')
    [ -n "$port" ] && { echo "$port"; return 0; }
    sleep 0.1
  done
  cat "$log.err" >&2
  return 1
}
serve_port=$(start "$work/serve.log" '127.0.0.1:[0-9]*' serve --index "$work/served.shx" --port 0) || exit 1
shard_port=$(start "$work/shard.log" '127.0.0.1:[0-9]*' shard-serve --index "$work/shard.shx" --port 0) || exit 1

search() {  # the results of one search by serve (the item 3's neighbours), and the item count
  curl -sf "http://127.0.0.1:$serve_port/api/search?id=3&k=10" |
    $python -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["results"]))'
  curl -sf "http://127.0.0.1:$serve_port/api/stats" | $python -c 'import json, sys; print(json.load(sys.stdin)["items"])'
}
knn() {  # the shard's raw answer to one query (the all-zero 32-bit code), as a checksum
  head -c 8 /dev/zero | curl -sf --data-binary @- -H 'Content-Type: application/octet-stream' \
    "http://127.0.0.1:$shard_port/knn?bits=32&k=10" | md5sum
}
reload() {  # POST /api/reload: prints the status and the body
  curl -s -X POST -w '\n%{http_code}' "http://127.0.0.1:$serve_port/api/reload"
}

served_before=$(search)
knn_before=$(knn)
check "serve answers" test -n "$served_before"
check "shard-serve answers" test "$knn_before" != "$(printf '' | md5sum)"

# written over in place: same path, same inode, other bytes
for f in served shard; do dd if="$work/b/db.shx" of="$work/$f.shx" conv=notrunc status=none; done
check "serve answers from what it loaded after the file is written over" test "$(search)" = "$served_before"
check "shard-serve answers from what it loaded after the file is written over" test "$(knn)" = "$knn_before"
answer=$(reload)
check "a reload of the written-over file is refused with the reason" \
  bash -c '[[ "$1" == *"reload failed, still serving generation 1"* && "$1" == *served.shx* && "$1" == *500 ]]' _ "$answer"
check "and serve keeps the old index" test "$(search)" = "$served_before"

# truncated in place
for f in served shard; do truncate -s 100 "$work/$f.shx"; done
check "serve lives and answers as before after the file is truncated" test "$(search)" = "$served_before"
check "shard-serve lives and answers as before after the file is truncated" test "$(knn)" = "$knn_before"
answer=$(reload)
check "a reload of the truncated file is refused with the reason" \
  bash -c '[[ "$1" == *"reload failed"* && "$1" == *served.shx* && "$1" == *500 ]]' _ "$answer"
check "and serve keeps the old index" test "$(search)" = "$served_before"
while read -r p; do check "server $p still running" kill -0 "$p"; done <"$work/pids"

# a valid new file, replaced as shrewd writes files (rename): a reload serves it
cp "$work/b/db.shx" "$work/served.shx.new" && mv "$work/served.shx.new" "$work/served.shx"
check "serve still answers from the old index until a reload" test "$(search)" = "$served_before"
answer=$(reload)
check "a reload of a valid new file succeeds" bash -c '[[ "$1" == *'"'"'"status":"reloaded"'"'"'* && "$1" == *200 ]]' _ "$answer"
check "and serve answers from the new file (1500 items)" test "$(search | tail -1)" = 1500

finish_checks
