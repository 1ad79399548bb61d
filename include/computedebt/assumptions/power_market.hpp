#pragma once
/// \file
/// The wholesale power price the SPV pays for grid power (docs/methodology.md section 4.9): a forward curve, the
/// operations' price times a monthly shape and an annual escalator, and around it a log price that reverts to it
/// (Ornstein-Uhlenbeck), optionally loading on the systematic factors.

#include <computedebt/assumptions/credit.hpp>

#include <vector>

namespace computedebt::assumptions {

/// The power market of the deal's site.
struct PowerMarket {
  std::vector<double> monthly_shape;  ///< Twelve multipliers of the price, January first; empty: flat.
  double annual_escalator = 0.0;      ///< The forward rises by `(1 + escalator)` a year from the valuation date.
  double mean_reversion = 1.0;        ///< `kappa` per year, > 0.
  double volatility = 0.0;            ///< `sigma` of the log price per sqrt(year); 0: the forward curve.
  FactorLoadings factor_loadings;     ///< Loadings of the log price's Brownian motion; none: independent.

  bool operator==(const PowerMarket&) const = default;
};

}  // namespace computedebt::assumptions
