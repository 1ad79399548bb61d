#!/usr/bin/env bash
# Builds everything, then runs the main job on the bundled example deal: the blended portfolio is validated and
# summarised, then its waterfall is priced (tranches, equity, triggers); the homogeneous pool's loss tranches
# follow.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/bin/computedebt validate examples/deals/blended_2026.json
echo
./build/bin/computedebt price examples/deals/blended_2026.json
echo
./build/bin/computedebt price examples/deals/homogeneous_pool.json
