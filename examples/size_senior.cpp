// Sizes the senior tranche of a waterfall deal for target ratings from Aaa to Baa2 (A2 and Baa2 among them),
// re-running the same paths in every trial (common random numbers), and prints how much senior debt each
// rating supports. "(all the equity)" marks a rating that the senior meets even when it replaces the whole
// equity: the capital, not the rating, binds.
//
//   size_senior [DEAL.json] [PATHS] [TRANCHE]      (default: examples/deals/blended_2026.json, 20000, "Senior A")

#include <computedebt/io/load.hpp>
#include <computedebt/structuring/search.hpp>

#include <fmt/format.h>

#include <string>

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "examples/deals/blended_2026.json";
  const std::string tranche = argc > 3 ? argv[3] : "Senior A";
  try {
    const auto file = computedebt::io::load_deal(path);
    computedebt::engine::SimulationConfig config;
    config.paths = argc > 2 ? std::stoull(argv[2]) : 20000;
    const auto& structure = std::get<computedebt::deal::Waterfall>(file.deal.structure);
    double capital = structure.equity.investment;
    for (const auto& t : structure.tranches) capital += t.notional;

    fmt::print("{}: sizing {} ({} paths per trial)\n\n", file.deal.name, tranche, config.paths);
    fmt::print("{:<7} {:>11} {:>11} {:>10} {:>12} {:>6} {:>7}\n", "rating", "notional", "of capital", "EL", "target EL",
               "WAL", "trials");
    for (const std::string rating : {"Aaa", "Aa2", "A2", "Baa2"}) {
      const auto result = computedebt::structuring::size_tranche(file, tranche, rating, config);
      fmt::print("{:<7} {:>10.1f}m {:>10.1f}% {:>9.4f}% {:>11.4f}% {:>6.2f} {:>7}{}\n", rating, result.value / 1e6,
                 100 * result.value / capital, 100 * result.at_value.expected_loss,
                 100 * result.at_value.target_expected_loss, result.at_value.wal_years, result.trials.size(),
                 result.at_limit ? "  (all the equity)" : "");
    }
  } catch (const computedebt::InputError& error) {
    fmt::print(stderr, "{}\n", error.what());
    return 2;
  }
  return 0;
}
