#pragma once
/// \file
/// Survival curves sampled on the month grid, from each curve source of the deal format.

#include <computedebt/assumptions/credit.hpp>
#include <computedebt/assumptions/discount_curve.hpp>
#include <computedebt/calibration/month_grid.hpp>
#include <computedebt/calibration/rating_table.hpp>

#include <vector>

namespace computedebt::calibration {

/// `S(t_k) = exp(-h tau(t0, t_k))`.
std::vector<double> survival_from_hazard(const MonthGrid& grid, double hazard_rate);

/// A flat hazard meeting `1 - S(t_{round(12 T)}) = p` exactly.
std::vector<double> survival_from_default_probability(const MonthGrid& grid, double probability, double horizon_years);

/// The table's row for `rating`: node `n` years at `t_{12 n}` with `S = 1 - PD_n`; `ln S` linear in time
/// between nodes (and from `S(t0) = 1`), the last interval's hazard continued beyond the last node.
std::vector<double> survival_from_rating(const MonthGrid& grid, deal::Rating rating, const RatingTable& table);

/// CDS par spreads bootstrapped with QuantLib on the deal's discount curve, sampled on the grid.
/// Throws `Error` if QuantLib cannot bootstrap the quotes.
std::vector<double> survival_from_cds(const MonthGrid& grid, const assumptions::CdsSpreads& cds,
                                      const assumptions::DiscountCurve& discount);

/// The curve of any source.
std::vector<double> survival_curve(const MonthGrid& grid, const assumptions::CurveSource& source,
                                   const assumptions::DiscountCurve& discount);

/// Raises the curve to the power `m` (the hazard times `m`), in place.
void apply_pd_multiplier(std::vector<double>& survival, double multiplier);

}  // namespace computedebt::calibration
