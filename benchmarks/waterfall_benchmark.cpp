// The cash-flow waterfall of blended_2026.json: the full run per path, its floor (drawing the path's random
// numbers alone: default months and GPU market paths), and a scaling series over the number of contracts at a
// fixed default probability, which shows the cost follows defaults, not contracts x months.
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/scenario/credit_sampler.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>

#include <benchmark/benchmark.h>

#include <fstream>

#include "simd_target.hpp"

namespace {

const std::string blended_path = std::string(COMPUTEDEBT_EXAMPLE_DEALS) + "/blended_2026.json";

/// Full runs: paths per second of the whole pipeline on 1 or 2 threads.
void blended_waterfall(benchmark::State& state) {
  const auto plan = computedebt::calibration::calibrate(computedebt::io::load_deal(blended_path));
  computedebt::engine::SimulationConfig config;
  config.paths = 1 << 16;
  config.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(computedebt::engine::simulate(plan, config));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(config.paths));
}

/// The full run on one thread with the SIMD kernels restricted to target `range(0)` of those this machine runs, best
/// first (label: its name).
void blended_waterfall_on_target(benchmark::State& state) {
  const auto plan = computedebt::calibration::calibrate(computedebt::io::load_deal(blended_path));
  computedebt::engine::SimulationConfig config;
  config.paths = 1 << 15;
  config.threads = 1;
  if (!computedebt_benchmarks::use_target(state, static_cast<std::size_t>(state.range(0)))) return;
  for (auto _ : state) benchmark::DoNotOptimize(computedebt::engine::simulate(plan, config));
  computedebt::restrict_simd_target("");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(config.paths));
}

/// The floor, one thread: the default months and GPU market multipliers of each path, nothing else.
void blended_random_numbers(benchmark::State& state) {
  const auto plan = computedebt::calibration::calibrate(computedebt::io::load_deal(blended_path));
  computedebt::scenario::CreditSampler credit(plan);
  computedebt::scenario::GpuMarketSampler market(plan);
  std::vector<int> months(plan.credit.names);
  std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns);
  std::uint64_t path = 0;
  for (auto _ : state) {
    credit.sample(1, path, months);
    market.sample(1, path, credit.normals(), multipliers);
    benchmark::DoNotOptimize(multipliers.data());
    ++path;
  }
  state.SetItemsProcessed(state.iterations());
}

/// The blended deal with its contracts repeated `copies` times (fleet and structure scaled alike): the same
/// default probabilities, `copies` times the contracts and counterparties.
computedebt::calibration::Plan repeated(int copies) {
  std::ifstream in(blended_path);
  auto document = nlohmann::ordered_json::parse(in);
  auto& deal = document["deal"];
  auto& assumptions = document["assumptions"];
  const auto counterparties = deal["counterparties"], contracts = deal["contracts"];
  const auto credit = assumptions["credit"];
  for (int c = 1; c < copies; ++c) {
    const std::string suffix = "_copy" + std::to_string(c);
    for (auto counterparty : counterparties) {
      const std::string id = counterparty["id"].get<std::string>();
      counterparty["id"] = id + suffix;
      deal["counterparties"].push_back(counterparty);
      if (credit.contains(id)) assumptions["credit"][id + suffix] = credit[id];
    }
    for (auto contract : contracts) {
      contract["id"] = contract["id"].get<std::string>() + suffix;
      contract["counterparty"] = contract["counterparty"].get<std::string>() + suffix;
      if (contract.contains("guarantee"))
        contract["guarantee"]["guarantor"] = contract["guarantee"]["guarantor"].get<std::string>() + suffix;
      deal["contracts"].push_back(contract);
    }
  }
  for (auto& cohort : deal["fleet"]) cohort["count"] = cohort["count"].get<std::int64_t>() * copies;
  auto& structure = deal["structure"];
  for (auto& tranche : structure["tranches"]) tranche["notional"] = tranche["notional"].get<double>() * copies;
  structure["equity"]["investment"] = structure["equity"]["investment"].get<double>() * copies;
  return computedebt::calibration::calibrate(computedebt::io::load_deal_json(document));
}

/// One thread, per path, over 1, 2, 4 and 8 copies of the blended portfolio's 46 contracts.
void contracts_scaling(benchmark::State& state) {
  const auto plan = repeated(static_cast<int>(state.range(0)));
  computedebt::engine::SimulationConfig config;
  config.paths = 1 << 14;
  config.threads = 1;
  double defaults = 0.0;
  for (auto _ : state) defaults = computedebt::engine::simulate(plan, config).portfolio.expected_defaults;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(config.paths));
  state.counters["contracts"] = static_cast<double>(plan.contracts.contracts);
  state.counters["defaults_per_path"] = defaults;
}

}  // namespace

BENCHMARK(blended_waterfall)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(blended_waterfall_on_target)->DenseRange(0, 3)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(blended_random_numbers)->Unit(benchmark::kMicrosecond);
BENCHMARK(contracts_scaling)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Unit(benchmark::kMillisecond)->UseRealTime();
