#pragma once
/// \file
/// A tranche's estimates from a run's statistics: expected loss, default probability, loss given default, WAL,
/// fair spread and implied rating, each with its standard error (docs/methodology.md section 6.1).

#include <computedebt/calibration/waterfall_plan.hpp>
#include <computedebt/pricing/results.hpp>
#include <computedebt/stats/ratio.hpp>

#include <span>

namespace computedebt::pricing {

/// EL, PD and LGD = EL / PD with their standard errors, from the means of each independent group's loss and
/// whether it lost anything.
void set_loss_estimates(const stats::Ratio& loss, TrancheResult& tranche);

/// The exact EL and PD of a semi-analytic run (docs/methodology.md section 6.6): LGD = EL / PD, 0 when PD is 0 as
/// the ratio of means is, and every standard error NaN.
void set_loss_estimates(double expected_loss, double default_probability, TrancheResult& tranche);

/// The WAL of tranche `t`'s promised principal: the scheduled amortisation, and any balance the schedule leaves
/// after the last date paid on that date.
double promised_wal(const calibration::WaterfallPlan& plan, std::size_t t);

/// The WAL of the mean principal flows with its delta-method standard error, from each group's
/// `(sum_m tau_m P_m, sum_m P_m)`; the promised schedule's WAL (error 0) when no path pays principal, not 0 / 0.
void set_wal(const stats::Ratio& wal, double promised, TrancheResult& tranche);

/// The fair spread `s_P - s_E` in basis points: the flat spread of the promised flows less that of the expected
/// flows over the same discount factors. To first order an error `dV` in the expected flows' value moves `s_E`
/// by `dV / D`, `D` the expected flows' duration at `s_E`, which gives the standard error from `value_stderr`.
void set_fair_spread(std::span<const double> promised, std::span<const double> expected, std::span<const double> times,
                     std::span<const double> discount, double notional, double value_stderr, TrancheResult& tranche);

/// Moody's rating implied by the tranche's expected loss at its WAL.
void set_implied_rating(TrancheResult& tranche);

}  // namespace computedebt::pricing
