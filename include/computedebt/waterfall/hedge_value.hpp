#pragma once
/// \file
/// A hedge's payments and value on one path (docs/methodology.md section 5.6).

#include <computedebt/calibration/hedge_plan.hpp>
#include <computedebt/calibration/rate_plan.hpp>
#include <computedebt/calibration/waterfall_plan.hpp>

#include <cstddef>
#include <span>

namespace computedebt::waterfall {

/// The index's bond price `P(t_m, t_j)` between payment dates `m <= j`: from its projection curve, or QuantLib's
/// Hull-White price at the short rate `f(0, t_m) + state` of the forward measure to `t_m`, whose mean is the
/// forward bond price. A Hull-White index must be one that a hedge uses (its `date_bond_a` planned).
double date_bond(const calibration::RateIndexPlan& index, const calibration::WaterfallPlan& plan, std::size_t m,
                 std::size_t j, double state) noexcept;

/// What the hedge pays the SPV on date `m` (negative: what the SPV pays), at the period's `fixing`:
/// `N alpha (I - K)` for a swap, `N alpha max(I - K, 0)` for a cap.
double hedge_flow(const calibration::PlannedHedge& hedge, const calibration::WaterfallPlan& plan, std::size_t m,
                  double fixing) noexcept;

/// The hedge's value to the SPV at date `m`, of its periods after `m`: a swap's floating leg less its fixed leg,
/// a cap's caplets (the next at its known fixing, the others by the Hull-White zero-bond put formula, or at their
/// intrinsic value on a projected index). `fixings` are the path's for the index, `state` its state at `t_m`.
double hedge_value(const calibration::PlannedHedge& hedge, const calibration::RateIndexPlan& index,
                   const calibration::WaterfallPlan& plan, std::size_t m, double state,
                   std::span<const double> fixings) noexcept;

}  // namespace computedebt::waterfall
