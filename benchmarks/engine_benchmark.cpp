// The full loss-tranche run of the 125-name pool, per path, on one thread and on all cores.
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>

#include <benchmark/benchmark.h>

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

}  // namespace

BENCHMARK(loss_tranches)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
