#pragma once
/// \file
/// A covenant resolved onto the payment dates (docs/methodology.md section 5).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace computedebt::calibration {

/// Marks the absence of a covenant index.
inline constexpr std::size_t no_covenant = std::numeric_limits<std::size_t>::max();

/// What a covenant measures.
enum class MetricKind : std::uint8_t {
  dscr,
  ltv,
  contracted_coverage,
  investment_grade_share,
  liquidity,
  rating_factor,
  borrowing_base  ///< The borrowing base's headroom over the facility's balance.
};

/// The metric's `type` in the deal file.
constexpr std::string_view metric_name(MetricKind metric) noexcept {
  switch (metric) {
    case MetricKind::dscr:
      return "dscr";
    case MetricKind::ltv:
      return "ltv";
    case MetricKind::contracted_coverage:
      return "contracted_coverage";
    case MetricKind::investment_grade_share:
      return "investment_grade_share";
    case MetricKind::liquidity:
      return "liquidity";
    case MetricKind::rating_factor:
      return "weighted_average_rating_factor";
    case MetricKind::borrowing_base:
      return "borrowing_base";
  }
  return "";
}

/// What a breach sets off.
enum class ConsequenceKind : std::uint8_t {
  cash_sweep,
  cash_trap,
  block_distributions,
  margin_step_up,
  default_after_cure,
  mandatory_prepayment  ///< The borrowing base: prepay the deficiency, then a cure period, then an event of default.
};

/// A covenant on the payment dates.
struct CovenantPlan {
  std::string name;
  MetricKind metric = MetricKind::dscr;
  std::size_t trailing_dates = 1;  ///< DSCR: the dates whose income and debt service it sums.
  bool include_balloon = true;     ///< DSCR: whether bullets and balloons count as debt service.
  std::vector<double> level;       ///< Per date `0..M`.
  bool breached_above = false;     ///< LTV and the rating factor are breached above their level, the others below.

  ConsequenceKind consequence = ConsequenceKind::cash_sweep;
  double sweep_fraction = 1.0;
  std::uint32_t account = 0;  ///< The trap account.
  int release_after_passes = 1, apply_after_failures = 0;
  double step_up = 0.0;                  ///< Margin step-up, as a rate.
  std::vector<std::uint8_t> stepped_up;  ///< Per tranche: whether the step-up applies.
  int cure_period_months = 0, equity_cures = 0;

  /// Whether `value` breaches the level on date `m`. NaN breaches nothing.
  bool breached(double value, std::size_t m) const noexcept {
    return breached_above ? value > level[m] : value < level[m];
  }
};

}  // namespace computedebt::calibration
