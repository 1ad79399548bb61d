#include <computedebt/calibration/thresholds.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <limits>

namespace computedebt::calibration {

namespace {
// A default probability so close to 0 or 1 that its quantile overflows gives an infinite threshold, which
// the engine reads as "never" or "surely" by that month: no exception from the far tails.
using TailPolicy =
    boost::math::policies::policy<boost::math::policies::overflow_error<boost::math::policies::ignore_error>>;
}  // namespace

std::vector<double> default_thresholds(std::span<const double> survival, const assumptions::Copula& copula) {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  std::vector<double> thresholds;
  thresholds.reserve(survival.size());
  const auto* t_copula = std::get_if<assumptions::StudentTCopula>(&copula);
  for (double s : survival) {
    if (s >= 1.0) {
      thresholds.push_back(-infinity);  // Cannot default yet: no quantile function is asked for p = 0.
    } else if (s <= 0.0) {
      thresholds.push_back(infinity);
    } else if (t_copula) {
      // The complement form takes S itself, keeping precision when 1 - S is tiny.
      thresholds.push_back(quantile(
          complement(boost::math::students_t_distribution<double, TailPolicy>(t_copula->degrees_of_freedom), s)));
    } else {
      thresholds.push_back(quantile(complement(boost::math::normal_distribution<double, TailPolicy>(), s)));
    }
  }
  return thresholds;
}

}  // namespace computedebt::calibration
