// The semi-analytic engine (docs/methodology.md section 6.6) against independent integrals of the three validation
// pools: composite 20-point Gauss-Legendre of the conditional binomial over the density of the systematic variable
// (for the Student t copula a mixture over ln W), a different rule in a different variable from the engine's
// adaptive Gauss-Kronrod over the factor and the mixing variable.

#include <computedebt/analytic/semi_analytic.hpp>
#include <computedebt/io/load.hpp>

#include <gtest/gtest.h>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <cmath>
#include <numbers>
#include <vector>

#include "test_deals.hpp"

using namespace computedebt;

namespace {

const std::vector<std::pair<double, double>> standard_tranches{{0.0, 0.03},  {0.03, 0.07}, {0.07, 0.10},
                                                               {0.10, 0.15}, {0.15, 0.30}, {0.30, 1.0}};

struct Panel {
  double from, to, width;
};

/// Nodes and weights of 20-point Gauss-Legendre on each piece of width about `width` of every panel.
std::vector<std::pair<double, double>> gauss_legendre(const std::vector<Panel>& panels) {
  using rule = boost::math::quadrature::gauss<double, 20>;
  std::vector<std::pair<double, double>> nodes;
  for (const auto& panel : panels) {
    const int pieces = static_cast<int>(std::ceil((panel.to - panel.from) / panel.width - 1e-9));
    const double h = (panel.to - panel.from) / pieces;
    for (int piece = 0; piece < pieces; ++piece) {
      const double mid = panel.from + (piece + 0.5) * h;
      for (std::size_t i = 0; i < rule::abscissa().size(); ++i)
        for (const double sign : {-1.0, 1.0})
          nodes.emplace_back(mid + sign * rule::abscissa()[i] * h / 2, rule::weights()[i] * h / 2);
    }
  }
  return nodes;
}

/// `P(D = d)`, `d = 0..n`, of `n` equal names with horizon default probability `pd` and correlation `rho`. Given
/// the systematic variable `w = c v - sqrt(rho) Z` (`v = sqrt(W / nu)` for the Student t copula, 1 for the
/// Gaussian), defaults are binomial with `p = Phi(w / sqrt(1 - rho))`. The binomial is integrated over the density
/// of `w`: normal for the Gaussian copula, for the Student t a normal mixture over `y = ln W` integrated first,
/// once per node of `w`. Pieces of `w` are `width` wide where the binomials' features are.
std::vector<double> pool_distribution(int n, double pd, double rho, double nu, double width) {
  std::vector<double> log_choose(n + 1);
  for (int d = 0; d <= n; ++d) log_choose[d] = std::lgamma(n + 1.0) - std::lgamma(d + 1.0) - std::lgamma(n - d + 1.0);
  const double c = nu > 0.0 ? quantile(boost::math::students_t(nu), pd) : quantile(boost::math::normal(), pd);
  const double s = std::sqrt(rho);
  const auto normal_density = [](double x) { return std::exp(-x * x / 2) / std::sqrt(2 * std::numbers::pi); };
  std::vector<std::pair<double, double>> mixing{{1.0, 1.0}};  // (v, weight): v = 1 for the Gaussian copula
  if (nu > 0.0) {
    mixing.clear();
    const double log_norm = std::lgamma(nu / 2) + nu / 2 * std::numbers::ln2;
    for (const auto& [y, w] : gauss_legendre({{-17.0, -8.0, 1.0}, {-8.0, 4.0, 0.1}, {4.0, 6.0, 0.5}}))
      mixing.emplace_back(std::sqrt(std::exp(y) / nu), w * std::exp(nu / 2 * y - std::exp(y) / 2 - log_norm));
  }
  // `w` spans `c v +- 10 sqrt(rho)` for every `v` whose weight counts: coarse below `c v_max - 10 s` is never
  // reached for the Gaussian copula, and the t copula's large `v` lie far below where the binomials are narrow.
  const double low = nu > 0.0 ? -26.0 : c - 10 * s, high = 10 * s;
  const double fine = nu > 0.0 ? -10.0 : low;
  std::vector<double> probability(n + 1, 0.0);
  for (const auto& [w, weight] : gauss_legendre({{low, fine, 1.0}, {fine, high, width}})) {
    double density = 0.0;
    for (const auto& [v, mixing_weight] : mixing) density += mixing_weight * normal_density((c * v - w) / s) / s;
    const double p = 0.5 * std::erfc(-w / std::sqrt(2 * (1 - rho)));
    if (p <= 0.0 || p >= 1.0) {
      probability[p <= 0.0 ? 0 : n] += weight * density;
      continue;
    }
    const double lp = std::log(p), lq = std::log1p(-p);
    for (int d = 0; d <= n; ++d) probability[d] += weight * density * std::exp(log_choose[d] + d * lp + (n - d) * lq);
  }
  return probability;
}

/// Compares every statistic of `results` with the distribution of `loss_per_default * d`.
void expect_matches(const pricing::Results& results, const std::vector<double>& probability, double loss_per_default,
                    const std::vector<std::pair<double, double>>& tranches, double tolerance) {
  double expected_loss = 0.0;
  for (std::size_t d = 0; d < probability.size(); ++d) expected_loss += probability[d] * loss_per_default * d;
  EXPECT_NEAR(results.portfolio.expected_loss, expected_loss, tolerance);
  for (std::size_t t = 0; t < tranches.size(); ++t) {
    const auto [a, b] = tranches[t];
    double el = 0.0, pd = 0.0;
    for (std::size_t d = 0; d < probability.size(); ++d) {
      const double loss = loss_per_default * d;
      el += probability[d] * std::min(std::max(loss - a, 0.0), b - a) / (b - a);
      if (loss > a) pd += probability[d];
    }
    EXPECT_NEAR(results.tranches[t].expected_loss, el, tolerance) << "tranche " << t;
    EXPECT_NEAR(results.tranches[t].default_probability, pd, tolerance) << "tranche " << t;
    EXPECT_TRUE(std::isnan(results.tranches[t].expected_loss_stderr));
  }
  ASSERT_EQ(results.portfolio.default_count_distribution.size(), probability.size());
  for (std::size_t d = 0; d < probability.size(); ++d)
    EXPECT_NEAR(results.portfolio.default_count_distribution[d], probability[d], tolerance) << d << " defaults";
  // VaR and the Acerbi-Tasche ES straight from the distribution (docs/methodology.md section 6.4).
  for (const double level : {0.99, 0.999}) {
    double cumulative = 0.0;
    std::size_t k = 0;
    for (; k < probability.size(); ++k)
      if ((cumulative += probability[k]) >= level) break;
    double tail = loss_per_default * k * (cumulative - level);
    for (std::size_t d = k + 1; d < probability.size(); ++d) tail += probability[d] * loss_per_default * d;
    const bool at_99 = level == 0.99;
    EXPECT_DOUBLE_EQ(at_99 ? results.portfolio.loss_var_99 : results.portfolio.loss_var_999, loss_per_default * k);
    // The ES divides an error of the distribution by 1 - level.
    EXPECT_NEAR(at_99 ? results.portfolio.loss_es_99 : results.portfolio.loss_es_999, tail / (1 - level),
                tolerance / (1 - level));
  }
}

}  // namespace

