#pragma once
/// \file
/// Linear interpolation in a table, flat outside it: the rule of the deal format's curves and tables.

#include <algorithm>
#include <cassert>
#include <vector>

namespace computedebt {

/// `y(at)` for the points `(x_i, y_i)`, `x` strictly increasing: linear between points, flat outside them.
inline double interpolate_flat(const std::vector<double>& x, const std::vector<double>& y, double at) {
  assert(!x.empty() && x.size() == y.size());
  if (at <= x.front()) return y.front();
  if (at >= x.back()) return y.back();
  const auto upper = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), at) - x.begin());
  const double w = (at - x[upper - 1]) / (x[upper] - x[upper - 1]);
  return y[upper - 1] + w * (y[upper] - y[upper - 1]);
}

}  // namespace computedebt
