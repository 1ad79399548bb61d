#pragma once
/// \file
/// The power price and the PPAs on the monthly grid (docs/methodology.md section 4.9): the forward curve as a factor
/// on `operations.power_price_per_mwh`, the exact monthly steps of the log price's Ornstein-Uhlenbeck deviation,
/// and each PPA's volume per month.

#include <computedebt/assumptions/assumptions.hpp>
#include <computedebt/calibration/month_grid.hpp>
#include <computedebt/deal/deal.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace computedebt::calibration {

/// Per month `k` of the grid (index 0 unused): the price is `p0 f_k exp(X_k - v_k / 2)`, with `X_k = X_{k-1}
/// decay_k + step_sd_k eps_k` from `X_0 = 0` and `v_k` its variance, so that its mean is the forward `p0 f_k`.
struct PowerPlan {
  double base_price_per_mwh = 0.0;     ///< `p0`, `operations.power_price_per_mwh`.
  std::vector<double> forward_factor;  ///< `f_k`: the monthly shape and escalator; all 1 without a power market.
  bool stochastic = false;             ///< A positive volatility.
  std::vector<double> decay, step_sd;  ///< `exp(-kappa dt_k)`, `sigma sqrt((1 - exp(-2 kappa dt_k)) / (2 kappa))`.
  std::vector<double> half_variance;   ///< `v_k / 2`.
  std::vector<double> loadings;        ///< Dense factor loadings `a` of the log price's noise.
  double independent_weight = 1.0;     ///< `sqrt(1 - a' Sigma a)`.
  bool loaded = false;                 ///< Some loading is not zero.
  /// Per month: the whole fleet's power at full draw and the forward price, with the power the SPV buys for its
  /// capacity leases, the scale of the power cost's fan chart.
  std::vector<double> fleet_power_cost;
  // The PPAs: each one's counterparty (its credit name), and per PPA and month its volume (MWh) and price.
  std::vector<std::uint32_t> ppa_counterparty;
  std::vector<double> ppa_volume;  ///< `ppas x (K + 1)`.
  std::vector<double> ppa_price;   ///< Per PPA, per MWh.

  std::size_t ppas() const noexcept { return ppa_counterparty.size(); }
  bool market = false;  ///< The assumptions give a power market.
  /// Whether the deal has a power market or a PPA: the power cost's fan chart is reported.
  bool has_market() const noexcept { return market || !ppa_counterparty.empty(); }
};

/// Plans the power market and the deal's PPAs on `grid`; `month_lengths` are the grid's `dt_k`.
PowerPlan plan_power(const deal::Deal& deal, const assumptions::Assumptions& assumptions, const MonthGrid& grid,
                     const std::vector<double>& month_lengths);

}  // namespace computedebt::calibration
