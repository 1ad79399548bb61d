#!/usr/bin/env bash
# Configures and builds everything (library, CLI, tests, examples, benchmarks) in build/, then installs the
# Python package (computedebt and its extension computedebt._core) into .venv with `pip install .`; its
# build directory (build/python-wheel) persists, so a reinstall recompiles only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCOMPUTEDEBT_PYTHON=OFF > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j "$(nproc)" >> build.log 2>&1 || { tail -50 build.log; exit 1; }
CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" .venv/bin/python -m pip install --no-build-isolation --no-deps -q . \
  >> build.log 2>&1 || { tail -50 build.log; exit 1; }
echo "build: ok (log in build.log)"
