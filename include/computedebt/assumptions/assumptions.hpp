#pragma once
/// \file
/// The modeller's view of a deal: credit, correlation, GPU market, operations, discounting.

#include <computedebt/assumptions/capacity_market.hpp>
#include <computedebt/assumptions/copula.hpp>
#include <computedebt/assumptions/credit.hpp>
#include <computedebt/assumptions/delivery_delay.hpp>
#include <computedebt/assumptions/discount_curve.hpp>
#include <computedebt/assumptions/factors.hpp>
#include <computedebt/assumptions/gpu_market.hpp>
#include <computedebt/assumptions/operations.hpp>
#include <computedebt/assumptions/power_market.hpp>
#include <computedebt/assumptions/rate_index.hpp>

#include <map>
#include <optional>
#include <string>

namespace computedebt::assumptions {

/// One assumption set; the same deal runs under several (base case, stresses).
struct Assumptions {
  DiscountCurve discount_curve;
  Factors factors;
  Copula copula;
  std::map<std::string, SectorAssumptions> sectors;  ///< By sector name.
  std::map<std::string, CreditAssumptions> credit;   ///< By counterparty id.
  std::map<std::string, GpuMarket> gpu_market;       ///< By GPU type id.
  Operations operations;
  std::map<std::string, RateIndex> rate_indices;  ///< By index name, for floating-rate tranches.
  std::optional<DeliveryDelay> delivery_delay;    ///< Without it, every delivery arrives on time.
  std::optional<PowerMarket> power_market;        ///< Without it, power costs `operations.power_price_per_mwh`.
  std::map<std::string, SitePowerMarket> site_power_markets;  ///< By site id; a site without one uses the hub's.
  std::optional<GasMarket> gas_market;                        ///< Needed by behind-the-meter generation.
  std::optional<CapacityMarket> capacity_market;              ///< Without it, a facility's vacant load stays vacant.

  bool operator==(const Assumptions&) const = default;
};

}  // namespace computedebt::assumptions
