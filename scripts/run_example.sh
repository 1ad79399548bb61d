#!/usr/bin/env bash
# Builds everything, then runs the main job on the bundled example deal.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/bin/computedebt validate examples/deals/blended_2026.json
