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
  double mean_reversion = 0.0, volatility = 0.0;  ///< `a` and `sigma`.
  std::vector<double> decay;                      ///< Per month: `exp(-a dt_k)`, for the state `x`.
  std::vector<double> step_sd;                    ///< Per month: `sigma sqrt((1 - exp(-2 a dt_k)) / (2 a))`.
  std::vector<double> loadings;                   ///< Dense, per factor: the loadings of the rate's Brownian motion.
  double independent_weight = 1.0;                ///< `sqrt(1 - a' Sigma a)`.
  std::vector<double> forward;                    ///< Per date: the curve's instantaneous forward `f(0, t_m)`.
  std::vector<double> variance;  ///< Per date: the state's variance `v(t_m) = sigma^2 (1 - e^{-2 a t_m}) / (2 a)`.
  /// Per date: QuantLib's Hull-White bond price over the period is `P(t_{m-1}, t_m | r) = bond_a exp(-bond_b r)`.
  std::vector<double> bond_a, bond_b;
  /// For hedged Hull-White indices, `(dates + 1) x (dates + 1)`: `P(t_m, t_j | r) = date_bond_a[m (dates + 1) + j]
  /// exp(-B(t_j - t_m) r)` for `m <= j`, the bond prices a hedge's close-out needs.
  std::vector<double> date_bond_a;
};

/// Every rate index the deal's tranches and hedges name, in order of first use (tranches first).
struct RatePlan {
  std::vector<RateIndexPlan> indices;
  bool hull_white = false;          ///< Some index is stochastic: coupons and hedge payments differ by path.
  bool needs_factor_paths = false;  ///< Some stochastic index loads on the factors.

  /// The position of `name` in `indices`, or `indices.size()`.
  std::size_t find(const std::string& name) const;
};

/// Bootstraps each index in `names` (those floating tranches and hedges name), on the grid and on the payment dates
/// every `frequency_months`; for the indices in `hedged`, also the bond prices between payment dates. Throws
/// `InputError` naming `assumptions.rate_indices.<name>` when QuantLib cannot fit a curve to the quotes.
RatePlan plan_rates(const MonthGrid& grid, int frequency_months, const std::vector<std::string>& names,
                    const std::vector<std::string>& hedged, const assumptions::Assumptions& assumptions);

}  // namespace computedebt::calibration
