// Loss tranches of a homogeneous pool against the finite-pool conditional binomial integral and Vasicek's
// large-pool closed form.

#include <computedebt/engine/simulate.hpp>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <ql/math/distributions/bivariatenormaldistribution.hpp>
#include <ql/math/integrals/segmentintegral.hpp>

#include "test_deals.hpp"
#include "validation/statistical.hpp"

using namespace computedebt;

namespace {

const std::vector<std::pair<double, double>> standard_tranches{{0.0, 0.03},  {0.03, 0.07}, {0.07, 0.10},
                                                               {0.10, 0.15}, {0.15, 0.30}, {0.30, 1.0}};

double tranche_loss(double loss, double a, double d) { return std::min(std::max(loss - a, 0.0), d - a) / (d - a); }

/// `E[tranche loss]` of every standard tranche for `n` names: the conditional binomial integrated over the
/// factor with Simpson's rule on [-9, 9] (the binomial weights computed once per node from log-factorials).
std::vector<double> conditional_binomial(int n, double pd, double rho, double recovery, int intervals = 2000) {
  const boost::math::normal standard;
  const double c = quantile(standard, pd);
  std::vector<double> log_factorial(n + 1, 0.0);
  for (int k = 1; k <= n; ++k) log_factorial[k] = log_factorial[k - 1] + std::log(k);
  std::vector<std::vector<double>> loss(standard_tranches.size(), std::vector<double>(n + 1));
  for (std::size_t t = 0; t < standard_tranches.size(); ++t)
    for (int k = 0; k <= n; ++k)
      loss[t][k] = tranche_loss((1 - recovery) * k / n, standard_tranches[t].first, standard_tranches[t].second);
  std::vector<double> expected(standard_tranches.size(), 0.0);
  const double low = -9.0, h = 18.0 / intervals;
  for (int i = 0; i <= intervals; ++i) {
    const double z = low + i * h;
    const double simpson = (i == 0 || i == intervals) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    const double weight = simpson * h / 3.0 * pdf(standard, z);
    const double p = cdf(standard, (c - std::sqrt(rho) * z) / std::sqrt(1 - rho));
    for (int k = 0; k <= n; ++k) {
      const double pmf = p <= 0.0   ? (k == 0)
                         : p >= 1.0 ? (k == n)
                                    : std::exp(log_factorial[n] - log_factorial[k] - log_factorial[n - k] +
                                               k * std::log(p) + (n - k) * std::log1p(-p));
      for (std::size_t t = 0; t < expected.size(); ++t) expected[t] += weight * pmf * loss[t][k];
    }
  }
  return expected;
}

/// Vasicek's large homogeneous pool: `E[min(L, K)]` in closed form with the bivariate normal.
double vasicek_capped_loss(double pd, double rho, double recovery, double cap) {
  const boost::math::normal standard;
  const double c = quantile(standard, pd);
  const double k = cap / (1 - recovery);  // cap on the default fraction p(Z)
  if (k <= 0) return 0.0;
  if (k >= 1) return (1 - recovery) * pd;
  // p(Z) > k  <=>  Z < z*;  E[p 1{Z < z*}] = Phi2(c, z*; sqrt(rho)).
  const double z_star = (c - std::sqrt(1 - rho) * quantile(standard, k)) / std::sqrt(rho);
  const QuantLib::BivariateCumulativeNormalDistributionWe04DP phi2(std::sqrt(rho));
  const double excess = phi2(c, z_star) - k * cdf(standard, z_star);  // E[(p - k)^+]
  return (1 - recovery) * (pd - excess);
}

double vasicek_tranche(double pd, double rho, double recovery, double a, double d) {
  return (vasicek_capped_loss(pd, rho, recovery, d) - vasicek_capped_loss(pd, rho, recovery, a)) / (d - a);
}

}  // namespace

