#include <computedebt/analytic/semi_analytic.hpp>
#include <computedebt/core/error.hpp>

#include <gtest/gtest.h>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/quadrature/gauss.hpp>

#include <cmath>
#include <numbers>

#include "test_deals.hpp"

using namespace computedebt;

namespace {

std::string refusal_path(const calibration::Plan& plan, const analytic::SemiAnalyticConfig& config = {}) {
  try {
    analytic::price(plan, config);
  } catch (const InputError& error) {
    return error.problems().front().path;
  }
  return "accepted";
}

}  // namespace

TEST(semi_analytic, refuses_a_waterfall_and_settings_out_of_range) {
  EXPECT_EQ(refusal_path(test_support::calibrate_json(test_support::single_lease_deal())), "method");
  const auto pool = test_support::calibrate_json(test_support::homogeneous_pool(5, 0.05, 0.3, 0.4, {{0.0, 1.0}}));
  EXPECT_EQ(refusal_path(pool, {0.0, 20000}), "tolerance");
  EXPECT_EQ(refusal_path(pool, {0.01, 20000}), "tolerance");
  EXPECT_EQ(refusal_path(pool, {1e-12, 10}), "max_units");
}

TEST(semi_analytic, value_at_risk_and_expected_shortfall_split_the_atom_at_var) {
  analytic::LossDistribution distribution;
  distribution.unit = 0.1;
  distribution.probability = {0.9, 0.095, 0.005};
  EXPECT_DOUBLE_EQ(distribution.value_at_risk(0.9), 0.0);
  EXPECT_DOUBLE_EQ(distribution.value_at_risk(0.99), 0.1);
  // The worst 1%: 0.5% at 0.2 and 0.5% of the 9.5% at 0.1.
  EXPECT_NEAR(distribution.expected_shortfall(0.99), (0.005 * 0.2 + 0.005 * 0.1) / 0.01, 1e-14);
  EXPECT_NEAR(distribution.expected_loss(), 0.0095 + 0.001, 1e-15);
  EXPECT_NEAR(distribution.exceedance(0.1), 0.005, 1e-15);
  EXPECT_NEAR(distribution.tranche_expected_loss(0.05, 0.15), 0.095 * 0.5 + 0.005, 1e-15);
}

TEST(semi_analytic, a_pool_on_one_of_two_correlated_factors_is_a_one_factor_pool) {
  const std::vector<std::pair<double, double>> tranches{{0.0, 0.03}, {0.03, 0.07}, {0.07, 0.15}};
  const auto one = test_support::homogeneous_pool(50, 0.05, 0.3, 0.4, tranches);
  auto two = one;
  two["assumptions"]["factors"] = {{"names", {"market", "ai"}}, {"correlation", {{1.0, 0.6}, {0.6, 1.0}}}};
  const auto a = analytic::price(test_support::calibrate_json(one));
  const auto b = analytic::price(test_support::calibrate_json(two));
  for (std::size_t t = 0; t < tranches.size(); ++t)
    EXPECT_NEAR(a.tranches[t].expected_loss, b.tranches[t].expected_loss, 1e-14);
}

// Five names with incommensurate notionals, bucketed on 100 units: every statistic within the lattice's bound of
// the exact values, from all 32 default patterns integrated over the factor.
TEST(semi_analytic, bucketed_losses_stay_within_the_stated_bound) {
  const std::vector<double> notionals{1.0, std::sqrt(2.0), std::numbers::pi, std::numbers::e, 0.3};
  const std::vector<std::pair<double, double>> tranches{{0.0, 0.1}, {0.1, 0.3}, {0.3, 1.0}};
  auto document = test_support::homogeneous_pool(5, 0.1, 0.3, 0.4, tranches);
  double total = 0.0;
  for (std::size_t i = 0; i < notionals.size(); ++i) {
    document["deal"]["contracts"][i]["notional"] = notionals[i];
    total += notionals[i];
  }
  const auto results = analytic::price(test_support::calibrate_json(document), {1e-13, 100});
  const double bound = results.semi_analytic->bucketing_error;
  EXPECT_GT(bound, 0.0);
  EXPECT_LE(bound, 5 * results.semi_analytic->loss_unit / 2);

  using rule = boost::math::quadrature::gauss<double, 20>;
  const double c = quantile(boost::math::normal(), 0.1);
  std::vector<double> expected(tranches.size(), 0.0);
  double expected_loss = 0.0;
  for (int piece = 0; piece < 200; ++piece) {
    const double mid = -10.0 + (piece + 0.5) * 0.1;
    for (std::size_t i = 0; i < rule::abscissa().size(); ++i)
      for (const double sign : {-1.0, 1.0}) {
        const double z = mid + sign * rule::abscissa()[i] * 0.05;
        const double weight = rule::weights()[i] * 0.05 * std::exp(-z * z / 2) / std::sqrt(2 * std::numbers::pi);
        const double p = 0.5 * std::erfc(-(c - std::sqrt(0.3) * z) / std::sqrt(2 * 0.7));
        for (int pattern = 0; pattern < 32; ++pattern) {
          double probability = weight, loss = 0.0;
          for (int n = 0; n < 5; ++n) {
            const bool defaulted = (pattern >> n) & 1;
            probability *= defaulted ? p : 1 - p;
            loss += defaulted ? 0.6 * notionals[n] / total : 0.0;
          }
          expected_loss += probability * loss;
          for (std::size_t t = 0; t < tranches.size(); ++t) {
            const auto [a, d] = tranches[t];
            expected[t] += probability * std::min(std::max(loss - a, 0.0), d - a) / (d - a);
          }
        }
      }
  }
  EXPECT_LE(std::abs(results.portfolio.expected_loss - expected_loss), bound + 1e-12);
  for (std::size_t t = 0; t < tranches.size(); ++t) {
    const auto [a, d] = tranches[t];
    EXPECT_LE(std::abs(results.tranches[t].expected_loss - expected[t]), bound / (d - a) + 1e-12) << "tranche " << t;
  }
}
