// libFuzzer target: the bytes a Dask worker sends back (`partial_from_bytes`), which a faulty worker or network
// could corrupt, then finished into results for the deals they could belong to, as `finish_blocks` does. Every
// input must either be refused with `computedebt::Error` or give a partial that writes back to the same bytes
// and finishes without a sanitizer report.

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Run {
  computedebt::calibration::Plan plan;
  computedebt::engine::Partial empty;
};

const std::vector<Run>& runs() {
  static const std::vector<Run> runs = [] {
    std::vector<Run> result;
    for (const char* name : {"homogeneous_pool.json", "blended_2026.json"}) {
      auto plan = computedebt::calibration::calibrate(
          computedebt::io::load_deal(std::string(COMPUTEDEBT_EXAMPLE_DEALS "/") + name));
      auto empty = computedebt::engine::Partial::empty(plan);
      result.push_back({std::move(plan), std::move(empty)});
    }
    return result;
  }();
  return runs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  computedebt::engine::Partial partial;
  try {
    partial = computedebt::engine::partial_from_bytes(bytes);
  } catch (const computedebt::Error&) {
    return 0;
  }
  if (computedebt::engine::partial_to_bytes(partial) != bytes) std::abort();
  for (const auto& run : runs()) {
    try {
      auto merged = run.empty;
      computedebt::engine::merge(merged, partial);
      computedebt::engine::SimulationConfig config;
      config.paths = std::max<std::uint64_t>(1, merged.last_leaf - merged.first_leaf) * 1024;
      (void)computedebt::engine::finish(run.plan, config, merged);
    } catch (const computedebt::Error&) {
    }
  }
  return 0;
}
