#include <computedebt/calibration/power_plan.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace computedebt::calibration {

namespace {

/// The monthly shape over `[start, end)`: its calendar month's, or the shapes of the calendar months it spans
/// weighted by their days.
double day_weighted_shape(const std::vector<double>& shape, Date start, Date end) {
  const auto first = std::chrono::sys_days(start), last = std::chrono::sys_days(end);
  const auto month_of = [&](std::chrono::year_month_day date) {
    return shape[static_cast<unsigned>(date.month()) - 1];
  };
  const std::chrono::year_month_day final_day{last - std::chrono::days{1}};
  if (start.year() == final_day.year() && start.month() == final_day.month()) return month_of(start);
  double weighted = 0.0;
  for (auto day = first; day < last;) {
    const std::chrono::year_month_day date{day};
    const auto next = std::min(last, std::chrono::sys_days(date.year() / date.month() / 1 + std::chrono::months{1}));
    weighted += month_of(date) * static_cast<double>((next - day).count());
    day = next;
  }
  return weighted / static_cast<double>((last - first).count());
}

}  // namespace

PowerPlan plan_power(const deal::Deal& deal, const assumptions::Assumptions& assumptions, const MonthGrid& grid,
                     const std::vector<double>& month_lengths) {
  const std::size_t columns = grid.dates.size();
  PowerPlan plan;
  plan.base_price_per_mwh = assumptions.operations.power_price_per_mwh;
  plan.forward_factor.assign(columns, 1.0);
  plan.decay.assign(columns, 0.0);
  plan.step_sd.assign(columns, 0.0);
  plan.half_variance.assign(columns, 0.0);
  plan.market = assumptions.power_market.has_value();
  if (const auto& market = assumptions.power_market) {
    for (std::size_t k = 1; k < columns; ++k) {
      // Month k runs over [t_{k-1}, t_k): the shape of its days' calendar months, day-weighted (the grid's months
      // start on the valuation date's day), escalated from t0 to its start.
      const double shape = market->monthly_shape.empty()
                               ? 1.0
                               : day_weighted_shape(market->monthly_shape, grid.dates[k - 1], grid.dates[k]);
      plan.forward_factor[k] = shape * std::pow(1.0 + market->annual_escalator, grid.times[k - 1]);
    }
    plan.stochastic = market->volatility > 0.0;
    const double kappa = market->mean_reversion, sigma = market->volatility;
    double variance = 0.0;
    for (std::size_t k = 1; k < columns; ++k) {
      const double decay = std::exp(-kappa * month_lengths[k]);
      const double step_variance = sigma * sigma * -std::expm1(-2.0 * kappa * month_lengths[k]) / (2.0 * kappa);
      plan.decay[k] = decay;
      plan.step_sd[k] = std::sqrt(step_variance);
      variance = variance * decay * decay + step_variance;
      plan.half_variance[k] = 0.5 * variance;
    }
    plan.loadings = assumptions::dense_loadings(assumptions.factors, market->factor_loadings);
    plan.loaded = std::any_of(plan.loadings.begin(), plan.loadings.end(), [](double a) { return a != 0.0; });
    plan.independent_weight =
        std::sqrt(std::max(0.0, 1.0 - assumptions::systematic_variance(assumptions.factors, market->factor_loadings)));
  }
  double fleet_kw = 0.0;
  for (const auto& cohort : deal::effective_fleet(deal))
    for (const auto& type : deal.gpu_types)
      if (type.id == cohort.gpu_type) fleet_kw += static_cast<double>(cohort.count) * type.power_kw;
  plan.fleet_power_cost.assign(columns, 0.0);
  for (std::size_t k = 1; k < columns; ++k) {
    const double hours =
        24.0 *
        static_cast<double>((std::chrono::sys_days(grid.dates[k]) - std::chrono::sys_days(grid.dates[k - 1])).count());
    plan.fleet_power_cost[k] =
        fleet_kw * assumptions.operations.pue * hours / 1000.0 * plan.base_price_per_mwh * plan.forward_factor[k];
    // The capacity leases whose power the SPV buys, at their load factors over their terms.
    for (const auto& contract : deal.contracts)
      if (contract.capacity && contract.capacity->power != deal::CapacityPower::pass_through)
        plan.fleet_power_cost[k] +=
            contract.capacity->megawatts * 1000.0 * contract.capacity->load_factor * assumptions.operations.pue * 24.0 *
            overlap_days(grid.dates[k - 1], grid.dates[k], contract.start_date, contract.end_date) / 1000.0 *
            plan.base_price_per_mwh * plan.forward_factor[k];
  }
  for (const auto& ppa : deal.power_purchases) {
    const auto found = std::find_if(deal.counterparties.begin(), deal.counterparties.end(),
                                    [&](const deal::Counterparty& c) { return c.id == ppa.counterparty; });
    plan.ppa_counterparty.push_back(static_cast<std::uint32_t>(found - deal.counterparties.begin()));
    plan.ppa_price.push_back(ppa.price_per_mwh);
    plan.ppa_volume.push_back(0.0);
    for (std::size_t k = 1; k < columns; ++k) {
      const double days = static_cast<double>(
          (std::chrono::sys_days(grid.dates[k]) - std::chrono::sys_days(grid.dates[k - 1])).count());
      plan.ppa_volume.push_back(ppa.volume_mwh_per_month *
                                overlap_days(grid.dates[k - 1], grid.dates[k], ppa.start_date, ppa.end_date) / days);
    }
  }
  return plan;
}

}  // namespace computedebt::calibration
