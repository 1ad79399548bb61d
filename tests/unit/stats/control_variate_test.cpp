#include <gtest/gtest.h>

#include <computedebt/stats/control_variate.hpp>

#include <cmath>
#include <vector>

namespace computedebt {
namespace {

/// `(y, c1, c2)` with `y = 2 c1 - c2 + e`: `c1` and `c2` independent-looking sequences, `e` a small wiggle.
stats::CoMoments sample(int n, double noise, bool collinear = false) {
  stats::CoMoments moments(3);
  std::vector<double> delta(3);
  for (int i = 0; i < n; ++i) {
    const double c1 = std::sin(1.3 * i), c2 = collinear ? 2.0 * c1 : std::cos(0.7 * i) * std::cos(0.11 * i);
    const double y = 2.0 * c1 - c2 + noise * std::sin(5.1 * i + 0.3);
    moments.add(std::vector<double>{y, c1, c2}, delta);
  }
  return moments;
}

/// The least-squares fit of `y` on two controls by Cramer's rule on the sample covariances.
struct Fit {
  double b1, b2, residual_variance;
};
Fit fit(const stats::CoMoments& m) {
  const double s11 = m.covariance(1, 1), s12 = m.covariance(1, 2), s22 = m.covariance(2, 2);
  const double s1y = m.covariance(1, 0), s2y = m.covariance(2, 0), det = s11 * s22 - s12 * s12;
  const double b1 = (s1y * s22 - s2y * s12) / det, b2 = (s2y * s11 - s1y * s12) / det;
  return {b1, b2, m.covariance(0, 0) - b1 * s1y - b2 * s2y};
}

TEST(control_variate, the_estimate_is_the_regression_adjusted_mean) {
  const auto moments = sample(500, 0.1);
  const std::vector<std::size_t> controls{1, 2};
  const std::vector<double> exact{0.01, -0.02};
  const auto estimate = stats::controlled_mean(moments, 0, controls, exact);
  const auto expected = fit(moments);
  ASSERT_EQ(estimate.coefficients.size(), 2u);
  EXPECT_NEAR(estimate.coefficients[0], expected.b1, 1e-10);
  EXPECT_NEAR(estimate.coefficients[1], expected.b2, 1e-10);
  EXPECT_NEAR(estimate.coefficients[0], 2.0, 0.05);
  EXPECT_NEAR(estimate.coefficients[1], -1.0, 0.05);
  EXPECT_NEAR(estimate.mean,
              moments.mean(0) - expected.b1 * (moments.mean(1) - exact[0]) - expected.b2 * (moments.mean(2) - exact[1]),
              1e-12);
  EXPECT_NEAR(estimate.residual_variance, expected.residual_variance, 1e-12);
  EXPECT_NEAR(estimate.standard_error, std::sqrt(expected.residual_variance * 499.0 / 497.0 / 500.0), 1e-12);
  EXPECT_NEAR(estimate.variance_reduction, moments.covariance(0, 0) / expected.residual_variance, 1e-6);
  EXPECT_GT(estimate.variance_reduction, 100.0);
  EXPECT_FALSE(estimate.spans_target);
}

TEST(control_variate, residual_covariance_subtracts_the_fitted_part) {
  const auto moments = sample(300, 0.2);
  const std::vector<std::size_t> controls{1};
  const std::vector<double> exact{0.0};
  const auto estimate = stats::controlled_mean(moments, 0, controls, exact);
  EXPECT_NEAR(stats::residual_covariance(moments, 0, controls, estimate, 2),
              moments.covariance(0, 2) - estimate.coefficients[0] * moments.covariance(1, 2), 1e-15);
  EXPECT_NEAR(estimate.coefficients[0], moments.covariance(1, 0) / moments.covariance(1, 1), 1e-12);
}

TEST(control_variate, controls_that_reproduce_the_target_are_flagged) {
  const auto moments = sample(200, 0.0);
  const std::vector<std::size_t> controls{1, 2};
  const std::vector<double> exact{0.0, 0.0};
  EXPECT_TRUE(stats::controlled_mean(moments, 0, controls, exact).spans_target);
}

TEST(control_variate, a_control_that_adds_nothing_is_left_out) {
  const auto moments = sample(200, 0.1, true);  // c2 = 2 c1
  const std::vector<std::size_t> controls{1, 2};
  const std::vector<double> exact{0.0, 0.0};
  const auto estimate = stats::controlled_mean(moments, 0, controls, exact);
  EXPECT_EQ(estimate.coefficients[1], 0.0);
  EXPECT_NEAR(estimate.coefficients[0], moments.covariance(1, 0) / moments.covariance(1, 1), 1e-12);
  EXPECT_TRUE(std::isfinite(estimate.standard_error));
}

TEST(control_variate, without_controls_it_is_the_plain_mean) {
  const auto moments = sample(100, 0.3);
  const auto estimate = stats::controlled_mean(moments, 0, {}, {});
  EXPECT_EQ(estimate.mean, moments.mean(0));
  EXPECT_EQ(estimate.variance_reduction, 1.0);
  EXPECT_NEAR(estimate.standard_error, std::sqrt(moments.covariance(0, 0) / 100.0), 1e-15);
  stats::CoMoments one(3);
  std::vector<double> delta(3);
  one.add(std::vector<double>{1.0, 2.0, 3.0}, delta);
  EXPECT_TRUE(std::isnan(stats::controlled_mean(one, 0, {}, {}).standard_error));
}

}  // namespace
}  // namespace computedebt