TEST(semi_analytic, example_pool_matches_the_gauss_legendre_integral_to_1e_10) {
  const auto plan = calibration::calibrate(io::load_deal(COMPUTEDEBT_EXAMPLE_DEALS "/homogeneous_pool.json"));
  const auto results = analytic::price(plan);
  ASSERT_TRUE(results.semi_analytic);
  EXPECT_LE(results.semi_analytic->achieved_error, 1e-12);
  EXPECT_LT(results.semi_analytic->bucketing_error, 1e-12);
  EXPECT_TRUE(results.warnings.empty());
  expect_matches(results, pool_distribution(125, 0.05, 0.3, 0.0, 0.1), 0.6 / 125, standard_tranches, 1e-10);
}

TEST(semi_analytic, thousand_name_pool_matches_the_gauss_legendre_integral_to_1e_10) {
  const auto plan =
      test_support::calibrate_json(test_support::homogeneous_pool(1000, 0.05, 0.3, 0.4, standard_tranches));
  const auto results = analytic::price(plan);
  expect_matches(results, pool_distribution(1000, 0.05, 0.3, 0.0, 0.025), 0.6 / 1000, standard_tranches, 1e-10);
}

TEST(semi_analytic, student_t_pool_matches_the_gauss_legendre_integral_to_1e_10) {
  const auto plan = test_support::calibrate_json(
      test_support::homogeneous_pool(125, 0.05, 0.3, 0.4, standard_tranches, "student_t", 5.0));
  const auto results = analytic::price(plan);
  expect_matches(results, pool_distribution(125, 0.05, 0.3, 5.0, 0.1), 0.6 / 125, standard_tranches, 1e-10);
  // The exact values quoted in docs/methodology.md section 6.4.
  EXPECT_NEAR(results.portfolio.loss_es_99, 0.34585, 5e-6);
  EXPECT_NEAR(results.portfolio.loss_es_999, 0.47062, 5e-6);
}
