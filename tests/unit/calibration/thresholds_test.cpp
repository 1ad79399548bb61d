#include <gtest/gtest.h>
#include <computedebt/calibration/thresholds.hpp>

#include <ql/math/distributions/normaldistribution.hpp>
#include <ql/math/distributions/studenttdistribution.hpp>

#include <cmath>
#include <limits>

using namespace computedebt;

TEST(thresholds, gaussian_thresholds_are_the_normal_quantile_of_the_default_probability) {
  const std::vector<double> survival{1.0, 0.999, 0.95, 0.5, 0.1, 1e-9};
  const auto c = calibration::default_thresholds(survival, assumptions::GaussianCopula{});
  EXPECT_EQ(c[0], -std::numeric_limits<double>::infinity());
  const QuantLib::CumulativeNormalDistribution phi;
  for (std::size_t k = 1; k < survival.size(); ++k) EXPECT_NEAR(phi(c[k]), 1.0 - survival[k], 1e-13) << k;
  // QuantLib's inverse normal is Acklam's approximation, good to about 1e-9.
  EXPECT_NEAR(c[2], QuantLib::InverseCumulativeNormal()(0.05), 1e-8);
}

TEST(thresholds, student_t_thresholds_are_the_t_quantile) {
  const std::vector<double> survival{1.0, 0.99, 0.9, 0.6};
  const double nu = 5.0;
  const auto c = calibration::default_thresholds(survival, assumptions::StudentTCopula{nu});
  EXPECT_EQ(c[0], -std::numeric_limits<double>::infinity());
  const QuantLib::CumulativeStudentDistribution t_cdf(static_cast<QuantLib::Integer>(nu));
  for (std::size_t k = 1; k < survival.size(); ++k) EXPECT_NEAR(t_cdf(c[k]), 1.0 - survival[k], 1e-12) << k;
}

TEST(thresholds, a_certain_default_has_an_infinite_threshold) {
  const auto c = calibration::default_thresholds(std::vector<double>{0.0}, assumptions::GaussianCopula{});
  EXPECT_EQ(c[0], std::numeric_limits<double>::infinity());
}

TEST(thresholds, far_tails_give_infinite_thresholds_not_exceptions) {
  // S = e^-700 with a heavy-tailed t: the quantile overflows.
  const std::vector<double> survival{std::exp(-700.0), 1e-300};
  const auto c = calibration::default_thresholds(survival, assumptions::StudentTCopula{0.5});
  for (double x : c) EXPECT_TRUE(std::isinf(x) ? x > 0 : x > 1e10) << x;
}
