#!/usr/bin/env bash
# Search demo: installs the dependencies, builds the shrewd command, generates 1,000,000 clustered
# random 64-bit codes and 1,000 queries, builds an index file, searches it and prints a few results.
# Extra arguments go to `shrewd search-demo` (e.g. --codes 10000000 --bits 128 --threads 2).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=${SHREWD_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target shrewd -j"$(nproc)"
shrewd="$build/src/shrewd/cli/shrewd"
dir=out/search-demo

"$shrewd" search-demo --dir "$dir" "$@"

echo
echo "\$ shrewd search --index $dir/db.shx --queries $dir/queries.npy --radius 4 --out $dir/ball"
"$shrewd" search --index "$dir/db.shx" --queries "$dir/queries.npy" --radius 4 --out "$dir/ball"
echo
echo "Results are .npy files in $dir: result.ids.npy (int64 [Q, k]), result.dist.npy (int32 [Q, k]);"
echo "ball.offsets.npy (int64 [Q + 1]), ball.ids.npy and ball.dist.npy (hits of query q at [offsets[q], offsets[q+1]))."
