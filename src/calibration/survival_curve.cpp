#include <computedebt/calibration/survival_curve.hpp>

#include <cmath>
#include <optional>
#include <utility>

#include "quantlib_bridge.hpp"

#include <ql/time/daycounters/actual365fixed.hpp>

namespace computedebt::calibration {

namespace {

/// `make_month_grid(t0, months)`, remembered from the last call on this thread: every name of a deal asks for
/// the same longer grid, and QuantLib's date arithmetic would otherwise dominate calibrating a large deal.
const MonthGrid& longer_grid(Date t0, int months) {
  thread_local std::optional<std::pair<std::pair<Date, int>, MonthGrid>> last;
  if (!last || last->first != std::pair(t0, months)) last.emplace(std::pair(t0, months), make_month_grid(t0, months));
  return last->second;
}

}  // namespace

std::vector<double> survival_from_hazard(const MonthGrid& grid, double hazard_rate) {
  std::vector<double> survival;
  survival.reserve(grid.times.size());
  for (double t : grid.times) survival.push_back(std::exp(-hazard_rate * t));
  return survival;
}

std::vector<double> survival_from_default_probability(const MonthGrid& grid, double probability, double horizon_years) {
  // The horizon is a grid date even when the grid itself is shorter, so measure it from t0 directly; the grid's
  // own time when it reaches that far (the same date from the same t0: no QuantLib date arithmetic per name).
  const auto horizon = static_cast<std::size_t>(horizon_month(horizon_years));
  const double horizon_time = horizon < grid.times.size()
                                  ? grid.times[horizon]
                                  : longer_grid(grid.dates.front(), static_cast<int>(horizon)).times.back();
  return survival_from_hazard(grid, -std::log1p(-probability) / horizon_time);
}

std::vector<double> survival_from_rating(const MonthGrid& grid, deal::Rating rating, const RatingTable& table) {
  // Nodes (time, ln S): t0 with ln S = 0, then t_{12 n} for each tabulated year n.
  const auto years = static_cast<std::size_t>(table.years.size());
  // The grid itself when it reaches the last node (the same dates from the same t0), else a longer one.
  const auto last_node = static_cast<std::size_t>(12 * table.years.back());
  const std::vector<double>& node_times =
      last_node < grid.times.size() ? grid.times : longer_grid(grid.dates.front(), static_cast<int>(last_node)).times;
  std::vector<double> node_time{0.0}, node_log_survival{0.0};
  for (std::size_t i = 0; i < years; ++i) {
    node_time.push_back(node_times[static_cast<std::size_t>(12 * table.years[i])]);
    node_log_survival.push_back(std::log1p(-table.default_probability(rating, i)));
  }
  const std::size_t last = node_time.size() - 1;
  const double last_hazard =
      -(node_log_survival[last] - node_log_survival[last - 1]) / (node_time[last] - node_time[last - 1]);

  std::vector<double> survival;
  survival.reserve(grid.times.size());
  std::size_t upper = 1;
  for (double t : grid.times) {
    while (upper < last && node_time[upper] < t) ++upper;
    double log_s;
    if (t >= node_time[last]) {
      log_s = node_log_survival[last] - last_hazard * (t - node_time[last]);
    } else {
      const double weight = (t - node_time[upper - 1]) / (node_time[upper] - node_time[upper - 1]);
      log_s = node_log_survival[upper - 1] + weight * (node_log_survival[upper] - node_log_survival[upper - 1]);
    }
    survival.push_back(std::exp(log_s));
  }
  return survival;
}

std::vector<double> survival_from_cds(const MonthGrid& grid, const assumptions::CdsSpreads& cds,
                                      const assumptions::DiscountCurve& discount) {
  const Date t0 = grid.dates.front();
  detail::QuantLibSession session(t0);
  const QuantLib::Handle<QuantLib::YieldTermStructure> discount_handle(detail::make_discount_curve(t0, discount));
  const auto curve = detail::bootstrap_cds_curve(t0, cds, discount_handle).curve;
  std::vector<double> survival;
  survival.reserve(grid.dates.size());
  for (const auto& date : grid.dates) survival.push_back(curve->survivalProbability(detail::to_quantlib(date)));
  return survival;
}

std::vector<double> survival_curve(const MonthGrid& grid, const assumptions::CurveSource& source,
                                   const assumptions::DiscountCurve& discount) {
  using namespace assumptions;
  if (const auto* s = std::get_if<HazardRate>(&source)) return survival_from_hazard(grid, s->hazard_rate);
  if (const auto* s = std::get_if<DefaultProbability>(&source))
    return survival_from_default_probability(grid, s->default_probability, s->horizon_years);
  if (const auto* s = std::get_if<CdsSpreads>(&source)) return survival_from_cds(grid, *s, discount);
  return survival_from_rating(grid, std::get<RatingCurve>(source).rating, sp_global_corporate_default_rates());
}

void apply_pd_multiplier(std::vector<double>& survival, double multiplier) {
  if (multiplier == 1.0) return;
  for (double& s : survival) s = std::pow(s, multiplier);
}

}  // namespace computedebt::calibration
