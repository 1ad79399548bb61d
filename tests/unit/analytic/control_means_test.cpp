#include <computedebt/analytic/control_means.hpp>
#include <computedebt/analytic/semi_analytic.hpp>
#include <computedebt/core/error.hpp>

#include <gtest/gtest.h>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <ql/math/distributions/bivariatenormaldistribution.hpp>

#include <cmath>

#include "test_deals.hpp"

using namespace computedebt;

TEST(control_means, the_pool_loss_mean_is_pd_times_loss_given_default) {
  // Every name: PD 5% at the 5-year horizon, recovery 40%, a constant exposure.
  const auto plan =
      test_support::calibrate_json(test_support::homogeneous_pool(30, 0.05, 0.3, 0.4, {{0.0, 0.1}, {0.1, 1.0}}));
  const auto means = analytic::control_means(plan);
  EXPECT_NEAR(means.portfolio_loss, 0.05 * 0.6, 1e-14);
  // Notional 1 each: a common unit, so the tranche means are the exact ones of the loss distribution.
  const auto distribution = analytic::loss_distribution(plan);
  ASSERT_EQ(means.tranche_loss.size(), 2u);
  EXPECT_EQ(means.tranche_loss[0], distribution.tranche_expected_loss(0.0, 0.1));
  EXPECT_EQ(means.tranche_loss[1], distribution.tranche_expected_loss(0.1, 1.0));
  // The tranches tile the pool: their width-weighted losses add up to the pool's.
  EXPECT_NEAR(0.1 * means.tranche_loss[0] + 0.9 * means.tranche_loss[1], means.portfolio_loss, 1e-11);
}

TEST(control_means, a_guaranteed_contract_loses_when_both_names_default) {
  // Recoveries 40% and a notional of 1: the loss is 0.6 times the probability that both default by the horizon,
  // whichever first, since both recoveries are equal.
  const auto document = test_support::two_names(0.2, 0.05, "gaussian", 0, true, 0.4, 0.4);
  const auto plan = test_support::calibrate_json(document);
  double error = 1.0;
  const double mean = analytic::expected_portfolio_loss(plan, 1e-12, &error);
  const boost::math::normal standard;
  const double both = QuantLib::BivariateCumulativeNormalDistributionWe04DP(test_support::pair_correlation)(
      quantile(standard, 0.2), quantile(standard, 0.05));
  EXPECT_NEAR(mean, 0.6 * both, 1e-11);
  EXPECT_LT(error, 1e-11);
  // With a guarantee no tranche mean is exact: the semi-analytic recursion takes independent names only.
  EXPECT_TRUE(analytic::control_means(plan).tranche_loss.empty());
}

TEST(control_means, student_t_double_default_against_an_integral_over_the_mixing_variable) {
  const double nu = 5.0;
  const auto plan = test_support::calibrate_json(test_support::two_names(0.2, 0.05, "student_t", nu, true, 0.4, 0.4));
  const boost::math::students_t t(nu);
  const double c_a = quantile(t, 0.2), c_b = quantile(t, 0.05);
  // P(T_a <= c_a, T_b <= c_b) = E_W[Phi2(c_a v, c_b v)], v = sqrt(W / nu), W ~ chi2(nu).
  const QuantLib::BivariateCumulativeNormalDistributionWe04DP phi2(test_support::pair_correlation);
  const boost::math::chi_squared chi2(nu);
  boost::math::quadrature::exp_sinh<double> integrator;
  const double both = integrator.integrate(
      [&](double w) { return phi2(c_a * std::sqrt(w / nu), c_b * std::sqrt(w / nu)) * pdf(chi2, w); }, 1e-13);
  EXPECT_NEAR(analytic::expected_portfolio_loss(plan, 1e-12), 0.6 * both, 1e-10);
}

TEST(control_means, an_expired_guarantee_leaves_the_obligors_marginal) {
  auto document = test_support::two_names(0.2, 0.05, "gaussian", 0, true, 0.4, 0.4);
  document["deal"]["contracts"][0]["guarantee"]["expiry"] = "2026-01-15";  // before t0
  EXPECT_NEAR(analytic::expected_portfolio_loss(test_support::calibrate_json(document), 1e-12), 0.2 * 0.6, 1e-11);
}

TEST(control_means, a_guarantee_needs_only_its_pair_of_names_whatever_the_factors) {
  // Four factors, the obligor on the first two and the guarantor on the last two: independent names, so the pair
  // defaults with probability 0.2 x 0.05, though a full model of the names would need four directions.
  auto document = test_support::two_names(0.2, 0.05, "gaussian", 0, true, 0.4, 0.4);
  auto& assumptions = document["assumptions"];
  assumptions["factors"] = {
      {"names", {"f1", "f2", "f3", "f4"}},
      {"correlation", {{1.0, 0.0, 0.0, 0.0}, {0.0, 1.0, 0.0, 0.0}, {0.0, 0.0, 1.0, 0.0}, {0.0, 0.0, 0.0, 1.0}}}};
  assumptions["credit"]["a"]["factor_loadings"] = {{"f1", 0.5}, {"f2", 0.4}};
  assumptions["credit"]["b"]["factor_loadings"] = {{"f3", 0.5}, {"f4", 0.4}};
  EXPECT_NEAR(analytic::expected_portfolio_loss(test_support::calibrate_json(document), 1e-12), 0.6 * 0.2 * 0.05,
              1e-12);
  // Correlated through one shared factor, the pair's model is one direction with the rest folded in.
  assumptions["credit"]["b"]["factor_loadings"] = {{"f2", 0.5}, {"f4", 0.4}};
  const boost::math::normal standard;
  const double both = QuantLib::BivariateCumulativeNormalDistributionWe04DP(0.4 * 0.5)(quantile(standard, 0.2),
                                                                                       quantile(standard, 0.05));
  EXPECT_NEAR(analytic::expected_portfolio_loss(test_support::calibrate_json(document), 1e-12), 0.6 * both, 1e-11);
}
