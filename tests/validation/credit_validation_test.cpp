// Default times against closed forms: marginals, pairwise joint defaults (Gaussian and Student t), guarantees.

#include <computedebt/engine/simulate.hpp>
#include <computedebt/scenario/credit_sampler.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <ql/math/distributions/bivariatenormaldistribution.hpp>
#include <ql/math/integrals/segmentintegral.hpp>

#include <filesystem>

#include "test_deals.hpp"
#include "validation/statistical.hpp"

using namespace computedebt;
using test_support::pair_correlation;
using test_support::two_names;

namespace {

struct JointCounts {
  double a = 0, b = 0, both = 0;
};

JointCounts count_defaults(const calibration::Plan& plan, std::uint32_t seed, std::uint64_t paths, int month) {
  scenario::CreditSampler sampler(plan);
  std::vector<int> months(plan.credit.names);
  JointCounts counts;
  for (std::uint64_t path = 0; path < paths; ++path) {
    sampler.sample(seed, path, months);
    counts.a += months[0] <= month;
    counts.b += months[1] <= month;
    counts.both += months[0] <= month && months[1] <= month;
  }
  const double n = static_cast<double>(paths);
  return {counts.a / n, counts.b / n, counts.both / n};
}

double binomial_se(double p, std::uint64_t paths) { return std::sqrt(p * (1 - p) / static_cast<double>(paths)); }

}  // namespace

TEST(credit, single_name_default_probabilities_match_the_survival_curves) {
  const auto plan = test_support::calibrate_example("blended_2026.json");
  scenario::CreditSampler sampler(plan);
  const std::uint32_t seed = 5;
  const std::uint64_t paths = 100000;
  const std::vector<int> months{1, 12, 36, 60, plan.grid.months()};
  std::vector<std::vector<double>> defaulted(plan.credit.names, std::vector<double>(months.size(), 0.0));
  std::vector<int> month_of(plan.credit.names);
  for (std::uint64_t path = 0; path < paths; ++path) {
    sampler.sample(seed, path, month_of);
    for (std::size_t i = 0; i < plan.credit.names; ++i)
      for (std::size_t m = 0; m < months.size(); ++m) defaulted[i][m] += month_of[i] <= months[m];
  }
  for (std::size_t i = 0; i < plan.credit.names; i += 5)
    for (std::size_t m = 0; m < months.size(); ++m) {
      const double expected = 1.0 - plan.credit.survival_at(i, static_cast<std::size_t>(months[m]));
      const double calculated = defaulted[i][m] / static_cast<double>(paths);
      test_support::expect_within(plan.credit.ids[i] + " PD by month " + std::to_string(months[m]), calculated,
                                  expected, std::max(binomial_se(expected, paths), 1.0 / paths), seed);
    }
}

TEST(credit, gaussian_joint_defaults_follow_the_bivariate_normal) {
  const auto plan = test_support::calibrate_json(two_names(0.1, 0.2, "gaussian", 0, false));
  const std::uint64_t paths = 200000;
  const auto counts = count_defaults(plan, 9, paths, 60);
  const boost::math::normal standard;
  const double c_a = quantile(standard, 0.1), c_b = quantile(standard, 0.2);
  const double joint = QuantLib::BivariateCumulativeNormalDistributionWe04DP(pair_correlation)(c_a, c_b);
  test_support::expect_within("P(a defaults)", counts.a, 0.1, binomial_se(0.1, paths), 9);
  test_support::expect_within("P(both default)", counts.both, joint, binomial_se(joint, paths), 9);
  // The same as a default correlation, the figure analysts quote.
  const auto correlation = [](double pa, double pb, double pab) {
    return (pab - pa * pb) / std::sqrt(pa * (1 - pa) * pb * (1 - pb));
  };
  EXPECT_NEAR(correlation(counts.a, counts.b, counts.both), correlation(0.1, 0.2, joint), 0.02);
}

