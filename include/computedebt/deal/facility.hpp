#pragma once
/// \file
/// A data-centre facility of the SPV: capacity its tenants lease, and collateral (docs/methodology.md section 4.11).

#include <computedebt/core/date.hpp>

#include <string>
#include <variant>

namespace computedebt::deal {

/// Straight-line depreciation of the build cost from commissioning to a residual share at the end of its life.
struct DepreciatedCost {
  double useful_life_years = 30.0;  ///< In (0, 100].
  double residual_fraction = 0.0;   ///< Share of the build cost left at the end of its life, in [0, 1].

  bool operator==(const DepreciatedCost&) const = default;
};

/// The facility's annualised net operating income over a capitalisation rate.
struct CapRate {
  double cap_rate = 0.07;  ///< In (0, 1].

  bool operator==(const CapRate&) const = default;
};

/// How a facility's market value is set.
using FacilityValue = std::variant<DepreciatedCost, CapRate>;

/// A data-centre facility: critical IT load offered to capacity tenants, built at a cost, valued, and sold in a
/// liquidation and at the deal's end.
struct Facility {
  std::string id;                    ///< Unique among the facilities; capacity leases name it.
  double megawatts = 0.0;            ///< Critical IT load its capacity tenants can lease (> 0).
  Date commissioned;                 ///< It earns, costs and is worth something from this date.
  double build_cost_per_mw = 0.0;    ///< All-in cost per MW of IT load.
  double opex_per_mw_month = 0.0;    ///< Fixed operating cost per MW per month once commissioned, leased or not.
  FacilityValue value;               ///< Its market value before the market multiplier.
  double liquidation_haircut = 0.3;  ///< Share of its market value lost in a sale, in [0, 1].
  std::string site;                  ///< The site whose power its leases draw; empty: the deal's default site.

  bool operator==(const Facility&) const = default;
};

}  // namespace computedebt::deal
