#pragma once
/// \file
/// Interest-rate hedges of the waterfall: swaps and caps on a rate index (docs/methodology.md section 5.6).

#include <computedebt/core/date.hpp>

#include <string>
#include <variant>
#include <vector>

namespace computedebt::deal {

/// A hedge notional that follows a tranche's scheduled balance at the start of each period, times `share`.
struct TrancheNotional {
  std::string tranche;
  double share = 1.0;

  bool operator==(const TrancheNotional&) const = default;
};

/// The notional per payment date from the first: an amount, a tranche's schedule, or a list of amounts (0 after it).
using HedgeNotional = std::variant<double, TrancheNotional, std::vector<double>>;

enum class HedgeKind { swap, cap };

/// A swap (the SPV pays `rate` fixed and receives the index) or a cap (the SPV receives the index above `rate`),
/// period by period on the waterfall's payment dates up to `end_date`, with a counterparty of the credit model.
struct Hedge {
  std::string name;
  HedgeKind kind = HedgeKind::swap;
  std::string index;         ///< A key of the assumptions' `rate_indices`.
  std::string counterparty;  ///< A counterparty of the deal.
  double rate = 0.0;         ///< The swap's fixed rate or the cap's strike.
  HedgeNotional notional = 0.0;
  Date end_date;  ///< Moves to the last payment date on or before it.

  bool operator==(const Hedge&) const = default;
};

}  // namespace computedebt::deal