TEST(credit, student_t_joint_defaults_follow_the_bivariate_t_integral) {
  const double nu = 4.0;
  const auto plan = test_support::calibrate_json(two_names(0.1, 0.2, "student_t", nu, false));
  const std::uint64_t paths = 200000;
  const auto counts = count_defaults(plan, 13, paths, 60);
  const boost::math::students_t t(nu);
  const double c_a = quantile(t, 0.1), c_b = quantile(t, 0.2);
  // P(X_a <= c_a, X_b <= c_b) = E_W[Phi2(c_a v, c_b v; rho)], v = sqrt(W / nu), W ~ chi2(nu) = 2 Gamma(nu/2).
  const QuantLib::BivariateCumulativeNormalDistributionWe04DP phi2(pair_correlation);
  const auto integrand = [&](double u) {
    const double v = std::sqrt(2.0 * boost::math::gamma_p_inv(nu / 2, u) / nu);
    return phi2(c_a * v, c_b * v);
  };
  const double joint = QuantLib::SegmentIntegral(20000)(integrand, 1e-12, 1 - 1e-12);
  test_support::expect_within("t copula P(a defaults)", counts.a, 0.1, binomial_se(0.1, paths), 13);
  test_support::expect_within("t copula P(b defaults)", counts.b, 0.2, binomial_se(0.2, paths), 13);
  test_support::expect_within("t copula P(both default)", counts.both, joint, binomial_se(joint, paths), 13);
  // Tail dependence: the t copula's joint default is above the Gaussian's at the same correlation.
  const boost::math::normal standard;
  EXPECT_GT(joint, QuantLib::BivariateCumulativeNormalDistributionWe04DP(pair_correlation)(quantile(standard, 0.1),
                                                                                           quantile(standard, 0.2)));
}

TEST(credit, a_guaranteed_contract_defaults_only_when_both_parties_do) {
  // Recoveries 0 and notional 1: the portfolio loss is the indicator of the contract's default.
  const auto plan = test_support::calibrate_json(two_names(0.2, 0.05, "gaussian", 0, true));
  engine::SimulationConfig config;
  config.paths = 200000;
  config.seed = 21;
  const auto results = engine::simulate(plan, config);
  const boost::math::normal standard;
  const double joint = QuantLib::BivariateCumulativeNormalDistributionWe04DP(pair_correlation)(
      quantile(standard, 0.2), quantile(standard, 0.05));
  test_support::expect_within("P(guaranteed contract defaults)", results.portfolio.expected_loss, joint,
                              results.portfolio.expected_loss_stderr, config.seed);
  // Without the guarantee, the contract defaults with its counterparty.
  auto unguaranteed = two_names(0.2, 0.05, "gaussian", 0, true);
  unguaranteed["deal"]["contracts"][0].erase("guarantee");
  const auto plain = engine::simulate(test_support::calibrate_json(unguaranteed), config);
  test_support::expect_within("P(unguaranteed contract defaults)", plain.portfolio.expected_loss, 0.2,
                              plain.portfolio.expected_loss_stderr, config.seed);
}

TEST(credit, an_expired_guarantee_protects_nothing) {
  auto document = two_names(0.2, 0.05, "gaussian", 0, true);
  document["deal"]["contracts"][0]["guarantee"]["expiry"] = "2026-01-15";  // before t0
  engine::SimulationConfig config;
  config.paths = 100000;
  config.seed = 22;
  const auto results = engine::simulate(test_support::calibrate_json(document), config);
  test_support::expect_within("P(default) with an expired guarantee", results.portfolio.expected_loss, 0.2,
                              results.portfolio.expected_loss_stderr, config.seed);
}

TEST(credit, a_guarantee_whose_cap_is_used_up_protects_nothing) {
  auto document = two_names(0.2, 0.05, "gaussian", 0, true);
  document["deal"]["contracts"][0]["guarantee"]["cap"] = 0.0;
  engine::SimulationConfig config;
  config.paths = 100000;
  config.seed = 23;
  const auto results = engine::simulate(test_support::calibrate_json(document), config);
  test_support::expect_within("P(default) with a zero cap", results.portfolio.expected_loss, 0.2,
                              results.portfolio.expected_loss_stderr, config.seed);
}
