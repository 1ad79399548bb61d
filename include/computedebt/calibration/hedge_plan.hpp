#pragma once
/// \file
/// A hedge on the payment dates (docs/methodology.md section 5.6).

#include <computedebt/deal/hedge.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace computedebt::calibration {

/// A swap or cap, resolved to positions: its index in `Plan::rates`, its counterparty in the credit model, and its
/// notional on each payment date.
struct PlannedHedge {
  std::string name;
  deal::HedgeKind kind = deal::HedgeKind::swap;
  std::size_t index = 0;
  std::uint32_t counterparty = 0;
  double rate = 0.0;           ///< The swap's fixed rate or the cap's strike.
  double recovery_rate = 0.0;  ///< The counterparty's: the share of what it owes on a close-out that is recovered.
  /// Per date `m` (`dates + 1` entries), the notional of the period ending on it; 0 from the end on and at `m = 0`.
  std::vector<double> notional;
  std::size_t end = 0;  ///< The last date of its periods.
};

}  // namespace computedebt::calibration
