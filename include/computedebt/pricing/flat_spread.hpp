#pragma once
/// \file
/// The flat spread over a discount curve at which flows are worth a given amount (docs/methodology.md section 6.1).

#include <span>

namespace computedebt::pricing {

/// The `s` solving `sum_m flows[m] discount[m] exp(-s times[m]) = value`; NaN when the flows are worth
/// nothing or Newton's method finds no root in [-10, 10]. The PV falls with `s`, so the root is unique.
double flat_spread(std::span<const double> flows, std::span<const double> times, std::span<const double> discount,
                   double value) noexcept;

}  // namespace computedebt::pricing
