#include <computedebt/core/portable_math.hpp>
#include <computedebt/pricing/equity_irr.hpp>

#include <boost/math/tools/roots.hpp>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace computedebt::pricing {

IrrSolver::IrrSolver(std::span<const double> times) : times_(times.begin(), times.end()) {
  double previous = 0.0;
  for (double t : times) {
    const double gap = t - previous;
    const auto found = std::find(gaps_.begin(), gaps_.end(), gap);
    gap_of_.push_back(static_cast<std::uint32_t>(found - gaps_.begin()));
    if (found == gaps_.end()) gaps_.push_back(gap);
    previous = t;
  }
  gap_discount_.resize(gaps_.size());
}

double IrrSolver::solve(std::span<const double> distributions, double investment) const noexcept {
  double total = 0.0, weighted_time = 0.0;
  for (std::size_t m = 0; m < distributions.size(); ++m) {
    total += distributions[m];
    weighted_time += distributions[m] * times_[m];
  }
  if (total <= 0.0) return -1.0;
  const auto pv = [&](double x) {
    for (std::size_t g = 0; g < gaps_.size(); ++g) gap_discount_[g] = -x * gaps_[g];
    exps(gap_discount_, gap_discount_);
    double value = -investment, slope = 0.0, discount = 1.0;
    for (std::size_t m = 0; m < distributions.size(); ++m) {
      discount *= gap_discount_[gap_of_[m]];
      const double discounted = distributions[m] * discount;
      value += discounted;
      slope -= times_[m] * discounted;
    }
    return std::make_tuple(value, slope);
  };
  // Equity cures make some net flows negative, and then the present value need not fall monotonically: take the
  // root nearest x = 0, bracketed by stepping away from 0 on both sides, then solved by TOMS 748
  // (docs/methodology.md section 5.4).
  if (std::any_of(distributions.begin(), distributions.end(), [](double d) { return d < 0.0; })) {
    const auto value = [&](double x) { return std::get<0>(pv(x)); };
    const double at_zero = value(0.0);
    if (at_zero == 0.0) return 0.0;
    // Step away from 0 on both sides at once, up to x = 50 above and -20 below, and solve in the first bracket.
    double near_up = 0.0, near_down = 0.0, value_up = at_zero, value_down = at_zero;
    for (const double step : {0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 32.0, 50.0}) {
      for (const double x : {step, -step}) {
        if (x < -20.0) continue;
        const double fx = value(x);
        double& near = x > 0.0 ? near_up : near_down;
        double& near_value = x > 0.0 ? value_up : value_down;
        if ((fx > 0.0) != (near_value > 0.0)) {
          std::uintmax_t evaluations = 100;
          const auto [low, high] = boost::math::tools::toms748_solve(
              value, std::min(near, x), std::max(near, x), near < x ? near_value : fx, near < x ? fx : near_value,
              boost::math::tools::eps_tolerance<double>(48), evaluations);
          return std::expm1(0.5 * (low + high));
        }
        near = x;
        near_value = fx;
      }
    }
    // No root within reach: below -99.99...% the equity has lost everything; above e^50 - 1 there is none.
    return at_zero > 0.0 ? std::nan("") : -1.0;
  }
  // Start from the money multiple's rate over the distributions' mean time.
  const double guess = portable_log(total / investment) / std::max(weighted_time / total, 1e-6);
  std::uintmax_t iterations = 100;
  try {
    const double x =
        boost::math::tools::newton_raphson_iterate(pv, std::clamp(guess, -20.0, 20.0), -50.0, 50.0, 48, iterations);
    return std::expm1(x);
  } catch (const boost::math::evaluation_error&) {
    // Newton's method found no root in [-50, 50]: no IRR to report (docs/methodology.md section 6.2).
    return std::nan("");
  }
}

double equity_irr(std::span<const double> distributions, std::span<const double> times, double investment) noexcept {
  return IrrSolver(times).solve(distributions, investment);
}

}  // namespace computedebt::pricing
