#!/usr/bin/env bash
# ctest python_install: `cmake --install <build> --component python` (into a scratch DESTDIR) gives a
# package that imports outside the source and build trees, with nothing else on the path.
# usage: check_install.sh BUILD_DIR PYTHON
set -euo pipefail
build=$1 python=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
DESTDIR=$root cmake --install "$build" --component python >/dev/null
site=$(sed -n 's/^SHREWD_PYTHON_INSTALL_DIR:PATH=//p' "$build/CMakeCache.txt")
cd "$root"
PYTHONPATH="$root$site" PYTHONNOUSERSITE=1 "$python" - "$root" <<'PY'
import sys
import numpy as np
import shrewd
assert shrewd.__file__.startswith(sys.argv[1]), shrewd.__file__
index = shrewd.IndexFlat(16)
index.add(shrewd.pack(np.eye(16, dtype=bool)))
print("installed shrewd imports from", shrewd.__file__, "and searches:", index.search(np.zeros((1, 2), np.uint8), 2)[1])
PY
