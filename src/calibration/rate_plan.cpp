#include <computedebt/calibration/rate_plan.hpp>
#include <computedebt/core/error.hpp>

#include <fmt/format.h>
#include <ql/errors.hpp>
#include <ql/models/shortrate/onefactormodels/hullwhite.hpp>

#include <algorithm>
#include <cmath>

#include "quantlib_bridge.hpp"

namespace computedebt::calibration {

std::size_t RatePlan::find(const std::string& name) const {
  return static_cast<std::size_t>(
      std::find_if(indices.begin(), indices.end(), [&](const RateIndexPlan& index) { return index.name == name; }) -
      indices.begin());
}

namespace {

/// The index's curve on the grid and its projected fixings; with Hull-White, the model on the grid and dates.
RateIndexPlan plan_index(const MonthGrid& grid, int frequency, const std::string& name,
                         const assumptions::RateIndex& index, const assumptions::Factors& factors) {
  const Date t0 = grid.dates.front();
  detail::QuantLibSession session(t0);
  const auto curve = detail::bootstrap_index_curve(t0, index);
  RateIndexPlan plan;
  plan.name = name;
  for (const auto& date : grid.dates) plan.discount.push_back(curve->discount(detail::to_quantlib(date)));
  const auto p = static_cast<std::size_t>(frequency);
  const std::size_t dates = (grid.dates.size() - 1) / p;
  plan.projected.assign(dates + 1, 0.0);
  for (std::size_t m = 1; m <= dates; ++m) {
    const std::size_t start = (m - 1) * p, end = m * p;
    const double alpha = year_fraction(grid.dates[start], grid.dates[end]);
    plan.projected[m] = (plan.discount[start] / plan.discount[end] - 1.0) / alpha;
  }
  if (!index.hull_white) return plan;

  const auto& model = *index.hull_white;
  const double a = model.mean_reversion, sigma = model.volatility;
  const QuantLib::HullWhite hull_white(QuantLib::Handle<QuantLib::YieldTermStructure>(curve), a, sigma);
  const auto dynamics = hull_white.dynamics();
  plan.hull_white = true;
  const std::size_t columns = grid.dates.size();
  plan.shift.resize(columns);
  plan.decay.assign(columns, 1.0);
  plan.step_sd.assign(columns, 0.0);
  for (std::size_t k = 0; k < columns; ++k) {
    plan.shift[k] = dynamics->shortRate(grid.times[k], 0.0);
    if (k == 0) continue;
    const double dt = grid.times[k] - grid.times[k - 1];
    plan.decay[k] = std::exp(-a * dt);
    plan.step_sd[k] = sigma * std::sqrt(-std::expm1(-2.0 * a * dt) / (2.0 * a));
  }
  plan.loadings = assumptions::dense_loadings(factors, model.factor_loadings);
  plan.independent_weight =
      std::sqrt(std::max(0.0, 1.0 - assumptions::systematic_variance(factors, model.factor_loadings)));
  plan.bond_a.assign(dates + 1, 1.0);
  plan.bond_b.assign(dates + 1, 0.0);
  for (std::size_t m = 1; m <= dates; ++m) {
    const double start = grid.times[(m - 1) * p], end = grid.times[m * p];
    // P(t, T | r) = A exp(-B r): A is the bond price at r = 0, B the Hull-White duration (1 - e^{-a(T - t)}) / a.
    plan.bond_a[m] = hull_white.discountBond(start, end, 0.0);
    plan.bond_b[m] = -std::expm1(-a * (end - start)) / a;
  }
  return plan;
}

}  // namespace

RatePlan plan_rates(const MonthGrid& grid, int frequency_months, const std::vector<std::string>& names,
                    const assumptions::Assumptions& assumptions) {
  RatePlan plan;
  std::vector<Problem> problems;
  std::vector<std::string> failed;
  for (const auto& name : names) {
    if (plan.find(name) < plan.indices.size() || std::ranges::find(failed, name) != failed.end()) continue;
    try {
      plan.indices.push_back(
          plan_index(grid, frequency_months, name, assumptions.rate_indices.at(name), assumptions.factors));
    } catch (const QuantLib::Error& error) {
      problems.push_back({fmt::format("assumptions.rate_indices.{}", name),
                          fmt::format("the index curve cannot be bootstrapped: {}", error.what())});
      failed.push_back(name);
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  for (const auto& index : plan.indices) {
    plan.hull_white = plan.hull_white || index.hull_white;
    plan.needs_factor_paths = plan.needs_factor_paths || (index.hull_white && index.independent_weight < 1.0);
  }
  return plan;
}

}  // namespace computedebt::calibration
