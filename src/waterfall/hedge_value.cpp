#include <computedebt/core/random.hpp>
#include <computedebt/waterfall/hedge_value.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::waterfall {

namespace {

/// Hull-White's `B(t, T) = (1 - e^{-a (T - t)}) / a`.
double duration(double a, double tau) noexcept { return -std::expm1(-a * tau) / a; }

}  // namespace

double date_bond(const calibration::RateIndexPlan& index, const calibration::WaterfallPlan& plan, std::size_t m,
                 std::size_t j, double state) noexcept {
  if (j == m) return 1.0;
  if (!index.hull_white)
    return index.discount[static_cast<std::size_t>(plan.date_month[j])] /
           index.discount[static_cast<std::size_t>(plan.date_month[m])];
  const double b = duration(index.mean_reversion, plan.date_time[j] - plan.date_time[m]);
  return index.date_bond_a[m * (plan.dates + 1) + j] * portable_exp(-b * (index.forward[m] + state));
}

double hedge_flow(const calibration::PlannedHedge& hedge, const calibration::WaterfallPlan& plan, std::size_t m,
                  double fixing) noexcept {
  const double excess = fixing - hedge.rate;
  return hedge.notional[m] * plan.accrual[m] * (hedge.kind == deal::HedgeKind::swap ? excess : std::max(excess, 0.0));
}

double hedge_value(const calibration::PlannedHedge& hedge, const calibration::RateIndexPlan& index,
                   const calibration::WaterfallPlan& plan, std::size_t m, double state,
                   std::span<const double> fixings) noexcept {
  double value = 0.0;
  for (std::size_t j = m + 1; j <= hedge.end; ++j) {
    const double notional = hedge.notional[j];
    if (notional == 0.0) continue;
    const double alpha = plan.accrual[j], start = date_bond(index, plan, m, j - 1, state),
                 end = date_bond(index, plan, m, j, state);
    if (hedge.kind == deal::HedgeKind::swap) {
      // The floating leg of a period fixed in advance is worth P(t_m, t_{j-1}) - P(t_m, t_j) per unit notional.
      value += notional * (start - end * (1.0 + alpha * hedge.rate));
      continue;
    }
    if (j == m + 1) {  // Fixed today.
      value += notional * alpha * std::max(fixings[j] - hedge.rate, 0.0) * end;
      continue;
    }
    // A caplet is (1 + alpha K) puts on the period's bond, struck at 1 / (1 + alpha K), expiring at t_{j-1}.
    const double growth = 1.0 + alpha * hedge.rate, strike = 1.0 / growth;
    double put = std::max(strike * start - end, 0.0);
    if (index.hull_white) {
      const double a = index.mean_reversion, expiry = plan.date_time[j - 1] - plan.date_time[m];
      const double sd = index.volatility * std::sqrt(-std::expm1(-2.0 * a * expiry) / (2.0 * a)) *
                        duration(a, plan.date_time[j] - plan.date_time[j - 1]);
      const double h = portable_log(end / (start * strike)) / sd + 0.5 * sd;
      put = strike * start * normal_cdf(-h + sd) - end * normal_cdf(-h);
    }
    value += notional * growth * put;
  }
  return value;
}

}  // namespace computedebt::waterfall
