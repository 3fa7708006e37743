#!/usr/bin/env bash
# Builds the Python package shrewd and installs it for Debian's python3 (docs/python.md):
# into the user site directory (~/.local/lib/python3.X/site-packages), which python3 reads and
# Debian's pip does not manage (PEP 668), so nothing of Debian's is touched. Remove it with
#   rm -r "$(/usr/bin/python3 -c 'import site; print(site.getusersitepackages())')/shrewd"
# Another place: SHREWD_PYTHON_INSTALL_DIR=<site-packages of a venv, or /usr/local/lib/python3/dist-packages>.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=${SHREWD_BUILD_DIR:-build}
options=(-DCMAKE_BUILD_TYPE=Release -DSHREWD_BUILD_PYTHON=ON)
[ -n "${SHREWD_PYTHON_INSTALL_DIR:-}" ] && options+=(-DSHREWD_PYTHON_INSTALL_DIR="$SHREWD_PYTHON_INSTALL_DIR")
cmake -S . -B "$build" "${options[@]}"
cmake --build "$build" -j"$(nproc)" --target shrewd_python
cmake --install "$build" --component python
python=$(sed -n 's/^Python_EXECUTABLE:FILEPATH=//p' "$build/CMakeCache.txt")
(cd / && "$python" -c 'import shrewd; print("import shrewd:", shrewd.__file__)')
