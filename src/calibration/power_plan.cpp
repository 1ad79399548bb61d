#include <computedebt/calibration/power_plan.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace computedebt::calibration {

namespace {

/// The zone of site `id`: 0 for none, else one past its index in `deal.sites`.
std::uint32_t zone_of(const deal::Deal& deal, const std::string& id) {
  if (id.empty()) return 0;
  const auto found =
      std::find_if(deal.sites.begin(), deal.sites.end(), [&](const deal::Site& site) { return site.id == id; });
  return static_cast<std::uint32_t>(found - deal.sites.begin()) + 1;
}

/// The zone a contract draws its power in: its facility's site for a capacity lease, its GPU type's for a GPU lease.
std::uint32_t contract_zone(const deal::Deal& deal, const deal::Contract& contract) {
  if (contract.capacity) {
    for (const auto& facility : deal.facilities)
      if (facility.id == contract.capacity->facility) return zone_of(deal, facility.site);
    return 0;
  }
  for (const auto& type : deal.gpu_types)
    if (contract.lease && type.id == contract.lease->gpu_type) return zone_of(deal, type.site);
  return 0;
}

double days_of_month(const MonthGrid& grid, std::size_t k) {
  return static_cast<double>((std::chrono::sys_days(grid.dates[k]) - std::chrono::sys_days(grid.dates[k - 1])).count());
}

}  // namespace

bool PowerPlan::stochastic() const noexcept {
  return gas.stochastic ||
         std::any_of(markets.begin(), markets.end(), [](const PriceProcess& process) { return process.stochastic; });
}

bool PowerPlan::loaded() const noexcept {
  return gas.loaded || std::any_of(markets.begin(), markets.end(), [](const PriceProcess& p) { return p.loaded; });
}

double add_forward_power(const PowerPlan& plan, const CollateralPlan& collateral, std::size_t k, double& energy) {
  const std::size_t columns = collateral.columns;
  double rebill = 0.0;
  if (plan.zones() == 1) {
    energy += collateral.base_contract_power[k] * plan.hub().forward_factor[k];
    rebill = collateral.base_contract_rebill[k] * plan.hub().forward_factor[k];
  } else {
    std::vector<double> demand(plan.zones(), 0.0);
    for (std::size_t j = 0; j < collateral.contracts; ++j) {
      const std::size_t zone = plan.contract_zone[j];
      const double forward = plan.forward_factor(zone, k);
      demand[zone] += collateral.contract_power[j * columns + k];
      energy += collateral.contract_power[j * columns + k] * forward;
      if (!collateral.contract_rebill.empty()) rebill += collateral.contract_rebill[j * columns + k] * forward;
    }
    for (std::size_t z = 1; z < plan.zones() && plan.has_generation(); ++z)
      if (plan.generation_mwh[z * columns + k] > 0.0)
        energy += generation_adjustment(plan, z, k, demand[z], plan.forward_factor(z, k),
                                        plan.gas_price_per_mmbtu * plan.gas.forward_factor[k]);
  }
  for (std::size_t j = 0; j < plan.ppas(); ++j)
    energy += plan.ppa_volume[j * columns + k] *
              (plan.ppa_price[j] - plan.base_price_per_mwh * plan.forward_factor(plan.ppa_zone[j], k));
  return rebill;
}

