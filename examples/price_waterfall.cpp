// Prices the tranches of a cash-flow waterfall deal end to end and prints the tranche table, the equity's
// returns and how often each trigger and an event of default happen.
//
//   price_waterfall [DEAL.json] [PATHS]      (default: examples/deals/blended_2026.json, 100000)

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>

#include <fmt/format.h>

#include <string>

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "examples/deals/blended_2026.json";
  try {
    const auto plan = computedebt::calibration::calibrate(computedebt::io::load_deal(path));
    computedebt::engine::SimulationConfig config;
    config.paths = argc > 2 ? std::stoull(argv[2]) : 100000;
    const auto results = computedebt::engine::simulate(plan, config);
    const auto& w = *results.waterfall;

    fmt::print("{}: {} paths, seed {}, {:.2f} s\n\n", results.deal, results.paths, results.seed,
               results.elapsed_seconds);
    fmt::print("{:<14} {:>10} {:>9} {:>8} {:>8} {:>7} {:>6} {:>9} {:>6}\n", "tranche", "notional", "EL", "s.e.", "PD",
               "LGD", "WAL", "spread", "rating");
    for (const auto& t : results.tranches)
      fmt::print("{:<14} {:>9.1f}m {:>8.3f}% {:>7.3f}% {:>7.2f}% {:>6.1f}% {:>6.2f} {:>6.1f}bp {:>6}\n", t.name,
                 t.notional / 1e6, 100 * t.expected_loss, 100 * t.expected_loss_stderr, 100 * t.default_probability,
                 100 * t.loss_given_default, t.wal_years, t.fair_spread_bp, t.implied_rating);
    const auto& e = w.equity;
    fmt::print(
        "\nequity {:.1f}m: IRR mean {:.2f}% (p05 {:.2f}%, p50 {:.2f}%, p95 {:.2f}%), P(IRR < 0) {:.2f}%, "
        "money multiple {:.2f}\n",
        e.investment / 1e6, 100 * e.irr_mean, 100 * e.irr_p05, 100 * e.irr_p50, 100 * e.irr_p95,
        100 * e.probability_negative_irr, e.money_multiple);
    for (const auto& trigger : w.triggers)
      fmt::print("{:<18} breached on {:6.2f}% of paths\n", trigger.name, 100 * trigger.probability);
    fmt::print("{:<18} on {:6.2f}% of paths\n", "event of default", 100 * w.events_of_default.probability);
    fmt::print("collateral value at maturity {:.1f}m\n", w.collateral_value_at_maturity / 1e6);
  } catch (const computedebt::InputError& error) {
    fmt::print(stderr, "{}\n", error.what());
    return 2;
  }
  return 0;
}
