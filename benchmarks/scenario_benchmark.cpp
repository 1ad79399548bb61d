// Scenario generation: the default months of every counterparty on one path.
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/scenario/credit_sampler.hpp>

#include <benchmark/benchmark.h>

namespace {

void credit_sampler(benchmark::State& state, const char* deal) {
  const auto plan = computedebt::calibration::calibrate(
      computedebt::io::load_deal(std::string(COMPUTEDEBT_EXAMPLE_DEALS) + "/" + deal));
  computedebt::scenario::CreditSampler sampler(plan);
  std::vector<int> months(plan.credit.names);
  std::uint64_t path = 0;
  for (auto _ : state) {
    sampler.sample(1, path++, months);
    benchmark::DoNotOptimize(months.data());
  }
  state.SetItemsProcessed(state.iterations());  // paths
  state.counters["names"] = static_cast<double>(plan.credit.names);
}

}  // namespace

BENCHMARK_CAPTURE(credit_sampler, homogeneous_pool, "homogeneous_pool.json");
BENCHMARK_CAPTURE(credit_sampler, blended, "blended_2026.json");
