#!/usr/bin/env bash
# The sanitizer jobs of CI's second step (docs/reliability.md), both built with clang-16:
#   asan: the whole ctest suite in a Debug build (-O1) with AddressSanitizer (leaks included) and
#         UndefinedBehaviorSanitizer (build-asan/), then the command-line tests (tests/cli) against its CLI;
#   tsan: the engine and structuring suites with ThreadSanitizer (build-tsan/), among them
#         engine.concurrent_callers, which drives several callers at once through the entry points the Python
#         bindings call with the GIL released.
# Excluded from the asan run: consumer.find_package, which builds a separate program against the installed
# library with the default, unsanitized toolchain (it checks packaging and runs in scripts/test.sh). The Python
# tests are not run against a sanitized extension: that needs the sanitizer runtime preloaded into an
# unsanitized CPython and its NumPy, pandas and Dask; the CLI tests and engine.concurrent_callers cover the same
# entry points. Usage: scripts/sanitize.sh [asan|tsan|all]
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
bash scripts/setup.sh
jobs=${JOBS:-$(nproc)}
launcher=(${CMAKE_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_LAUNCHER})
common=(-DCMAKE_CXX_COMPILER=clang++-16 -DCOMPUTEDEBT_BENCHMARKS=OFF -DCOMPUTEDEBT_PYTHON=OFF "${launcher[@]}")

if [ "$which" = asan ] || [ "$which" = all ]; then
  cmake -S . -B build-asan "${common[@]}" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
    -DCOMPUTEDEBT_SANITIZERS=ON > build-asan.log 2>&1 || { cat build-asan.log; exit 1; }
  cmake --build build-asan -j "$jobs" >> build-asan.log 2>&1 || { tail -50 build-asan.log; exit 1; }
  export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  (cd build-asan && ctest --output-on-failure -j "$jobs" -E '^consumer\.find_package$')
  COMPUTEDEBT_BIN=build-asan/bin/computedebt .venv/bin/python -m pytest -q -p no:cacheprovider tests/cli
  echo "sanitize: asan+ubsan ok"
fi

if [ "$which" = tsan ] || [ "$which" = all ]; then
  cmake -S . -B build-tsan "${common[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOMPUTEDEBT_TSAN=ON \
    -DCOMPUTEDEBT_EXAMPLES=OFF -DCOMPUTEDEBT_CLI=OFF -DCOMPUTEDEBT_INSTALL=OFF > build-tsan.log 2>&1 ||
    { cat build-tsan.log; exit 1; }
  cmake --build build-tsan -j "$jobs" --target unit_engine unit_structuring >> build-tsan.log 2>&1 ||
    { tail -50 build-tsan.log; exit 1; }
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  # Without address randomisation: clang-16's ThreadSanitizer aborts on kernels that randomise mmap with more bits
  # than it expects ("unexpected memory mapping"), as some CI kernels do.
  (cd build-tsan && setarch "$(uname -m)" -R ctest --output-on-failure -j "$jobs" -R '^(engine|structuring)\.')
  echo "sanitize: tsan ok"
fi
