#pragma once
/// \file
/// A mean-reverting log price on the monthly grid (docs/methodology.md sections 4.9 and 4.12): the forward curve as a
/// factor on a base price, and the exact monthly steps of the log price's Ornstein-Uhlenbeck deviation. The hub's
/// power, each site's own power and the gas price are each one.

#include <computedebt/assumptions/factors.hpp>
#include <computedebt/assumptions/power_market.hpp>
#include <computedebt/calibration/month_grid.hpp>

#include <vector>

namespace computedebt::calibration {

/// Per month `k` of the grid (index 0 unused): the price is `p0 f_k exp(X_k - v_k / 2)`, with `X_k = X_{k-1}
/// decay_k + step_sd_k eps_k` from `X_0 = 0` and `v_k` its variance, so that its mean is the forward `p0 f_k`.
struct PriceProcess {
  std::vector<double> forward_factor;  ///< `f_k`: level ratio, monthly shape and escalator; all 1 without a market.
  bool stochastic = false;             ///< A positive volatility.
  std::vector<double> decay, step_sd;  ///< `exp(-kappa dt_k)`, `sigma sqrt((1 - exp(-2 kappa dt_k)) / (2 kappa))`.
  std::vector<double> half_variance;   ///< `v_k / 2`.
  std::vector<double> loadings;        ///< Dense factor loadings `a` of the log price's noise.
  double independent_weight = 1.0;     ///< `sqrt(1 - a' Sigma a)`.
  bool loaded = false;                 ///< Some loading is not zero.
};

/// A constant forward at `level` times `p0`: the process of a price without a market.
PriceProcess flat_price(std::size_t columns, double level = 1.0);

/// Plans `market` on `grid`, its forward `level` times `p0`; `month_lengths` are the grid's `dt_k`.
PriceProcess plan_price_process(const assumptions::PowerMarket& market, double level,
                                const assumptions::Factors& factors, const MonthGrid& grid,
                                const std::vector<double>& month_lengths);

}  // namespace computedebt::calibration
