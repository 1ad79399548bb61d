#pragma once
/// \file
/// A GPU model in the fleet.

#include <string>

namespace computedebt::deal {

/// A GPU model: what one unit costs new and the power it draws.
struct GpuType {
  std::string id;         ///< Unique within the deal, e.g. `H100`.
  double purchase_price;  ///< Price of one new GPU, in the deal currency (> 0).
  double power_kw;        ///< Power drawn by one GPU under load, in kW (>= 0).
  std::string site;       ///< The site whose power its GPUs draw; empty: the deal's default site.

  bool operator==(const GpuType&) const = default;
};

}  // namespace computedebt::deal
