#pragma once
/// \file
/// The monthly time grid of docs/methodology.md section 1.

#include <computedebt/core/date.hpp>

#include <vector>

namespace computedebt::calibration {

/// `t_k = t0 + k months` for `k = 0..K` (QuantLib's rule: day clipped to the month, no end-of-month rule),
/// with Actual/365 Fixed year fractions from `t0`.
struct MonthGrid {
  std::vector<Date> dates;    ///< `t_0 .. t_K`.
  std::vector<double> times;  ///< `tau(t0, t_k)`.

  /// `K`, the last month.
  int months() const { return static_cast<int>(dates.size()) - 1; }
  /// The month `k` whose interval `(t_{k-1}, t_k]` contains `date`: 0 on or before `t0`, `K + 1` after `t_K`.
  int month_containing(Date date) const;
};

/// Builds the grid of `months` months from `t0`.
MonthGrid make_month_grid(Date t0, int months);

/// Actual/365 Fixed year fraction from `a` to `b`.
double year_fraction(Date a, Date b);

/// The grid month of a horizon in years: `round(12 h)`.
int horizon_month(double years);

}  // namespace computedebt::calibration
