// Writes the seed corpus of the partial target: the partials of a few runs of leaves of the example deals, as
// Dask workers return them. Usage: make_partial_seeds DIRECTORY

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>

#include <fstream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) return 1;
  for (const char* name : {"homogeneous_pool", "blended_2026"}) {
    const auto plan = computedebt::calibration::calibrate(
        computedebt::io::load_deal(std::string(COMPUTEDEBT_EXAMPLE_DEALS "/") + name + ".json"));
    computedebt::engine::SimulationConfig config;
    config.paths = 4 * 1024;
    for (std::uint64_t first : {0, 2}) {
      for (std::uint64_t leaves : {1, 2}) {
        if (first % leaves != 0) continue;
        const auto bytes = computedebt::engine::partial_to_bytes(
            computedebt::engine::simulate_blocks(plan, config, first, first + leaves));
        std::ofstream(std::string(argv[1]) + "/" + name + "_" + std::to_string(first) + "_" + std::to_string(leaves),
                      std::ios::binary)
            << bytes;
      }
    }
  }
  return 0;
}
