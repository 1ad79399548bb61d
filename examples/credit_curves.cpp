// Calibrates a deal and prints each counterparty's credit inputs: where its curve comes from, its default
// probability at 1 and 5 years, its recovery and the weight of its idiosyncratic risk.
//
//   credit_curves [DEAL.json]        (default: examples/deals/blended_2026.json)

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>

#include <fmt/format.h>

#include <variant>

namespace {

std::string curve_source(const computedebt::io::DealFile& file, const computedebt::deal::Counterparty& counterparty) {
  using namespace computedebt::assumptions;
  const auto entry = file.assumptions.credit.find(counterparty.id);
  if (entry == file.assumptions.credit.end() || !entry->second.curve)
    return fmt::format("rating {}", computedebt::deal::to_string(*counterparty.rating));
  return std::visit(
      [](const auto& source) -> std::string {
        using S = std::decay_t<decltype(source)>;
        if constexpr (std::is_same_v<S, HazardRate>) return fmt::format("hazard {:.4f}", source.hazard_rate);
        if constexpr (std::is_same_v<S, DefaultProbability>)
          return fmt::format("PD {:.1f}% at {}y", 100.0 * source.default_probability, source.horizon_years);
        if constexpr (std::is_same_v<S, CdsSpreads>) return fmt::format("CDS, {} quotes", source.quotes.size());
        if constexpr (std::is_same_v<S, RatingCurve>)
          return fmt::format("rating {}", computedebt::deal::to_string(source.rating));
      },
      *entry->second.curve);
}

}  // namespace

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "examples/deals/blended_2026.json";
  try {
    const auto file = computedebt::io::load_deal(path);
    const auto plan = computedebt::calibration::calibrate(file);
    const auto& credit = plan.credit;
    const auto column = [&](int month) { return static_cast<std::size_t>(std::min(month, plan.grid.months())); };
    fmt::print("{} ({} counterparties, grid of {} months)\n\n", file.deal.name, credit.names, plan.grid.months());
    fmt::print("{:<18} {:<12} {:<20} {:>8} {:>8} {:>9} {:>7}\n", "counterparty", "sector", "curve", "PD 1y", "PD 5y",
               "recovery", "idio");
    for (std::size_t i = 0; i < credit.names; ++i) {
      const auto& counterparty = file.deal.counterparties[i];
      fmt::print("{:<18} {:<12} {:<20} {:>7.2f}% {:>7.2f}% {:>9.2f} {:>7.3f}\n", counterparty.id, counterparty.sector,
                 curve_source(file, counterparty), 100.0 * (1.0 - credit.survival_at(i, column(12))),
                 100.0 * (1.0 - credit.survival_at(i, column(60))), credit.recovery_rates[i],
                 credit.idiosyncratic_weights[i]);
    }
  } catch (const computedebt::InputError& error) {
    fmt::print(stderr, "{}\n", error.what());
    return 2;
  }
  return 0;
}
