#include <computedebt/assumptions/gpu_market.hpp>
#include <computedebt/core/interpolation.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::assumptions {

double residual_fraction(const ResidualValue& curve, double age) {
  if (const auto* decline = std::get_if<ExponentialDecline>(&curve)) return std::exp(-decline->annual_decline * age);
  const auto& table = std::get<ResidualTable>(curve);
  // A table starts at (0, 1) unless it gives its own value at age 0.
  if (table.ages_years.front() > 0.0 && age < table.ages_years.front()) {
    const double w = age / table.ages_years.front();
    return 1.0 + w * (table.fractions.front() - 1.0);
  }
  return interpolate_flat(table.ages_years, table.fractions, age);
}

double rent_index(const Rent& rent, double t) {
  if (const auto* decline = std::get_if<RentDecline>(&rent))
    return decline->initial_per_gpu_hour * std::exp(-decline->annual_decline * t);
  const auto& table = std::get<RentTable>(rent);
  return interpolate_flat(table.times_years, table.per_gpu_hour, t);
}

}  // namespace computedebt::assumptions
