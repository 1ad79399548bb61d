#include <computedebt/pricing/equity_irr.hpp>

#include <boost/math/tools/roots.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>

namespace computedebt::pricing {

double equity_irr(std::span<const double> distributions, std::span<const double> times, double investment) noexcept {
  double total = 0.0, weighted_time = 0.0;
  for (std::size_t m = 0; m < distributions.size(); ++m) {
    total += distributions[m];
    weighted_time += distributions[m] * times[m];
  }
  if (total <= 0.0) return -1.0;
  // Solve for the continuous rate x = ln(1 + IRR): the PV is convex and falling in x, so Newton's method
  // converges from the money multiple's rate over the distributions' mean time.
  const auto pv = [&](double x) {
    double value = -investment, slope = 0.0;
    for (std::size_t m = 0; m < distributions.size(); ++m) {
      if (distributions[m] == 0.0) continue;
      const double discounted = distributions[m] * std::exp(-x * times[m]);
      value += discounted;
      slope -= times[m] * discounted;
    }
    return std::make_tuple(value, slope);
  };
  const double guess = std::log(total / investment) / std::max(weighted_time / total, 1e-6);
  std::uintmax_t iterations = 100;
  try {
    const double x = boost::math::tools::newton_raphson_iterate(pv, std::clamp(guess, -20.0, 20.0), -50.0, 50.0,
                                                                48, iterations);
    return std::expm1(x);
  } catch (...) {
    return std::nan("");
  }
}

}  // namespace computedebt::pricing
