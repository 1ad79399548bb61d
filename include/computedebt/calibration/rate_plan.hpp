#pragma once
/// \file
/// Rate indices on the grid and their fixings on the payment dates (docs/methodology.md section 5.5): the projected
/// index rate of each period and, for Hull-White indices, what a path needs to fix the rate itself.

#include <computedebt/assumptions/assumptions.hpp>
#include <computedebt/calibration/month_grid.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace computedebt::calibration {

/// One rate index. Per-month arrays have `K + 1` entries; per-date arrays `dates + 1`, for the period from date
/// `m - 1` to date `m` (entry 0 unused).
struct RateIndexPlan {
  std::string name;
  std::vector<double> discount;   ///< `P_I(t0, t_k)` on the index's bootstrapped curve.
  std::vector<double> projected;  ///< Per date: the simple forward rate `(P_I(t_{m-1}) / P_I(t_m) - 1) / alpha_m`.

  bool hull_white = false;
  std::vector<double> shift;        ///< Per month: `phi(t_k)`, so the short rate is `r_k = x_k + phi(t_k)`.
  std::vector<double> decay;        ///< Per month: `exp(-a dt_k)`.
  std::vector<double> step_sd;      ///< Per month: `sigma sqrt((1 - exp(-2 a dt_k)) / (2 a))`.
  std::vector<double> loadings;     ///< Dense, per factor: the loadings of the rate's Brownian motion.
  double independent_weight = 1.0;  ///< `sqrt(1 - a' Sigma a)`.
  /// Per date: the period's bond price at its start is `bond_a exp(-bond_b r)`, `r` the short rate then.
  std::vector<double> bond_a, bond_b;
};

/// Every rate index the deal's tranches name, in order of first use.
struct RatePlan {
  std::vector<RateIndexPlan> indices;
  bool hull_white = false;          ///< Some index is stochastic: coupons differ by path.
  bool needs_factor_paths = false;  ///< Some stochastic index loads on the factors.

  /// The position of `name` in `indices`, or `indices.size()`.
  std::size_t find(const std::string& name) const;
};

/// Bootstraps each index a floating tranche names, on the grid and on the payment dates every `frequency_months`.
/// Throws `InputError` naming `assumptions.rate_indices.<name>` when QuantLib cannot fit a curve to the quotes.
RatePlan plan_rates(const MonthGrid& grid, int frequency_months, const std::vector<std::string>& names,
                    const assumptions::Assumptions& assumptions);

}  // namespace computedebt::calibration
