#pragma once
/// \file
/// Plausible mistakes: a deal that loads and prices, but whose numbers look economically wrong. They are
/// warned about, never refused (docs/deal_format.md, "Warnings").

#include <computedebt/calibration/plan.hpp>
#include <computedebt/core/error.hpp>

#include <vector>

namespace computedebt::calibration {

/// What looks wrong in a calibrated waterfall deal, each with the JSON path it concerns; empty for a loss-tranche
/// deal. Warned about:
/// - tranches plus equity differ from the fleet's cost (cohort count x purchase price) plus the initial reserve by
///   more than 1%;
/// - the initial LTV (all notionals over the fleet's market value at `t0`) is already above the LTV trigger;
/// - the initial DSCR is already below the DSCR trigger: the first period's revenue less costs and the date's
///   fees, over the first date's interest and scheduled principal, in the base case (no default; the GPUs not
///   under contract on the spot market when re-leasing is on, at the initial market multiplier).
std::vector<Problem> warnings(const Plan& plan);

}  // namespace computedebt::calibration
