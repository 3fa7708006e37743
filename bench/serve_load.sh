#!/usr/bin/env bash
# Load benchmark of `shrewd serve` on loopback: k = 10 searches for random codes over 1,000,000
# random 64-bit codes, driven by wrk (Debian package; installed here if missing). Prints wrk's
# requests/s and latency percentiles (p50, p99). Bounded: one run of DURATION seconds, loopback only.
#
#   bash bench/serve_load.sh [build dir] [duration s] [connections] [server threads]
#   defaults:                  build       10            8              8
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
duration=${2:-10}
connections=${3:-8}
threads=${4:-8}
count=1000000
shrewd="$build/src/shrewd/cli/shrewd"
[ -x "$shrewd" ] || { echo "no $shrewd: build shrewd first (bash scripts/test.sh or cmake --build $build)"; exit 1; }
if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends wrk
fi

work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1,000,000 random codes as uint8 [N, 8] .npy (numpy format 1.0: 10-byte prefix + header padded to 64).
header="{'descr': '|u1', 'fortran_order': False, 'shape': ($count, 8), }"
pad=$(( (64 - (10 + ${#header} + 1) % 64) % 64 ))
header="$header$(printf '%*s' "$pad" '')"
{
  printf '\x93NUMPY\x01\x00'
  printf "\\x$(printf '%02x' $(( (${#header} + 1) % 256 )))\\x$(printf '%02x' $(( (${#header} + 1) / 256 )))"
  printf '%s\n' "$header"
  head -c $((count * 8)) /dev/urandom
} > "$work/codes.npy"
"$shrewd" index build --codes "$work/codes.npy" --out "$work/db.shx" > /dev/null

"$shrewd" serve --index "$work/db.shx" --port 0 --threads "$threads" --max-k 10 > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  grep -q "http://" "$work/serve.log" && break
  sleep 0.1
done
url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.log") || { cat "$work/serve.log"; exit 1; }

echo "load average before the run (other work on this machine skews the figures): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "shrewd serve: $count codes of 64 bits, $threads server threads; wrk: $connections connections, ${duration}s, k = 10"
wrk -t "$(( connections < 2 ? connections : 2 ))" -c "$connections" -d "${duration}s" --latency -s bench/serve_search.lua "$url"
