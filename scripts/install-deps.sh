#!/usr/bin/env bash
# Installs everything shrewd needs on a fresh Debian 12 machine. Idempotent: re-running
# installs nothing new. Nothing is downloaded at build or run time beyond these packages.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libcli11-dev nlohmann-json3-dev libcpp-httplib-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev libpng-dev libturbojpeg0-dev libstb-dev libeigen3-dev
  libtorch-dev libopenblas0-pthread libgloo-dev
  wordnet-base dataset-fashion-mnist
  jq
  pybind11-dev python3-pybind11 python3-dev python3-numpy python3-pytest  # the Python package (docs/python.md)
  python3-torch                                               # its shrewd.torch part
  chromium
  clang-14 libfuzzer-14-dev  # scripts/fuzz.sh (docs/fuzzing.md)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm run the browser test of `shrewd serve` and install web/'s pinned npm packages.
# A Node.js that is already there (from any source) is used as it is.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# OpenBLAS (pthread build) must be the BLAS LibTorch sees: the reference BLAS is several times slower.
blas=$(update-alternatives --list libblas.so.3-x86_64-linux-gnu 2>/dev/null | grep openblas-pthread || true)
if [ -n "$blas" ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo update-alternatives --set libblas.so.3-x86_64-linux-gnu "$blas" >/dev/null
fi
# The page's charting library (embedded into the binary by the build) and playwright-core for the
# browser test, exactly as web/package-lock.json pins them; skipped when already installed from it.
web="$(cd "$(dirname "$0")/../web" && pwd)"
if [ ! "$web/node_modules/.package-lock.json" -nt "$web/package-lock.json" ]; then
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "shrewd: dependencies installed"
