#pragma once
/// \file
/// Applies control variates to a run's tranche estimates (docs/methodology.md section 7.7).

#include <computedebt/analytic/control_means.hpp>
#include <computedebt/calibration/plan.hpp>
#include <computedebt/pricing/results.hpp>
#include <computedebt/stats/co_moments.hpp>

#include <vector>

namespace computedebt::engine::detail {

/// Replaces each tranche's EL and LGD in `tranches` by their control-variate estimates from `moments` (laid out
/// as `control_dimension`) and the exact `means`. Tranche `t`'s controls are the portfolio loss and, for loss
/// tranches with exact means, the other tranches' losses; a set that reproduces the tranche's loss on every
/// group (the tranches tile the pool) drops the portfolio loss, and then, if still reproducing it, every control.
void apply_control_variates(const calibration::Plan& plan, const stats::CoMoments& moments,
                            const analytic::ControlMeans& means, std::vector<pricing::TrancheResult>& tranches);

}  // namespace computedebt::engine::detail
