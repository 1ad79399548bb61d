#pragma once
/// \file
/// The power prices, the PPAs and behind-the-meter generation on the monthly grid (docs/methodology.md sections 4.9
/// and 4.12): the hub's price and each site's own, the gas price, and where each contract, GPU type and PPA draws or
/// settles its power.

#include <computedebt/assumptions/assumptions.hpp>
#include <computedebt/calibration/collateral_plan.hpp>
#include <computedebt/calibration/month_grid.hpp>
#include <computedebt/calibration/price_process.hpp>
#include <computedebt/deal/deal.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace computedebt::calibration {

/// Every power quantity of the plans is money at the hub's base price `p0`: MWh times `p0`. A zone's price per MWh in
/// month `k` is `p0` times its market's factor, which carries the site's level (docs/methodology.md section 4.12).
struct PowerPlan {
  double base_price_per_mwh = 0.0;  ///< `p0`, `operations.power_price_per_mwh`.
  /// The price processes: the hub's first (`assumptions.power_market`, or a flat forward), then each site's own market
  /// in the order of `deal.sites`.
  std::vector<PriceProcess> markets;
  bool market = false;  ///< The assumptions give the hub a power market.
  /// Zone 0 is the deal's default site, zone `1 + i` is `deal.sites[i]`; per zone, its market.
  std::vector<std::uint32_t> zone_market;
  std::vector<std::string> site_ids;  ///< `deal.sites[i].id`, the site of zone `1 + i`.
  std::vector<std::uint32_t>
      contract_zone;                     ///< Per contract: a capacity lease's facility's site, a GPU lease's type's.
  std::vector<std::uint32_t> type_zone;  ///< Per GPU type of the collateral plan.
  /// Per month: the whole fleet's power at full draw and the forward price, with the power the SPV buys for its
  /// capacity leases, the scale of the power cost's fan chart.
  std::vector<double> fleet_power_cost;
  // The PPAs: each one's counterparty (its credit name), zone, and per PPA and month its volume (MWh) and price.
  std::vector<std::uint32_t> ppa_counterparty, ppa_zone;
  std::vector<double> ppa_volume;  ///< `ppas x (K + 1)`.
  std::vector<double> ppa_price;   ///< Per PPA, per MWh.
  // Behind-the-meter generation, per zone (zones without it: no output): the MWh it can supply in month `k` at
  // `zones x (K + 1)`, its heat rate, its variable O&M per MWh, and whether it must run. Empty without any.
  std::vector<double> generation_mwh, heat_rate, variable_om;
  std::vector<char> must_run;
  PriceProcess gas;  ///< The gas price as a factor on `gas_price_per_mmbtu`.
  double gas_price_per_mmbtu = 0.0;

  const PriceProcess& hub() const noexcept { return markets.front(); }
  std::size_t zones() const noexcept { return zone_market.size(); }
  std::size_t ppas() const noexcept { return ppa_counterparty.size(); }
  bool has_generation() const noexcept { return !generation_mwh.empty(); }
  /// Some price moves on a path: power in any market, or gas.
  bool stochastic() const noexcept;
  /// Some price's noise loads on the systematic factors.
  bool loaded() const noexcept;
  /// Whether the deal has a power market, a PPA or a site of its own: the power cost's fan chart is reported.
  bool has_market() const noexcept { return market || !ppa_counterparty.empty() || zones() > 1; }
  /// The forward factor of zone `z` in month `k`.
  double forward_factor(std::size_t z, std::size_t k) const noexcept {
    return markets[zone_market[z]].forward_factor[k];
  }
};

/// Plans the power markets, the deal's PPAs and its generation on `grid`; `month_lengths` are the grid's `dt_k`.
PowerPlan plan_power(const deal::Deal& deal, const assumptions::Assumptions& assumptions, const MonthGrid& grid,
                     const std::vector<double>& month_lengths);

/// Adds to `energy`, term by term, the contracts' power in month `k` at the forward prices, the PPAs settled against
/// them and the generation that would serve the contracts' load at the forward gas price; returns what cost-plus
/// tenants are billed for that power. The base case of the DSCR sculpt and of the first-date warnings.
double add_forward_power(const PowerPlan& plan, const CollateralPlan& collateral, std::size_t k, double& energy);

/// The cost of one MWh generated behind the meter of zone `z` at gas price `gas_per_mmbtu`.
inline double generation_cost(const PowerPlan& plan, std::size_t z, double gas_per_mmbtu) noexcept {
  return plan.heat_rate[z] * gas_per_mmbtu + plan.variable_om[z];
}

/// What generation changes in zone `z`'s month-`k` power bill, against buying all of it from the grid: `demand` is
/// the zone's load as money at `p0` (MWh x `p0`), `price_factor` its grid price on `p0`, and `gas_per_mmbtu` the gas
/// price. Economic dispatch runs the plant only when it is cheaper than the grid; must-run always, up to the load.
inline double generation_adjustment(const PowerPlan& plan, std::size_t z, std::size_t k, double demand,
                                    double price_factor, double gas_per_mmbtu) noexcept {
  const std::size_t at = z * plan.fleet_power_cost.size() + k;
  const double generated = std::min(plan.generation_mwh[at], std::max(0.0, demand) / plan.base_price_per_mwh);
  const double saving = generation_cost(plan, z, gas_per_mmbtu) - plan.base_price_per_mwh * price_factor;
  return generated * (plan.must_run[z] ? saving : std::min(0.0, saving));
}

}  // namespace computedebt::calibration
