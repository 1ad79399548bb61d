#pragma once
/// \file
/// The equity's internal rate of return on one path (MODEL.md section 6).

#include <span>

namespace computedebt::pricing {

/// The annual effective IRR solving `-investment + sum_m D_m (1 + IRR)^(-t_m) = 0`, unique since `D_m >= 0`;
/// -1 when nothing is distributed. `distributions[m]` is paid at `times[m]` years.
double equity_irr(std::span<const double> distributions, std::span<const double> times, double investment) noexcept;

}  // namespace computedebt::pricing
