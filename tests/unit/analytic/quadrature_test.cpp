#include <computedebt/analytic/quadrature.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

using namespace computedebt;

TEST(quadrature, integrates_a_vector_of_probabilities_adaptively) {
  // A conditional probability `Phi(z - 1)` and its complement over a standard normal `Z` on [-9, 9], and a second
  // part holding the whole mass: `E[Phi(Z - 1)] = Phi(-1 / sqrt 2)`.
  const auto result = analytic::integrate(
      [](double z, std::span<double> out) {
        const double density = std::exp(-z * z / 2) / std::sqrt(2 * std::numbers::pi);
        const double p = 0.5 * std::erfc(-(z - 1) / std::sqrt(2.0));
        out[0] = density * p;
        out[1] = density * (1 - p);
        out[2] = density;
      },
      -9.0, 9.0, 3, 2, 1e-12);
  ASSERT_EQ(result.value.size(), 3u);
  EXPECT_NEAR(result.value[0], 0.5 * std::erfc(0.5), 1e-13);
  EXPECT_NEAR(result.value[0] + result.value[1], 1.0, 1e-13);
  EXPECT_NEAR(result.value[2], 1.0, 1e-13);
  EXPECT_LE(result.error, 1e-12);
  EXPECT_EQ(result.evaluations % 61, 0u);
}

TEST(quadrature, bisects_where_the_integrand_is_narrow) {
  // A narrow bump at 0.3 of width 0.01: one piece cannot hold it, a few bisections around it do.
  const auto result = analytic::integrate(
      [](double x, std::span<double> out) {
        out[0] = std::exp(-(x - 0.3) * (x - 0.3) / 2e-4) / std::sqrt(2e-4 * std::numbers::pi);
      },
      -5.0, 5.0, 1, 1, 1e-12);
  EXPECT_NEAR(result.value[0], 1.0, 1e-12);
  EXPECT_GT(result.evaluations, 61u);
}

TEST(quadrature, the_norm_is_the_larger_part) {
  const std::vector<double> small{0.25, -0.5, 0.125}, large{0.25, -0.5, 2.0};
  EXPECT_DOUBLE_EQ(analytic::norm(small, 2), 0.75);
  EXPECT_DOUBLE_EQ(analytic::norm(large, 2), 2.0);
}
