#pragma once
/// \file
/// Globally adaptive Gauss-Kronrod quadrature of vectors of probabilities on a finite interval, with the 61-point
/// Kronrod extension of the 30-point Gauss rule (Boost.Math's nodes and weights; docs/methodology.md section 6.6).

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace computedebt::analytic {

/// The norm of a vector of probabilities of the lattice losses followed by those of the default counts: the larger
/// of the two parts' L1 norms, so an error in it bounds the error of the expectation of any payoff in [0, 1] of
/// either.
double norm(std::span<const double> values, std::size_t loss_size);

/// Writes the integrand's value at `x` into its second argument.
using Integrand = std::function<void(double, std::span<double>)>;

/// `int_a^b f(x) dx` with its error estimate.
struct Integral {
  std::vector<double> value;
  double error = 0.0;           ///< Sum over the pieces of `norm(Kronrod - Gauss)`.
  std::size_t evaluations = 0;  ///< Of `f`.
};

/// `int_a^b f(x) dx` of a vector of `size` values whose first `loss_size` are the loss part (`norm`): the piece with
/// the largest error estimate is bisected until the estimates add up to at most `tolerance norm(integral)`, or
/// there are `max_pieces` pieces.
Integral integrate(const Integrand& f, double a, double b, std::size_t size, std::size_t loss_size, double tolerance,
                   std::size_t max_pieces = 200);

}  // namespace computedebt::analytic
