// Prices a waterfall deal in its base case and under a stress scenario (a JSON merge patch on the assumptions,
// here an "AI winter": start-up default probabilities x3, a GPU market shock and a next-generation launch),
// on the same paths, and prints the two side by side.
//
//   stress_scenario [DEAL.json] [SCENARIO.json] [PATHS]
//   (default: examples/deals/blended_2026.json, examples/scenarios/ai_winter.json, 50000)

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>

#include <fmt/format.h>

#include <string>

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "examples/deals/blended_2026.json";
  const std::string scenario = argc > 2 ? argv[2] : "examples/scenarios/ai_winter.json";
  try {
    computedebt::engine::SimulationConfig config;
    config.paths = argc > 3 ? std::stoull(argv[3]) : 50000;
    const auto base =
        computedebt::engine::simulate(computedebt::calibration::calibrate(computedebt::io::load_deal(path)), config);
    computedebt::io::LoadOptions options;
    options.scenarios.push_back(scenario);
    const auto stress = computedebt::engine::simulate(
        computedebt::calibration::calibrate(computedebt::io::load_deal(path, options)), config);

    fmt::print("{}: base case and {} ({} paths each)\n\n", base.deal, scenario, config.paths);
    fmt::print("{:<14} {:>10} {:>10} {:>8} {:>8} {:>7} {:>7}\n", "tranche", "EL base", "EL stress", "PD base",
               "PD str.", "rating", "stress");
    for (std::size_t t = 0; t < base.tranches.size(); ++t) {
      const auto &b = base.tranches[t], &s = stress.tranches[t];
      fmt::print("{:<14} {:>9.3f}% {:>9.3f}% {:>7.2f}% {:>7.2f}% {:>7} {:>7}\n", b.name, 100 * b.expected_loss,
                 100 * s.expected_loss, 100 * b.default_probability, 100 * s.default_probability, b.implied_rating,
                 s.implied_rating);
    }
    const auto &bw = *base.waterfall, &sw = *stress.waterfall;
    fmt::print("\n{:<26} {:>10} {:>10}\n", "", "base", "stress");
    fmt::print("{:<26} {:>9.2f}% {:>9.2f}%\n", "portfolio loss", 100 * base.portfolio.expected_loss,
               100 * stress.portfolio.expected_loss);
    fmt::print("{:<26} {:>10.2f} {:>10.2f}\n", "counterparty defaults", base.portfolio.expected_defaults,
               stress.portfolio.expected_defaults);
    fmt::print("{:<26} {:>9.2f}% {:>9.2f}%\n", "equity IRR, mean", 100 * bw.equity.irr_mean, 100 * sw.equity.irr_mean);
    fmt::print("{:<26} {:>9.2f}% {:>9.2f}%\n", "P(equity IRR < 0)", 100 * bw.equity.probability_negative_irr,
               100 * sw.equity.probability_negative_irr);
    fmt::print("{:<26} {:>9.2f}% {:>9.2f}%\n", "event of default", 100 * bw.events_of_default.probability,
               100 * sw.events_of_default.probability);
    fmt::print("{:<26} {:>9.1f}m {:>9.1f}m\n", "collateral at maturity", bw.collateral_value_at_maturity / 1e6,
               sw.collateral_value_at_maturity / 1e6);
  } catch (const computedebt::InputError& error) {
    for (const auto& problem : error.problems()) fmt::print(stderr, "{}\n", computedebt::to_string(problem));
    return 2;
  }
  return 0;
}
