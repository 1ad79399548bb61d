#include <computedebt/assumptions/discount_curve.hpp>

#include <algorithm>
#include <cassert>

namespace computedebt::assumptions {

double zero_rate(const DiscountCurve& curve, double t) {
  if (const auto* flat = std::get_if<FlatCurve>(&curve)) return flat->rate;
  const auto& zero = std::get<ZeroCurve>(curve);
  const auto& tenors = zero.tenors_years;
  assert(!tenors.empty() && tenors.size() == zero.rates.size());
  if (t <= tenors.front()) return zero.rates.front();
  if (t >= tenors.back()) return zero.rates.back();
  const auto upper = static_cast<std::size_t>(std::upper_bound(tenors.begin(), tenors.end(), t) - tenors.begin());
  const double weight = (t - tenors[upper - 1]) / (tenors[upper] - tenors[upper - 1]);
  return zero.rates[upper - 1] + weight * (zero.rates[upper] - zero.rates[upper - 1]);
}

}  // namespace computedebt::assumptions
