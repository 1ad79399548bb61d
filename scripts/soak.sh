#!/usr/bin/env bash
# The soak test (scripts/soak.py) for MINUTES (default 3): random valid deals priced, sized and broken even
# from Python and the command line in turn, random cancellations and Dask merges, every result checked bit for
# bit against the first run of its kind, and the memory and open file descriptors checked to stay flat.
# Builds first (scripts/build.sh). Prints its figures as JSON; exits 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-3}
bash scripts/build.sh
.venv/bin/python scripts/soak.py "$minutes"
