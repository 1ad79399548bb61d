// Load and calibration costs of the bundled deals: paid once per run, before any path is simulated.
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

namespace {

std::string read_text(const std::string& name) {
  std::ifstream file(std::string(COMPUTEDEBT_EXAMPLE_DEALS) + "/" + name);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

void parse_json_only(benchmark::State& state, const std::string& name) {
  const auto text = read_text(name);
  for (auto _ : state) benchmark::DoNotOptimize(computedebt::io::parse_json(text, name));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void load_and_validate(benchmark::State& state, const std::string& name) {
  const auto text = read_text(name);
  for (auto _ : state) benchmark::DoNotOptimize(computedebt::io::load_deal_string(text, name));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void calibrate(benchmark::State& state, const std::string& name) {
  const auto file = computedebt::io::load_deal_string(read_text(name), name);
  for (auto _ : state) benchmark::DoNotOptimize(computedebt::calibration::calibrate(file));
}

}  // namespace

BENCHMARK_CAPTURE(parse_json_only, blended, std::string("blended_2026.json"))->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(load_and_validate, blended, std::string("blended_2026.json"))->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(calibrate, blended, std::string("blended_2026.json"))->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(load_and_validate, homogeneous_pool, std::string("homogeneous_pool.json"))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(calibrate, homogeneous_pool, std::string("homogeneous_pool.json"))->Unit(benchmark::kMicrosecond);
