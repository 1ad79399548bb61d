#include <computedebt/assumptions/discount_curve.hpp>
#include <computedebt/core/interpolation.hpp>

namespace computedebt::assumptions {

double zero_rate(const DiscountCurve& curve, double t) {
  if (const auto* flat = std::get_if<FlatCurve>(&curve)) return flat->rate;
  const auto& zero = std::get<ZeroCurve>(curve);
  return interpolate_flat(zero.tenors_years, zero.rates, t);
}

}  // namespace computedebt::assumptions
