#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang-16, AddressSanitizer and UndefinedBehaviorSanitizer in
# build-fuzz/, then runs each for SECONDS (default 60): deal files, assumption files, merge patches applied to the
# blended example deal, and the partial bytes Dask workers send back. Seeds: the repository's valid deals, the
# invalid corpus (tests/data/), fuzz/regressions/ and, for the partials, real partials of the example deals; the
# JSON targets mutate through fuzz/json.dict and a structure-aware mutator (fuzz/json_mutator.hpp). The corpus
# each run grows is kept in build-fuzz/corpus/ for the next. A crash, leak or timeout stops with its input in
# build-fuzz/artifacts/; a fixed one belongs in fuzz/regressions/TARGET/. See docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
bash scripts/setup.sh

jobs=${JOBS:-$(nproc)}
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCOMPUTEDEBT_FUZZ=ON -DCOMPUTEDEBT_SANITIZERS=ON -DCOMPUTEDEBT_TESTS=OFF -DCOMPUTEDEBT_EXAMPLES=OFF \
  -DCOMPUTEDEBT_BENCHMARKS=OFF -DCOMPUTEDEBT_PYTHON=OFF -DCOMPUTEDEBT_CLI=OFF -DCOMPUTEDEBT_INSTALL=OFF \
  ${CMAKE_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_LAUNCHER} > build-fuzz.log 2>&1 || { cat build-fuzz.log; exit 1; }
cmake --build build-fuzz -j "$jobs" --target fuzz_deal fuzz_assumptions fuzz_scenario fuzz_partial make_partial_seeds \
  >> build-fuzz.log 2>&1 || { tail -50 build-fuzz.log; exit 1; }

# Seed directories, one per target, rebuilt from the repository each run.
seeds=build-fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{deal,assumptions,scenario,partial}
cp examples/deals/*.json tests/data/valid/*.json tests/data/invalid/*.json "$seeds/deal/"
python3 - "$seeds" <<'PY'
import json, pathlib, sys
seeds = pathlib.Path(sys.argv[1])
blended = json.loads(pathlib.Path("examples/deals/blended_2026.json").read_text())
(seeds / "assumptions" / "blended_2026.json").write_text(json.dumps(blended["assumptions"], indent=1))
(seeds / "assumptions" / "flat_assumptions.json").write_text(pathlib.Path("tests/data/valid/flat_assumptions.json").read_text())
for path in pathlib.Path("tests/data/invalid").glob("assumptions_*.json"):
    (seeds / "assumptions" / path.name).write_bytes(path.read_bytes())
for path in [*pathlib.Path("examples/scenarios").glob("*.json"), *pathlib.Path("tests/data/valid").glob("*scenario*.json"),
             *pathlib.Path("tests/data/invalid").glob("scenario_*.json")]:
    (seeds / "scenario" / path.name).write_bytes(path.read_bytes())
PY
build-fuzz/bin/make_partial_seeds "$seeds/partial"

failed=()
summary=build-fuzz/summary.txt
: > "$summary"
for target in deal assumptions scenario partial; do
  corpus=build-fuzz/corpus/$target
  artifacts=build-fuzz/artifacts/$target/
  mkdir -p "$corpus" "$artifacts" "fuzz/regressions/$target"
  options=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$artifacts")
  [ "$target" = partial ] || options+=(-dict=fuzz/json.dict -max_len=65536)
  log=build-fuzz/$target.log
  echo "fuzz: $target for ${seconds}s"
  if ! build-fuzz/bin/fuzz_$target "${options[@]}" "$corpus" "$seeds/$target" "fuzz/regressions/$target" > "$log" 2>&1; then
    failed+=("$target")
    tail -40 "$log"
  fi
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  echo "fuzz: $target: ${executions:-?} executions, ${coverage:-no coverage line}, corpus $(ls "$corpus" | wc -l) files" |
    tee -a "$summary"
done
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in build-fuzz/artifacts/)"
  exit 1
fi
echo "fuzz: ok, no crash, leak or timeout"
