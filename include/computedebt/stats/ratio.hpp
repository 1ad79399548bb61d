#pragma once
/// \file
/// Means of two quantities observed together, their covariance, and the ratio of the means with its standard error.

#include <computedebt/stats/mean.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::stats {

/// Running means of `x` and `y` and their co-moment, mergeable like `Mean`.
///
/// The ratio of means `R = E[x] / E[y]` (a loss given default, a weighted average life) has the delta-method
/// standard error `sqrt(var(x - R y) / n) / |E[y]|`, with `var(x - R y) = var x - 2 R cov(x, y) + R^2 var y`.
class Ratio {
 public:
  void add(double x, double y) noexcept {
    const double delta_x = x - x_.mean();
    x_.add(x);
    y_.add(y);
    co_moment_ += delta_x * (y - y_.mean());
  }

  Ratio& operator+=(const Ratio& other) noexcept {
    if (other.count() == 0) return *this;
    if (count() == 0) return *this = other;
    const double n_a = static_cast<double>(count()), n_b = static_cast<double>(other.count());
    const double delta_x = other.x_.mean() - x_.mean(), delta_y = other.y_.mean() - y_.mean();
    co_moment_ += other.co_moment_ + delta_x * delta_y * (n_a * n_b / (n_a + n_b));
    x_ += other.x_;
    y_ += other.y_;
    return *this;
  }

  bool operator==(const Ratio&) const = default;

  std::uint64_t count() const noexcept { return x_.count(); }
  const Mean& x() const noexcept { return x_; }
  const Mean& y() const noexcept { return y_; }
  /// Sample covariance (divisor `n - 1`); 0 below two observations.
  double covariance() const noexcept { return count() > 1 ? co_moment_ / static_cast<double>(count() - 1) : 0.0; }
  /// `E[x] / E[y]`; 0 when `E[y]` is 0.
  double ratio() const noexcept { return y_.mean() != 0.0 ? x_.mean() / y_.mean() : 0.0; }
  /// The delta-method standard error of `ratio`; NaN below two observations (undefined, as for `Mean`); 0 when
  /// `E[y]` is 0.
  double ratio_standard_error() const noexcept {
    if (count() < 2) return std::nan("");
    if (y_.mean() == 0.0) return 0.0;
    const double r = ratio();
    const double variance = x_.variance() - 2.0 * r * covariance() + r * r * y_.variance();
    return std::sqrt(std::max(variance, 0.0) / static_cast<double>(count())) / std::abs(y_.mean());
  }
  /// The raw state, for serialisation.
  double co_moment() const noexcept { return co_moment_; }
  static Ratio from_state(const Mean& x, const Mean& y, double co_moment) noexcept {
    Ratio r;
    r.x_ = x;
    r.y_ = y;
    r.co_moment_ = co_moment;
    return r;
  }

 private:
  Mean x_, y_;
  double co_moment_ = 0.0;
};

}  // namespace computedebt::stats
