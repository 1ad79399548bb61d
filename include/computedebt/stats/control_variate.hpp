#pragma once
/// \file
/// A mean estimated with control variates (docs/methodology.md section 7.7): the sample mean of `y` corrected by
/// the controls' deviations from their exact means, with the least-squares coefficient of the same sample.

#include <computedebt/stats/co_moments.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace computedebt::stats {

/// `mean(y) - beta'(mean(c) - mu)` and how much it gained over `mean(y)`.
struct ControlledMean {
  double mean = 0.0;
  /// `sqrt(s_e^2 / n)`, `s_e^2` the residual variance with `n - 1 - k` degrees of freedom for `k` controls used;
  /// NaN without enough observations.
  double standard_error = 0.0;
  /// The sample variance of `y - beta'c` (divisor `n - 1`).
  double residual_variance = 0.0;
  /// `var(y) / var(y - beta'c)` over the sample; 1 when `y` does not vary.
  double variance_reduction = 1.0;
  /// Per control given: its coefficient `beta`, 0 for a control left out because it adds nothing to the ones
  /// before it (no variance of its own beyond theirs).
  std::vector<double> coefficients;
  /// Whether the controls reproduce `y` on every observation (`1 - R^2` below `spanning_tolerance`): the
  /// "estimate" is then the controls' exact means recombined, with no sampling error left to measure.
  bool spans_target = false;
};

/// `1 - R^2` below this counts as the controls reproducing the target.
inline constexpr double spanning_tolerance = 1e-10;

/// The control-variate estimate of the mean of quantity `target` of `moments`, with the quantities `controls`
/// (indices into `moments`) whose exact means are `control_means`. The coefficients are solved by a Cholesky
/// factorisation that skips a control whose variance is (to 1e-12) explained by the controls before it.
ControlledMean controlled_mean(const CoMoments& moments, std::size_t target, std::span<const std::size_t> controls,
                               std::span<const double> control_means);

/// The sample covariance of the residual `y - beta'c` of `estimate` (target `target`, controls `controls`) with
/// quantity `other`: `cov(y, other) - sum_k beta_k cov(c_k, other)`.
double residual_covariance(const CoMoments& moments, std::size_t target, std::span<const std::size_t> controls,
                           const ControlledMean& estimate, std::size_t other);

}  // namespace computedebt::stats
