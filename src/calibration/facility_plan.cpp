#include <computedebt/calibration/facility_plan.hpp>
#include <computedebt/calibration/plan.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace computedebt::calibration {

namespace {

/// Straight-line depreciation from 1 at commissioning to `residual` at the end of the useful life.
double depreciated_share(const deal::DepreciatedCost& cost, double age_years) {
  const double share = 1.0 - (1.0 - cost.residual_fraction) * age_years / cost.useful_life_years;
  return std::max(cost.residual_fraction, share);
}

}  // namespace

double FacilityPlan::base_case_income(std::size_t k, bool re_leased) const noexcept {
  double income = 0.0;
  for (std::size_t f = 0; f < facilities; ++f) {
    if (static_cast<int>(k) < commissioned_month[f]) continue;
    const std::size_t at = f * columns + k;
    if (re_leased && re_lease) income += std::max(0.0, megawatts[f] - base_leased[at]) * re_lease_income_per_mw[k];
    income -= opex[at];
  }
  return income;
}

FacilityPlan plan_facilities(const io::DealFile& file, const Plan& plan) {
  const auto& deal = file.deal;
  FacilityPlan facilities;
  if (deal.facilities.empty()) return facilities;
  const auto& grid = plan.grid;
  const std::size_t columns = grid.dates.size();
  facilities.facilities = deal.facilities.size();
  facilities.columns = columns;
  for (const auto& facility : deal.facilities) {
    facilities.megawatts.push_back(facility.megawatts);
    facilities.haircut.push_back(facility.liquidation_haircut);
    // The first month whose days all follow commissioning; a facility commissioned by t0 counts from month 1.
    int month = 1;
    while (month < static_cast<int>(columns) && grid.dates[static_cast<std::size_t>(month - 1)] < facility.commissioned)
      ++month;
    facilities.commissioned_month.push_back(month);
    const auto* cost = std::get_if<deal::DepreciatedCost>(&facility.value);
    facilities.cap_rate.push_back(cost ? 0.0 : std::get<deal::CapRate>(facility.value).cap_rate);
    for (std::size_t k = 0; k < columns; ++k) {
      const bool running = k >= static_cast<std::size_t>(month);
      const double age =
          static_cast<double>(days_between(facility.commissioned, grid.dates[k])) / 365.25;  // years, Act/365.25
      facilities.depreciated_cost.push_back(running && cost ? facility.megawatts * facility.build_cost_per_mw *
                                                                  depreciated_share(*cost, std::max(0.0, age))
                                                            : 0.0);
      facilities.opex.push_back(running ? facility.megawatts * facility.opex_per_mw_month : 0.0);
    }
  }

  const auto& collateral = plan.collateral;
  facilities.base_leased.assign(facilities.facilities * columns, 0.0);
  facilities.base_income.assign(facilities.facilities * columns, 0.0);
  for (std::size_t j = 0; j < deal.contracts.size(); ++j) {
    const auto& contract = deal.contracts[j];
    std::uint32_t f = no_facility;
    if (contract.capacity && !contract.capacity->facility.empty())
      f = static_cast<std::uint32_t>(
          std::find_if(deal.facilities.begin(), deal.facilities.end(),
                       [&](const deal::Facility& x) { return x.id == contract.capacity->facility; }) -
          deal.facilities.begin());
    facilities.contract_facility.push_back(f);
    for (std::size_t k = 0; k < columns; ++k) {
      double leased = 0.0, income = 0.0;
      if (f != no_facility && k > 0) {
        const double days = static_cast<double>(days_between(grid.dates[k - 1], grid.dates[k]));
        leased = contract.capacity->megawatts *
                 overlap_days(grid.dates[k - 1], grid.dates[k], contract.start_date, contract.end_date) / days;
        const std::size_t at = j * columns + k;
        const double rebill = collateral.contract_rebill.empty() ? 0.0 : collateral.contract_rebill[at];
        income = collateral.payments[at] +
                 (rebill - collateral.contract_power[at]) * plan.power.forward_factor(plan.power.contract_zone[j], k);
        facilities.base_leased[f * columns + k] += leased;
        facilities.base_income[f * columns + k] += income;
      }
      facilities.leased.push_back(leased);
      facilities.income.push_back(income);
    }
  }

  const auto& market = file.assumptions.capacity_market;
  facilities.market = market.has_value();
  facilities.re_lease_income_per_mw.assign(columns, 0.0);
  facilities.step_sd.assign(columns, 0.0);
  facilities.half_variance.assign(columns, 0.0);
  if (market) {
    facilities.re_lease = market->re_lease.enabled;
    facilities.re_lease_lag_months = market->re_lease.lag_months;
    facilities.stochastic = market->volatility > 0.0;
    const double sigma = market->volatility;
    for (std::size_t k = 1; k < columns; ++k) {
      // A vacant MW re-leased for the grid month: one kW-month per kW at the price expected at its start.
      facilities.re_lease_income_per_mw[k] = 1000.0 * market->price_per_kw_month *
                                             std::pow(1.0 + market->annual_change, grid.times[k - 1]) *
                                             market->re_lease.utilisation * (1.0 - market->re_lease.discount_to_market);
      facilities.step_sd[k] = sigma * std::sqrt(plan.month_lengths[k]);
      facilities.half_variance[k] = facilities.half_variance[k - 1] + 0.5 * sigma * sigma * plan.month_lengths[k];
    }
    facilities.loadings = assumptions::dense_loadings(file.assumptions.factors, market->factor_loadings);
    facilities.loaded =
        std::any_of(facilities.loadings.begin(), facilities.loadings.end(), [](double a) { return a != 0.0; });
    facilities.independent_weight = std::sqrt(
        std::max(0.0, 1.0 - assumptions::systematic_variance(file.assumptions.factors, market->factor_loadings)));
  }
  // At t0: the depreciated cost then, or the first month's income on the cap rate; nothing before commissioning.
  for (std::size_t f = 0; f < facilities.facilities; ++f) {
    const auto& facility = deal.facilities[f];
    double value = 0.0;
    if (facility.commissioned <= grid.dates.front() && columns > 1) {
      const std::size_t at = f * columns + 1;
      if (const auto* cost = std::get_if<deal::DepreciatedCost>(&facility.value)) {
        const double age = static_cast<double>(days_between(facility.commissioned, grid.dates.front())) / 365.25;
        value = facility.megawatts * facility.build_cost_per_mw * depreciated_share(*cost, age);
      } else {
        const double vacant =
            facilities.re_lease ? std::max(0.0, facility.megawatts - facilities.base_leased[at]) : 0.0;
        const double income =
            facilities.base_income[at] + vacant * facilities.re_lease_income_per_mw[1] - facilities.opex[at];
        value = std::max(0.0, 12.0 * income / facilities.cap_rate[f]);
      }
    }
    facilities.initial_value.push_back(value);
  }
  return facilities;
}

}  // namespace computedebt::calibration
