// The pool loss's expected shortfall (Acerbi-Tasche, docs/methodology.md section 6.4) against the exact finite-pool
// distribution of a Student t homogeneous pool.

#include <computedebt/engine/simulate.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "test_deals.hpp"
#include "validation/statistical.hpp"

using namespace computedebt;

namespace {

/// `P(D = d)` for `d = 0..n` defaults of `n` equal names under the Student t copula: the conditional binomial
/// integrated over the factor `Z` (Simpson on [-9, 9]) and the mixing variable `W ~ chi2(nu)` through its
/// quantile `u = s^4` (midpoints in `s`, which crowd the nodes where `W` is small and the losses large).
std::vector<double> student_t_pool(int n, double pd, double rho, double nu) {
  const boost::math::normal normal;
  const double threshold = quantile(boost::math::students_t(nu), pd);
  std::vector<double> log_choose(n + 1);
  for (int d = 0; d <= n; ++d) log_choose[d] = std::lgamma(n + 1.0) - std::lgamma(d + 1.0) - std::lgamma(n - d + 1.0);
  std::vector<double> probability(n + 1, 0.0);
  const int mixing_nodes = 200, factor_intervals = 600;
  const double h = 18.0 / factor_intervals;
  for (int a = 0; a < mixing_nodes; ++a) {
    const double s = (a + 0.5) / mixing_nodes;
    const double v = std::sqrt(2.0 * boost::math::gamma_p_inv(0.5 * nu, s * s * s * s) / nu);
    const double mixing_weight = 4.0 * s * s * s / mixing_nodes;
    for (int j = 0; j <= factor_intervals; ++j) {
      const double z = -9.0 + j * h;
      const double simpson = (j == 0 || j == factor_intervals) ? 1.0 : (j % 2 ? 4.0 : 2.0);
      const double weight = mixing_weight * simpson * h / 3.0 * pdf(normal, z);
      const double p =
          std::clamp(cdf(normal, (threshold * v - std::sqrt(rho) * z) / std::sqrt(1.0 - rho)), 1e-300, 1.0 - 1e-16);
      for (int d = 0; d <= n; ++d)
        probability[d] += weight * std::exp(log_choose[d] + d * std::log(p) + (n - d) * std::log1p(-p));
    }
  }
  double total = 0.0;
  for (double x : probability) total += x;
  for (double& x : probability) x /= total;
  return probability;
}

struct Tail {
  double var, es, es_stderr_one_path;
};

/// VaR and the mean of the worst `1 - level` of the probability, straight from the distribution of the loss
/// `loss_per_default * d`; and the expected shortfall estimator's asymptotic standard deviation per path,
/// `sqrt((var(L | tail) + level (ES - VaR)^2) / (1 - level))`.
Tail tail(const std::vector<double>& probability, double loss_per_default, double level) {
  double cumulative = 0.0;
  std::size_t k = 0;
  for (; k < probability.size(); ++k)
    if ((cumulative += probability[k]) >= level) break;
  const double var = loss_per_default * static_cast<double>(k);
  // The worst `1 - level`: all of the values above VaR, and the part `cumulative - level` of the mass at VaR.
  double mean = var * (cumulative - level), square = var * var * (cumulative - level);
  for (std::size_t d = k + 1; d < probability.size(); ++d) {
    const double loss = loss_per_default * static_cast<double>(d);
    mean += probability[d] * loss;
    square += probability[d] * loss * loss;
  }
  const double es = mean / (1.0 - level);
  const double tail_variance = square / (1.0 - level) - es * es;
  return {var, es, std::sqrt((tail_variance + level * (es - var) * (es - var)) / (1.0 - level))};
}

TEST(expected_shortfall, student_t_pool_matches_the_exact_finite_pool_distribution) {
  const int n = 125;
  const double pd = 0.05, rho = 0.3, recovery = 0.4, nu = 5.0;
  const auto probability = student_t_pool(n, pd, rho, nu);
  const double loss_per_default = (1.0 - recovery) / n;
  // The integral itself, to the five places quoted in docs/methodology.md section 6.4.
  EXPECT_NEAR(tail(probability, loss_per_default, 0.99).es, 0.34585, 5e-6);
  EXPECT_NEAR(tail(probability, loss_per_default, 0.999).es, 0.47062, 5e-6);

  const auto plan =
      test_support::calibrate_json(test_support::homogeneous_pool(n, pd, rho, recovery, {{0.0, 1.0}}, "student_t", nu));
  engine::SimulationConfig config;
  config.paths = 1 << 18;
  config.seed = 11;
  const auto results = engine::simulate(plan, config);
  const double paths = static_cast<double>(config.paths);
  const Tail exact_99 = tail(probability, loss_per_default, 0.99);
  const Tail exact_999 = tail(probability, loss_per_default, 0.999);
  test_support::expect_within("ES 99%", results.portfolio.loss_es_99, exact_99.es,
                              exact_99.es_stderr_one_path / std::sqrt(paths), config.seed);
  test_support::expect_within("ES 99.9%", results.portfolio.loss_es_999, exact_999.es,
                              exact_999.es_stderr_one_path / std::sqrt(paths), config.seed);
}

}  // namespace
