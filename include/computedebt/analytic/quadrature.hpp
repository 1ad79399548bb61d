#pragma once
/// \file
/// Adaptive quadrature of the conditional distributions over the real line with Boost.Math's Gauss-Kronrod rule
/// (docs/methodology.md section 6.6). The integrand is a vector of probabilities, which Boost's rule accepts as
/// any type with `+`, `-`, scaling and an `abs` that is a norm.

#include <cstddef>
#include <functional>
#include <vector>

namespace computedebt::analytic {

/// Probabilities of the lattice losses followed by those of the default counts. `abs` is the larger of the two
/// parts' L1 norms, so an error in it bounds the error of the expectation of any payoff in [0, 1] of either.
/// A vector built from a number (Boost's rule starts its sums from `K(0)`) is zero, of any length.
class Masses {
 public:
  Masses(double zero = 0.0);  // NOLINT(google-explicit-constructor)
  Masses(std::vector<double> values, std::size_t loss_size);

  const std::vector<double>& values() const { return values_; }
  std::size_t loss_size() const { return loss_size_; }

  Masses& operator+=(const Masses& other);
  Masses& operator*=(double factor);
  friend Masses operator+(Masses left, const Masses& right) { return left += right; }
  friend Masses operator-(Masses left, const Masses& right) { return left += right * -1.0; }
  friend Masses operator-(Masses value) { return value *= -1.0; }
  friend Masses operator*(Masses value, double factor) { return value *= factor; }
  friend Masses operator*(double factor, Masses value) { return value *= factor; }
  friend double abs(const Masses& value);

 private:
  std::vector<double> values_;
  std::size_t loss_size_ = 0;
};

/// `integral` with Boost's error estimate.
struct Integral {
  Masses value;
  double error = 0.0;  ///< Sum of `abs(Kronrod - Gauss)` over the accepted intervals.
};

/// `int f(x) dx` over the whole real line: Boost's adaptive 21-point Gauss-Kronrod rule after the map
/// `x = t / (1 - t^2)`, bisecting until each piece's error is below its share of `tolerance abs(integral)`,
/// at most `max_depth` times.
Integral integrate_real_line(const std::function<Masses(double)>& f, double tolerance, unsigned max_depth = 15);

}  // namespace computedebt::analytic
