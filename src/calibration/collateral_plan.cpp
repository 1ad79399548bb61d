#include <computedebt/assumptions/discount_curve.hpp>
#include <computedebt/calibration/collateral_plan.hpp>
#include <computedebt/calibration/contract_schedule.hpp>
#include <computedebt/calibration/plan.hpp>
#include <computedebt/core/date.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::calibration {

namespace {

std::size_t type_index(const deal::Deal& deal, const std::string& id) {
  const auto found = std::find_if(deal.gpu_types.begin(), deal.gpu_types.end(),
                                  [&](const deal::GpuType& type) { return type.id == id; });
  return static_cast<std::size_t>(found - deal.gpu_types.begin());
}

}  // namespace

CollateralPlan plan_collateral(const io::DealFile& file, const Plan& plan) {
  const auto& deal = file.deal;
  const auto& operations = file.assumptions.operations;
  const auto& grid = plan.grid;
  CollateralPlan collateral;
  collateral.contracts = deal.contracts.size();
  collateral.types = deal.gpu_types.size();
  collateral.columns = grid.dates.size();
  const std::size_t columns = collateral.columns;
  collateral.fixed_opex_per_gpu_month = operations.fixed_opex_per_gpu_month;
  collateral.recovery_lag_months = operations.recovery_lag_months;
  collateral.re_lease = operations.re_lease.enabled;
  collateral.re_lease_lag_months = operations.re_lease.lag_months;
  collateral.liquidation_haircut = operations.liquidation.haircut;
  collateral.liquidation_lag_months = operations.liquidation.lag_months;

  std::vector<double> days(columns, 0.0);
  for (std::size_t k = 1; k < columns; ++k)
    days[k] = static_cast<double>(days_between(grid.dates[k - 1], grid.dates[k]));
  const double power_price_per_kwh = operations.power_price_per_mwh / 1000.0;

  // Claims reach past the grid to each contract's end (docs/methodology.md section 4.6), so they use a grid
  // extended to the month containing the last end date. The grid's own `month_containing` stops at `K + 1`.
  int last_end = grid.months();
  for (const auto& contract : deal.contracts)
    while (add_months(grid.dates.front(), last_end) < contract.end_date) ++last_end;
  const MonthGrid extended = last_end > grid.months() ? make_month_grid(grid.dates.front(), last_end) : grid;
  std::vector<double> extended_discount;
  for (double t : extended.times)
    extended_discount.push_back(std::exp(-assumptions::zero_rate(file.assumptions.discount_curve, t) * t));

  collateral.base_occupancy.assign(collateral.types * columns, 0.0);
  collateral.base_payments.assign(columns, 0.0);
  collateral.base_contract_power.assign(columns, 0.0);
  collateral.base_contract_rebill.assign(columns, 0.0);
  const bool rebills = std::any_of(deal.contracts.begin(), deal.contracts.end(), [](const deal::Contract& c) {
    return c.capacity && c.capacity->power == deal::CapacityPower::cost_plus;
  });
  for (const auto& contract : deal.contracts) {
    // Validation gives every contract of a waterfall deal a GPU lease or a capacity lease.
    const auto g = contract.lease ? type_index(deal, contract.lease->gpu_type) : std::size_t{no_gpu_type};
    collateral.contract_type.push_back(static_cast<std::uint32_t>(g));
    const auto schedule = promised_schedule(contract, extended);
    std::vector<double> claims(schedule.size() + 1, 0.0);
    for (std::size_t k = schedule.size() - 1; k >= 1; --k)
      claims[k] = claims[k + 1] + schedule[k] * extended_discount[k];
    for (std::size_t k = 0; k < columns; ++k) {
      const double leased_days =
          k == 0 ? 0.0 : overlap_days(grid.dates[k - 1], grid.dates[k], contract.start_date, contract.end_date);
      double power = 0.0, rebill = 0.0, occupancy = 0.0;
      if (contract.lease) {
        const auto count = static_cast<double>(contract.lease->gpu_count);
        if (!contract.power_pass_through)
          power = deal.gpu_types[g].power_kw * operations.pue * 24.0 * leased_days * count * power_price_per_kwh;
        occupancy = k == 0 ? 0.0 : count * leased_days / days[k];
        collateral.base_occupancy[g * columns + k] += occupancy;
      } else {
        // The tenant's load at its load factor, grossed up by the PUE (docs/methodology.md section 4.10).
        const auto& capacity = *contract.capacity;
        if (capacity.power != deal::CapacityPower::pass_through)
          power = capacity.megawatts * 1000.0 * capacity.load_factor * operations.pue * 24.0 * leased_days *
                  power_price_per_kwh;
        if (capacity.power == deal::CapacityPower::cost_plus) rebill = power * (1.0 + capacity.power_margin);
      }
      collateral.payments.push_back(schedule[k]);
      collateral.contract_power.push_back(power);
      if (rebills) collateral.contract_rebill.push_back(rebill);
      collateral.occupancy.push_back(occupancy);
      collateral.claim.push_back(k == 0 ? 0.0 : claims[k] / extended_discount[k]);
      collateral.base_payments[k] += schedule[k];
      collateral.base_contract_power[k] += power;
      collateral.base_contract_rebill[k] += rebill;
    }
  }

  const auto& gpu = plan.gpu;
  collateral.fleet.assign(collateral.types, 0.0);
  collateral.owned.assign(collateral.types * columns, 0.0);
  collateral.value_per_gpu.assign(collateral.types * columns, 0.0);
  for (std::size_t c = 0; c < gpu.cohorts; ++c) {
    const std::size_t g = gpu.cohort_type[c];
    const auto count = static_cast<double>(gpu.cohort_count[c]);
    collateral.fleet[g] += count;
    const int funded = gpu.cohort_month[c];
    for (std::size_t k = 0; k < columns; ++k) {
      if (funded == 0 || static_cast<int>(k) > funded) collateral.owned[g * columns + k] += count;
      collateral.value_per_gpu[g * columns + k] += count * gpu.cohort_value[c * columns + k];
    }
    if (funded > 0)
      collateral.deliveries.push_back(
          {static_cast<std::uint32_t>(c), funded, static_cast<std::uint32_t>(g), count, count * gpu.cohort_price[c]});
  }
  // The contracts each delivery's GPUs are leased to.
  collateral.contract_delivery.assign(collateral.contracts, no_delivery);
  collateral.tied_start.assign(collateral.deliveries.size() + 1, 0);
  const auto& fleet = file.deal.fleet;
  for (std::size_t d = 0; d < collateral.deliveries.size(); ++d) {
    const auto& id = (*fleet)[collateral.deliveries[d].cohort].id;
    for (std::size_t j = 0; j < collateral.contracts; ++j)
      if (!id.empty() && file.deal.contracts[j].lease && file.deal.contracts[j].cohort == id) {
        collateral.contract_delivery[j] = static_cast<std::uint32_t>(d);
        collateral.tied.push_back(static_cast<std::uint32_t>(j));
      }
    collateral.tied_start[d + 1] = static_cast<std::uint32_t>(collateral.tied.size());
  }
  const auto& re_lease = operations.re_lease;
  for (std::size_t g = 0; g < collateral.types; ++g) {
    const auto& type = deal.gpu_types[g];
    for (std::size_t k = 0; k < columns; ++k) {
      const double owned = collateral.owned[g * columns + k];
      if (owned > 0.0) collateral.value_per_gpu[g * columns + k] /= owned;
      const double hours = 24.0 * days[k];
      collateral.spot_revenue_per_gpu.push_back(re_lease.utilisation * (1.0 - re_lease.discount_to_index) *
                                                gpu.rent[g * columns + k] * hours);
      collateral.spot_power_per_gpu.push_back(re_lease.utilisation * type.power_kw * operations.pue * hours *
                                              power_price_per_kwh);
    }
  }
  return collateral;
}

}  // namespace computedebt::calibration