TEST(loss_tranches, homogeneous_pool_matches_the_conditional_binomial_integral) {
  const int n = 125;
  const double pd = 0.05, rho = 0.3, recovery = 0.4;
  const auto plan =
      test_support::calibrate_json(test_support::homogeneous_pool(n, pd, rho, recovery, standard_tranches));
  engine::SimulationConfig config;
  config.paths = 200000;
  config.seed = 7;
  const auto results = engine::simulate(plan, config);
  test_support::expect_within("portfolio expected loss", results.portfolio.expected_loss, pd * (1 - recovery),
                              results.portfolio.expected_loss_stderr, config.seed);
  const auto expected = conditional_binomial(n, pd, rho, recovery);
  for (std::size_t t = 0; t < standard_tranches.size(); ++t) {
    const auto [a, d] = standard_tranches[t];
    const auto& tranche = results.tranches[t];
    test_support::expect_within("tranche " + std::to_string(a) + "-" + std::to_string(d) + " expected loss",
                                tranche.expected_loss, expected[t], tranche.expected_loss_stderr, config.seed);
  }
}

TEST(loss_tranches, larger_pools_match_the_binomial_and_approach_vasicek) {
  const double pd = 0.05, rho = 0.3, recovery = 0.4;
  // Closed forms: the finite-pool integral converges to the large-pool formula as N grows.
  std::vector<double> previous_gap(standard_tranches.size(), 1.0);
  for (int n : {125, 500, 2000}) {
    const auto finite = conditional_binomial(n, pd, rho, recovery);
    for (std::size_t t = 0; t < standard_tranches.size(); ++t) {
      const auto [a, d] = standard_tranches[t];
      const double gap = std::abs(finite[t] - vasicek_tranche(pd, rho, recovery, a, d));
      EXPECT_LT(gap, previous_gap[t] + 1e-6) << "tranche " << a << "-" << d << " at N = " << n;
      previous_gap[t] = gap;
    }
  }
  for (std::size_t t = 0; t < standard_tranches.size(); ++t)
    EXPECT_LT(previous_gap[t], 2e-3) << "tranche " << t << ": N = 2000 vs the large pool";
  // The engine on a 1000-name pool, against both.
  const int n = 1000;
  const auto plan =
      test_support::calibrate_json(test_support::homogeneous_pool(n, pd, rho, recovery, standard_tranches));
  engine::SimulationConfig config;
  config.paths = 40000;
  config.seed = 11;
  const auto results = engine::simulate(plan, config);
  const auto finite_pool = conditional_binomial(n, pd, rho, recovery);
  for (std::size_t t = 0; t < standard_tranches.size(); ++t) {
    const auto [a, d] = standard_tranches[t];
    const double finite = finite_pool[t];
    const double large = vasicek_tranche(pd, rho, recovery, a, d);
    const auto& tranche = results.tranches[t];
    test_support::expect_within("N = 1000 tranche " + std::to_string(a) + " vs binomial", tranche.expected_loss, finite,
                                tranche.expected_loss_stderr, config.seed);
    test_support::expect_within("N = 1000 tranche " + std::to_string(a) + " vs Vasicek", tranche.expected_loss, large,
                                tranche.expected_loss_stderr, config.seed, 4.0, std::abs(finite - large));
  }
}

TEST(loss_tranches, tranche_default_probability_is_the_chance_the_loss_passes_attachment) {
  const int n = 125;
  const double pd = 0.05, rho = 0.3, recovery = 0.4;
  const auto plan =
      test_support::calibrate_json(test_support::homogeneous_pool(n, pd, rho, recovery, standard_tranches));
  engine::SimulationConfig config;
  config.paths = 100000;
  config.seed = 3;
  const auto results = engine::simulate(plan, config);
  const boost::math::normal standard;
  const double c = quantile(standard, pd);
  for (std::size_t t = 1; t < standard_tranches.size(); ++t) {
    const double a = standard_tranches[t].first;
    // P(L > A) = P(defaults > A n / (1 - R)), integrated over the factor.
    const int threshold = static_cast<int>(std::floor(a * n / (1 - recovery) + 1e-12));
    const auto integrand = [&](double z) {
      const double p = cdf(standard, (c - std::sqrt(rho) * z) / std::sqrt(1 - rho));
      return cdf(complement(boost::math::binomial(n, p), threshold)) * pdf(standard, z);
    };
    const double expected = QuantLib::SegmentIntegral(4000)(integrand, -9.0, 9.0);
    const double se = std::sqrt(expected * (1 - expected) / static_cast<double>(config.paths));
    test_support::expect_within("P(L > " + std::to_string(a) + ")", results.tranches[t].default_probability, expected,
                                se, config.seed);
    EXPECT_NEAR(results.tranches[t].loss_given_default,
                results.tranches[t].expected_loss / results.tranches[t].default_probability, 1e-15);
  }
}