PowerPlan plan_power(const deal::Deal& deal, const assumptions::Assumptions& assumptions, const MonthGrid& grid,
                     const std::vector<double>& month_lengths) {
  const std::size_t columns = grid.dates.size();
  PowerPlan plan;
  plan.base_price_per_mwh = assumptions.operations.power_price_per_mwh;
  plan.market = assumptions.power_market.has_value();
  plan.markets.push_back(
      plan.market ? plan_price_process(*assumptions.power_market, 1.0, assumptions.factors, grid, month_lengths)
                  : flat_price(columns));
  plan.zone_market.push_back(0);
  for (const auto& site : deal.sites) {
    plan.site_ids.push_back(site.id);
    const auto own = assumptions.site_power_markets.find(site.id);
    if (own == assumptions.site_power_markets.end()) {
      plan.zone_market.push_back(0);
      continue;
    }
    // The loader requires a positive hub price when a site has its own market: it is the unit.
    plan.zone_market.push_back(static_cast<std::uint32_t>(plan.markets.size()));
    plan.markets.push_back(plan_price_process(own->second.process, own->second.price_per_mwh / plan.base_price_per_mwh,
                                              assumptions.factors, grid, month_lengths));
  }
  plan.gas = flat_price(columns);
  if (const auto& gas = assumptions.gas_market) {
    plan.gas = plan_price_process(gas->process, 1.0, assumptions.factors, grid, month_lengths);
    plan.gas_price_per_mmbtu = gas->price_per_mmbtu;
  }
  for (const auto& contract : deal.contracts) plan.contract_zone.push_back(contract_zone(deal, contract));
  for (const auto& type : deal.gpu_types) plan.type_zone.push_back(zone_of(deal, type.site));

  // The fleet's draw, and with several zones each type's at its zone's forward price.
  double fleet_kw = 0.0;
  std::vector<double> type_kw(deal.gpu_types.size(), 0.0);
  for (const auto& cohort : deal::effective_fleet(deal))
    for (std::size_t g = 0; g < deal.gpu_types.size(); ++g)
      if (deal.gpu_types[g].id == cohort.gpu_type) {
        fleet_kw += static_cast<double>(cohort.count) * deal.gpu_types[g].power_kw;
        type_kw[g] += static_cast<double>(cohort.count) * deal.gpu_types[g].power_kw;
      }
  plan.fleet_power_cost.assign(columns, 0.0);
  for (std::size_t k = 1; k < columns; ++k) {
    const double hours = 24.0 * days_of_month(grid, k);
    double kw = fleet_kw, forward = plan.hub().forward_factor[k];
    if (plan.zones() > 1) {
      kw = 0.0;
      forward = 1.0;
      for (std::size_t g = 0; g < type_kw.size(); ++g) kw += type_kw[g] * plan.forward_factor(plan.type_zone[g], k);
    }
    plan.fleet_power_cost[k] = kw * assumptions.operations.pue * hours / 1000.0 * plan.base_price_per_mwh * forward;
    // The capacity leases whose power the SPV buys, at their load factors over their terms.
    for (std::size_t j = 0; j < deal.contracts.size(); ++j) {
      const auto& contract = deal.contracts[j];
      if (contract.capacity && contract.capacity->power != deal::CapacityPower::pass_through)
        plan.fleet_power_cost[k] +=
            contract.capacity->megawatts * 1000.0 * contract.capacity->load_factor * assumptions.operations.pue * 24.0 *
            overlap_days(grid.dates[k - 1], grid.dates[k], contract.start_date, contract.end_date) / 1000.0 *
            plan.base_price_per_mwh * plan.forward_factor(plan.contract_zone[j], k);
    }
  }
  for (const auto& ppa : deal.power_purchases) {
    const auto found = std::find_if(deal.counterparties.begin(), deal.counterparties.end(),
                                    [&](const deal::Counterparty& c) { return c.id == ppa.counterparty; });
    plan.ppa_counterparty.push_back(static_cast<std::uint32_t>(found - deal.counterparties.begin()));
    plan.ppa_zone.push_back(zone_of(deal, ppa.site));
    plan.ppa_price.push_back(ppa.price_per_mwh);
    plan.ppa_volume.push_back(0.0);
    for (std::size_t k = 1; k < columns; ++k)
      plan.ppa_volume.push_back(ppa.volume_mwh_per_month *
                                overlap_days(grid.dates[k - 1], grid.dates[k], ppa.start_date, ppa.end_date) /
                                days_of_month(grid, k));
  }
  const bool generates = std::any_of(deal.sites.begin(), deal.sites.end(),
                                     [](const deal::Site& site) { return site.behind_the_meter.has_value(); });
  if (generates) {
    plan.generation_mwh.assign(plan.zones() * columns, 0.0);
    plan.heat_rate.assign(plan.zones(), 0.0);
    plan.variable_om.assign(plan.zones(), 0.0);
    plan.must_run.assign(plan.zones(), char{0});
    for (std::size_t i = 0; i < deal.sites.size(); ++i) {
      const auto& generation = deal.sites[i].behind_the_meter;
      if (!generation) continue;
      const std::size_t z = i + 1;
      plan.heat_rate[z] = generation->heat_rate_mmbtu_per_mwh;
      plan.variable_om[z] = generation->variable_om_per_mwh;
      plan.must_run[z] = generation->dispatch == deal::Dispatch::must_run;
      for (std::size_t k = 1; k < columns; ++k)
        plan.generation_mwh[z * columns + k] =
            generation->megawatts * generation->availability * 24.0 * days_of_month(grid, k);
    }
  }
  return plan;
}

}  // namespace computedebt::calibration
