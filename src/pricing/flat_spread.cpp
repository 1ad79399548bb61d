#include <computedebt/pricing/flat_spread.hpp>

#include <boost/math/tools/roots.hpp>

#include <cmath>
#include <cstdint>
#include <tuple>

namespace computedebt::pricing {

double flat_spread(std::span<const double> flows, std::span<const double> times, std::span<const double> discount,
                   double value) noexcept {
  double worth = 0.0;
  for (std::size_t m = 0; m < flows.size(); ++m) worth += flows[m] * discount[m];
  if (worth <= 0.0 || value <= 0.0) return std::nan("");
  const auto pv = [&](double s) {
    double total = -value, slope = 0.0;
    for (std::size_t m = 0; m < flows.size(); ++m) {
      const double discounted = flows[m] * discount[m] * std::exp(-s * times[m]);
      total += discounted;
      slope -= times[m] * discounted;
    }
    return std::make_tuple(total, slope);
  };
  std::uintmax_t iterations = 100;
  try {
    return boost::math::tools::newton_raphson_iterate(pv, 0.0, -10.0, 10.0, 52, iterations);
  } catch (const boost::math::evaluation_error&) {
    // Newton's method found no root in [-10, 10]: no spread to report (docs/methodology.md section 6.1).
    return std::nan("");
  }
}

}  // namespace computedebt::pricing
