#pragma once
/// \file
/// Benchmark rows on one SIMD target: each such row restricts the kernels to one of the targets this machine runs.

#include <computedebt/core/philox_blocks.hpp>

#include <benchmark/benchmark.h>

#include <cstddef>

namespace computedebt_benchmarks {

/// Restricts the kernels to target `index` of those this machine runs, best first, and labels the row with its
/// name; false (the row skipped) when there is no such target. `computedebt::restrict_simd_target("")` lifts it.
inline bool use_target(benchmark::State& state, std::size_t index) {
  static const auto targets = computedebt::simd_targets();
  if (index >= targets.size()) {
    state.SkipWithError("no such SIMD target here");
    return false;
  }
  computedebt::restrict_simd_target(targets[index]);
  state.SetLabel(targets[index]);
  return true;
}

}  // namespace computedebt_benchmarks
