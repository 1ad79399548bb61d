#!/usr/bin/env bash
# Builds everything, then runs every test: C++ (ctest), Python (pytest) and the notebooks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
(cd build && ctest --output-on-failure -j "$(nproc)")
notebooks=(examples/notebooks/*.ipynb)
if [ -e "${notebooks[0]}" ]; then
  .venv/bin/python -m pytest -q tests --nbmake "${notebooks[@]}"
else
  .venv/bin/python -m pytest -q tests
fi
