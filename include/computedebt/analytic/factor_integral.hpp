#pragma once
/// \file
/// Integrates a vector-valued function of the groups' conditional default probabilities over the factors and, for
/// the Student t copula, the mixing variable (docs/methodology.md section 6.6): nested adaptive quadrature, each
/// level over a finite interval whose outside probability is charged to the error.

#include <computedebt/analytic/conditional.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace computedebt::analytic {

/// Writes the integrand's values given the conditional default probabilities (`default_probabilities`).
using Conditional = std::function<void(std::span<const double> probabilities, std::span<double> out)>;

/// `E[f(q(x, v))]` over the reduced factors `x` and the mixing scale `v`, for `f` a vector of `size` values whose
/// first `loss_size` form the loss part of the quadrature's norm (`analytic::norm`).
class FactorIntegral {
 public:
  FactorIntegral(const ConditionalModel& model, std::size_t size, std::size_t loss_size, double tolerance,
                 Conditional conditional);

  /// The integral.
  std::vector<double> run();
  /// Sum over the levels of the largest error estimate of any of their integrals.
  double error() const;
  /// Conditional values computed.
  std::uint64_t nodes() const { return nodes_; }

 private:
  std::vector<double> integrate(std::size_t level, double low, double high, double tail,
                                const std::function<void(double, std::span<double>)>& f);
  std::vector<double> given_mixing(double v);
  std::vector<double> over_factors(std::size_t d, double v);
  void conditional(double v, std::span<double> out);

  const ConditionalModel& model_;
  Conditional conditional_;
  std::size_t size_, loss_size_;
  std::vector<double> x_, probabilities_;
  std::size_t levels_;
  double level_tolerance_, factor_bound_ = 0.0, factor_tail_ = 0.0;
  std::vector<double> level_error_;
  std::uint64_t nodes_ = 0;
};

}  // namespace computedebt::analytic
