#include <computedebt/analytic/quadrature.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using namespace computedebt;

TEST(quadrature, integrates_a_vector_of_probabilities_over_the_real_line) {
  // A conditional probability `Phi(z - 1)` and its complement over a standard normal `Z`, and a second part
  // holding the whole mass: `E[Phi(Z - 1)] = Phi(-1 / sqrt 2)`.
  const auto result = analytic::integrate_real_line(
      [](double z) {
        const double density = std::exp(-z * z / 2) / std::sqrt(2 * std::numbers::pi);
        const double p = 0.5 * std::erfc(-(z - 1) / std::sqrt(2.0));
        return analytic::Masses({density * p, density * (1 - p), density}, 2);
      },
      1e-12);
  const auto& values = result.value.values();
  ASSERT_EQ(values.size(), 3u);
  EXPECT_NEAR(values[0], 0.5 * std::erfc(0.5), 1e-13);
  EXPECT_NEAR(values[0] + values[1], 1.0, 1e-13);
  EXPECT_NEAR(values[2], 1.0, 1e-13);
  EXPECT_LE(result.error, 1e-11);
}

TEST(quadrature, the_norm_is_the_larger_part) {
  EXPECT_DOUBLE_EQ(abs(analytic::Masses({0.25, -0.5, 0.125}, 2)), 0.75);
  EXPECT_DOUBLE_EQ(abs(analytic::Masses({0.25, -0.5, 2.0}, 2)), 2.0);
  EXPECT_DOUBLE_EQ(abs(analytic::Masses(0.0) + analytic::Masses({1.0, 2.0}, 1)), 2.0);
}
