// Compares an investment-grade-only offtake portfolio with a blended one (hyperscalers and AI start-ups):
// how much senior debt each supports at the same ratings, as a share of its fleet's cost.
//
//   compare_portfolios [IG.json] [BLENDED.json] [PATHS]
//   (default: examples/deals/investment_grade_2026.json, examples/deals/blended_2026.json, 20000)

#include <computedebt/io/load.hpp>
#include <computedebt/structuring/search.hpp>

#include <fmt/format.h>

#include <string>

namespace {

double fleet_cost(const computedebt::io::DealFile& file) {
  double cost = 0.0;
  for (const auto& cohort : computedebt::deal::effective_fleet(file.deal))
    for (const auto& type : file.deal.gpu_types)
      if (type.id == cohort.gpu_type) cost += static_cast<double>(cohort.count) * type.purchase_price;
  return cost;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string ig_path = argc > 1 ? argv[1] : "examples/deals/investment_grade_2026.json";
  const std::string blended_path = argc > 2 ? argv[2] : "examples/deals/blended_2026.json";
  try {
    computedebt::engine::SimulationConfig config;
    config.paths = argc > 3 ? std::stoull(argv[3]) : 20000;
    fmt::print("Senior debt supported by each portfolio ({} paths per trial)\n\n", config.paths);
    fmt::print("{:<36} {:>6} {:>11} {:>11} {:>9} {:>9} {:>6}\n", "portfolio", "rating", "fleet cost", "senior",
               "of cost", "EL", "WAL");
    for (const auto& path : {ig_path, blended_path}) {
      const auto file = computedebt::io::load_deal(path);
      const auto& senior = std::get<computedebt::deal::Waterfall>(file.deal.structure).tranches.front().name;
      const double cost = fleet_cost(file);
      for (const std::string rating : {"Aaa", "Aa2", "A2"}) {
        const auto result = computedebt::structuring::size_tranche(file, senior, rating, config);
        fmt::print("{:<36} {:>6} {:>10.1f}m {:>10.1f}m {:>8.1f}% {:>8.4f}% {:>6.2f}{}\n", file.deal.name, rating,
                   cost / 1e6, result.value / 1e6, 100 * result.value / cost, 100 * result.at_value.expected_loss,
                   result.at_value.wal_years, result.at_limit ? "  (all the equity)" : "");
      }
    }
  } catch (const computedebt::InputError& error) {
    fmt::print(stderr, "{}\n", error.what());
    return 2;
  }
  return 0;
}
