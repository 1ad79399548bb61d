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
                         const assumptions::RateIndex& index, const assumptions::Factors& factors, bool hedged) {
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
  plan.hull_white = true;
  plan.mean_reversion = a;
  plan.volatility = sigma;
  const std::size_t columns = grid.dates.size();
  plan.decay.assign(columns, 1.0);
  plan.step_sd.assign(columns, 0.0);
  for (std::size_t k = 1; k < columns; ++k) {
    const double dt = grid.times[k] - grid.times[k - 1];
    plan.decay[k] = std::exp(-a * dt);
    plan.step_sd[k] = sigma * std::sqrt(-std::expm1(-2.0 * a * dt) / (2.0 * a));
  }
  plan.loadings = assumptions::dense_loadings(factors, model.factor_loadings);
  plan.independent_weight =
      std::sqrt(std::max(0.0, 1.0 - assumptions::systematic_variance(factors, model.factor_loadings)));
  for (std::size_t m = 0; m <= dates; ++m) {
    const double t = grid.times[m * p];
    plan.forward.push_back(curve->forwardRate(t, t, QuantLib::Continuous, QuantLib::NoFrequency));
    plan.variance.push_back(sigma * sigma * -std::expm1(-2.0 * a * t) / (2.0 * a));
  }
  plan.bond_a.assign(dates + 1, 1.0);
  plan.bond_b.assign(dates + 1, 0.0);
  for (std::size_t m = 1; m <= dates; ++m) {
    const double start = grid.times[(m - 1) * p], end = grid.times[m * p];
    // P(t, T | r) = A exp(-B r): A is the bond price at r = 0, B the Hull-White duration (1 - e^{-a(T - t)}) / a.
    plan.bond_a[m] = hull_white.discountBond(start, end, 0.0);
    plan.bond_b[m] = -std::expm1(-a * (end - start)) / a;
  }
  if (hedged) {
    plan.date_bond_a.assign((dates + 1) * (dates + 1), 1.0);
    for (std::size_t m = 0; m <= dates; ++m)
      for (std::size_t j = m + 1; j <= dates; ++j)
        plan.date_bond_a[m * (dates + 1) + j] = hull_white.discountBond(grid.times[m * p], grid.times[j * p], 0.0);
  }
  return plan;
}

}  // namespace

RatePlan plan_rates(const MonthGrid& grid, int frequency_months, const std::vector<std::string>& names,
                    const std::vector<std::string>& hedged, const assumptions::Assumptions& assumptions) {
  RatePlan plan;
  std::vector<Problem> problems;
  std::vector<std::string> failed;
  for (const auto& name : names) {
    if (plan.find(name) < plan.indices.size() || std::ranges::find(failed, name) != failed.end()) continue;
    const auto entry = assumptions.rate_indices.find(name);
    if (entry == assumptions.rate_indices.end()) {
      // The loader refuses this; a DealFile built in code may still name an index it lacks.
      problems.push_back({"assumptions.rate_indices", fmt::format("rate index \"{}\" is not defined", name)});
      failed.push_back(name);
      continue;
    }
    try {
      plan.indices.push_back(plan_index(grid, frequency_months, name, entry->second, assumptions.factors,
                                        std::ranges::find(hedged, name) != hedged.end()));
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
