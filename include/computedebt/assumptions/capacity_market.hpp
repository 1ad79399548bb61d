#pragma once
/// \file
/// The market for data-centre capacity (docs/methodology.md section 4.11): the price per kW-month a vacant facility
/// re-leases at, moving with a multiplier that can load on the systematic factors.

#include <computedebt/assumptions/credit.hpp>

namespace computedebt::assumptions {

/// Re-leasing a facility's vacant capacity at the market price.
struct CapacityReLease {
  bool enabled = true;
  int lag_months = 6;               ///< Months a defaulted tenant's load stays vacant before it is re-leased.
  double utilisation = 0.9;         ///< Share of the vacant load leased.
  double discount_to_market = 0.1;  ///< Below the market price, for the re-leased load.

  bool operator==(const CapacityReLease&) const = default;
};

/// The capacity market of the deal's facilities.
struct CapacityMarket {
  double price_per_kw_month = 0.0;  ///< The market price at the valuation date (>= 0).
  double annual_change = 0.0;       ///< The expected price moves by `(1 + change)` a year.
  double volatility = 0.0;          ///< Of the log multiplier per sqrt(year); 0: the expected price.
  FactorLoadings factor_loadings;   ///< Loadings of its Brownian motion; none: independent.
  CapacityReLease re_lease;

  bool operator==(const CapacityMarket&) const = default;
};

}  // namespace computedebt::assumptions
