#pragma once
/// \file
/// The equity's internal rate of return on one path (docs/methodology.md section 6.2).

#include <cstdint>
#include <span>
#include <vector>

namespace computedebt::pricing {

/// Solves `-investment + sum_m D_m (1 + IRR)^(-t_m) = 0` for fixed payment times, path after path.
///
/// Newton's method on `x = ln(1 + IRR)`, where the present value is convex and falling. Payment dates are
/// mostly equally spaced, so each step computes `exp(-x g)` once per distinct gap `g` between dates and
/// discounts date by date.
class IrrSolver {
 public:
  /// `times[m]`: years from `t0` to payment `m`, increasing.
  explicit IrrSolver(std::span<const double> times);

  /// The annual effective IRR, unique when every `D_m >= 0`; -1 when nothing is distributed; NaN when Newton's
  /// method finds no root with `ln(1 + IRR)` in [-50, 50]. With negative flows (equity cures netted from the
  /// distributions) the root nearest `IRR = 0` is taken, and -1 when it lies below `ln(1 + IRR) = -20`.
  double solve(std::span<const double> distributions, double investment) const noexcept;

 private:
  std::vector<double> times_, gaps_;   ///< The distinct gaps between successive times (the first from 0).
  std::vector<std::uint32_t> gap_of_;  ///< Per payment, the index of its gap.
  mutable std::vector<double> gap_discount_;
};

/// One IRR, for a single set of flows.
double equity_irr(std::span<const double> distributions, std::span<const double> times, double investment) noexcept;

}  // namespace computedebt::pricing
