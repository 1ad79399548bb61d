#pragma once
/// \file
/// Plausible mistakes: a deal that loads and prices, but whose numbers look economically wrong. They are
/// warned about, never refused (docs/deal_format.md, "Warnings").

#include <computedebt/calibration/plan.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/io/deal_file.hpp>

#include <vector>

namespace computedebt::calibration {

/// A contract ending more than this many years after the valuation date is warned about (any deal).
inline constexpr int contract_years_after_valuation = 20;
/// A contract ending more than this many years after the last tranche's legal maturity is warned about (waterfall).
inline constexpr int contract_years_after_maturity = 10;

/// What looks wrong in a calibrated deal, each with the JSON path it concerns. Warned about, in any deal:
/// - a contract ending more than 20 years after the valuation date (`contract_years_after_valuation`);
/// in a waterfall deal, also:
/// - a contract ending more than 10 years after the last tranche's legal maturity
///   (`contract_years_after_maturity`);
/// - tranches plus equity differ from the fleet's cost (cohort count x purchase price) plus the initial reserve by
///   more than 1%;
/// - the initial LTV (all notionals over the fleet's market value at `t0`) is already above the LTV trigger;
/// - the initial DSCR is already below the DSCR trigger: the first period's revenue less costs and the date's
///   fees, over the first date's interest and scheduled principal, in the base case (no default; the GPUs not
///   under contract on the spot market when re-leasing is on, at the initial market multiplier).
/// `calibrate` stores them in `Plan::warnings`.
std::vector<Problem> warnings(const io::DealFile& file, const Plan& plan);

}  // namespace computedebt::calibration
