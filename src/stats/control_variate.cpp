#include <computedebt/stats/control_variate.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace computedebt::stats {

ControlledMean controlled_mean(const CoMoments& moments, std::size_t target, std::span<const std::size_t> controls,
                               std::span<const double> control_means) {
  ControlledMean result;
  result.coefficients.assign(controls.size(), 0.0);
  const std::uint64_t n = moments.count();
  result.mean = moments.mean(target);
  const double variance = moments.covariance(target, target);

  // Cholesky factor `L` of the controls' covariance, row by row over the controls kept.
  std::vector<std::size_t> kept;  ///< Positions in `controls`.
  std::vector<double> factor;     ///< `kept x kept`, lower triangle.
  const auto at = [&](std::size_t row, std::size_t column) -> double& {
    return factor[row * controls.size() + column];
  };
  factor.assign(controls.size() * controls.size(), 0.0);
  for (std::size_t k = 0; k < controls.size(); ++k) {
    const double own = moments.covariance(controls[k], controls[k]);
    if (!(own > 0.0)) continue;
    const std::size_t row = kept.size();
    double pivot = own;
    for (std::size_t p = 0; p < row; ++p) {
      double value = moments.covariance(controls[k], controls[kept[p]]);
      for (std::size_t q = 0; q < p; ++q) value -= at(row, q) * at(p, q);
      at(row, p) = value / at(p, p);
      pivot -= at(row, p) * at(row, p);
    }
    if (!(pivot > 1e-12 * own)) continue;
    at(row, row) = std::sqrt(pivot);
    kept.push_back(k);
  }

  // `L L' beta = cov(c, y)` by forward and back substitution.
  const std::size_t m = kept.size();
  std::vector<double> z(m), beta(m);
  for (std::size_t p = 0; p < m; ++p) {
    double value = moments.covariance(controls[kept[p]], target);
    for (std::size_t q = 0; q < p; ++q) value -= at(p, q) * z[q];
    z[p] = value / at(p, p);
  }
  for (std::size_t p = m; p-- > 0;) {
    double value = z[p];
    for (std::size_t q = p + 1; q < m; ++q) value -= at(q, p) * beta[q];
    beta[p] = value / at(p, p);
  }

  // The explained variance is `|z|^2`; what is left is the residual's.
  double explained = 0.0;
  for (std::size_t p = 0; p < m; ++p) {
    explained += z[p] * z[p];
    result.coefficients[kept[p]] = beta[p];
    result.mean -= beta[p] * (moments.mean(controls[kept[p]]) - control_means[kept[p]]);
  }
  const double residual = std::max(variance - explained, 0.0);
  result.residual_variance = residual;
  result.spans_target = variance > 0.0 && residual < spanning_tolerance * variance;
  result.variance_reduction = variance > 0.0 ? variance / residual : 1.0;
  const double freedom = static_cast<double>(n) - 1.0 - static_cast<double>(m);
  result.standard_error = n > 1 && freedom > 0.0
                              ? std::sqrt(residual * (static_cast<double>(n) - 1.0) / freedom / static_cast<double>(n))
                              : std::numeric_limits<double>::quiet_NaN();
  return result;
}

double residual_covariance(const CoMoments& moments, std::size_t target, std::span<const std::size_t> controls,
                           const ControlledMean& estimate, std::size_t other) {
  double value = moments.covariance(target, other);
  for (std::size_t k = 0; k < controls.size(); ++k)
    value -= estimate.coefficients[k] * moments.covariance(controls[k], other);
  return value;
}

}  // namespace computedebt::stats
