#!/usr/bin/env bash
# Builds everything, then runs the main job on the bundled example deals: the blended portfolio is validated
# and summarised (its waterfall is priced once the cash-flow stage exists), and the homogeneous pool's loss
# tranches are priced.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/bin/computedebt validate examples/deals/blended_2026.json
echo
./build/bin/computedebt price examples/deals/homogeneous_pool.json
