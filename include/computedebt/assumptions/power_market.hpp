#pragma once
/// \file
/// The wholesale power price the SPV pays for grid power (docs/methodology.md section 4.9): a forward curve, the
/// operations' price times a monthly shape and an annual escalator, and around it a log price that reverts to it
/// (Ornstein-Uhlenbeck), optionally loading on the systematic factors. Sites may have their own, and gas follows the
/// same process (section 4.12).

#include <computedebt/assumptions/credit.hpp>

#include <vector>

namespace computedebt::assumptions {

/// The power market of the deal's default site; also the shape of a site's own market and of the gas price.
struct PowerMarket {
  std::vector<double> monthly_shape;  ///< Twelve multipliers of the price, January first; empty: flat.
  double annual_escalator = 0.0;      ///< The forward rises by `(1 + escalator)` a year from the valuation date.
  double mean_reversion = 1.0;        ///< `kappa` per year, > 0.
  double volatility = 0.0;            ///< `sigma` of the log price per sqrt(year); 0: the forward curve.
  FactorLoadings factor_loadings;     ///< Loadings of the log price's Brownian motion; none: independent.

  bool operator==(const PowerMarket&) const = default;
};

/// A site's own power market (docs/methodology.md section 4.12): its price level and its log price's process.
struct SitePowerMarket {
  double price_per_mwh = 0.0;  ///< The site's forward price level, as `operations.power_price_per_mwh` is the hub's.
  PowerMarket process;

  bool operator==(const SitePowerMarket&) const = default;
};

/// The gas price that behind-the-meter generation burns (docs/methodology.md section 4.12): a level and a log price
/// that reverts to its forward curve as power's does.
struct GasMarket {
  double price_per_mmbtu = 0.0;
  PowerMarket process;

  bool operator==(const GasMarket&) const = default;
};

}  // namespace computedebt::assumptions
