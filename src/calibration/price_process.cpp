#include <computedebt/calibration/price_process.hpp>

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

PriceProcess flat_price(std::size_t columns, double level) {
  PriceProcess process;
  process.forward_factor.assign(columns, level);
  process.decay.assign(columns, 0.0);
  process.step_sd.assign(columns, 0.0);
  process.half_variance.assign(columns, 0.0);
  return process;
}

PriceProcess plan_price_process(const assumptions::PowerMarket& market, double level,
                                const assumptions::Factors& factors, const MonthGrid& grid,
                                const std::vector<double>& month_lengths) {
  const std::size_t columns = grid.dates.size();
  PriceProcess plan = flat_price(columns);
  for (std::size_t k = 1; k < columns; ++k) {
    // Month k runs over [t_{k-1}, t_k): the shape of its days' calendar months, day-weighted (the grid's months
    // start on the valuation date's day), escalated from t0 to its start.
    const double shape =
        market.monthly_shape.empty() ? 1.0 : day_weighted_shape(market.monthly_shape, grid.dates[k - 1], grid.dates[k]);
    plan.forward_factor[k] = shape * std::pow(1.0 + market.annual_escalator, grid.times[k - 1]);
    // The hub's level is 1 and its factors stay the bits they were before sites existed.
    if (level != 1.0) plan.forward_factor[k] *= level;
  }
  plan.stochastic = market.volatility > 0.0;
  const double kappa = market.mean_reversion, sigma = market.volatility;
  double variance = 0.0;
  for (std::size_t k = 1; k < columns; ++k) {
    const double decay = std::exp(-kappa * month_lengths[k]);
    const double step_variance = sigma * sigma * -std::expm1(-2.0 * kappa * month_lengths[k]) / (2.0 * kappa);
    plan.decay[k] = decay;
    plan.step_sd[k] = std::sqrt(step_variance);
    variance = variance * decay * decay + step_variance;
    plan.half_variance[k] = 0.5 * variance;
  }
  plan.loadings = assumptions::dense_loadings(factors, market.factor_loadings);
  plan.loaded = std::any_of(plan.loadings.begin(), plan.loadings.end(), [](double a) { return a != 0.0; });
  plan.independent_weight =
      std::sqrt(std::max(0.0, 1.0 - assumptions::systematic_variance(factors, market.factor_loadings)));
  return plan;
}

}  // namespace computedebt::calibration
