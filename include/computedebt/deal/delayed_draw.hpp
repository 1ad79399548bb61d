#pragma once
/// \file
/// A delayed-draw term loan: a commitment drawn as the fleet's later cohorts are delivered (docs/methodology.md
/// section 5.8).

#include <computedebt/core/date.hpp>
#include <computedebt/deal/amortization.hpp>

#include <optional>
#include <string>
#include <vector>

namespace computedebt::deal {

/// What happens to a delivery when a path refuses its draw.
enum class RefusedDraw {
  sponsor_funds,    ///< The sponsor pays the whole cost as equity; the GPUs arrive and their contracts run.
  cancel_delivery,  ///< The cohort is not bought, and the contracts that need it are cancelled.
};

/// A planned draw: either funding a delivery, `advance_rate` times the cohort's cost on its funding date (the equity
/// paying the rest), or, without a cohort, `amount` on the first payment date on or after `date`, paid to the equity.
struct DeliveryDraw {
  std::string cohort;  ///< A `FleetCohort::id` acquired after the valuation date; empty for a dated draw.
  double advance_rate = 0.0;
  Date date{};          ///< A dated draw's date; zero for a delivery draw, so that equal terms compare equal.
  double amount = 0.0;  ///< A dated draw's amount.

  bool operator==(const DeliveryDraw&) const = default;
};

/// The delayed-draw terms of a tranche: its notional is what was drawn at `t0`.
struct DelayedDraw {
  double commitment = 0.0;         ///< Most the tranche may ever draw, the notional at `t0` included.
  Date availability_end;           ///< No draw funds after it; the commitment fee runs until it.
  double commitment_fee_bp = 0.0;  ///< Per year on the undrawn commitment.
  std::vector<DeliveryDraw> draws;
  /// How each draw amortises from its own date: `Level` or `Bullet`. Without it, the tranche's amortisation, which
  /// must then be level or bullet; with it, the tranche's amortisation (a schedule, say) is the closing notional's.
  std::optional<Amortization> draw_amortization;
  RefusedDraw refused_draw = RefusedDraw::sponsor_funds;

  bool operator==(const DelayedDraw&) const = default;
};

}  // namespace computedebt::deal
