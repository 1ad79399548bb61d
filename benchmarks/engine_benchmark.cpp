// The full loss-tranche run of the 125-name pool, per path, on one thread and on all cores.
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>

#include <benchmark/benchmark.h>

#include "simd_target.hpp"

namespace {

void loss_tranches(benchmark::State& state) {
  const auto plan = computedebt::calibration::calibrate(
      computedebt::io::load_deal(std::string(COMPUTEDEBT_EXAMPLE_DEALS) + "/homogeneous_pool.json"));
  computedebt::engine::SimulationConfig config;
  config.paths = 1 << 17;
  config.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(computedebt::engine::simulate(plan, config));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(config.paths));  // paths
}

/// The same run on one thread with the SIMD kernels restricted to target `range(0)` of those this machine runs,
/// best first (label: its name): what each instruction set gives the whole engine.
void loss_tranches_on_target(benchmark::State& state) {
  const auto plan = computedebt::calibration::calibrate(
      computedebt::io::load_deal(std::string(COMPUTEDEBT_EXAMPLE_DEALS) + "/homogeneous_pool.json"));
  computedebt::engine::SimulationConfig config;
  config.paths = 1 << 17;
  config.threads = 1;
  if (!computedebt_benchmarks::use_target(state, static_cast<std::size_t>(state.range(0)))) return;
  for (auto _ : state) benchmark::DoNotOptimize(computedebt::engine::simulate(plan, config));
  computedebt::restrict_simd_target("");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(config.paths));
}

}  // namespace

BENCHMARK(loss_tranches)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(loss_tranches_on_target)->DenseRange(0, 3)->Unit(benchmark::kMillisecond)->UseRealTime();
