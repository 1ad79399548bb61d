#include <gtest/gtest.h>
#include <computedebt/calibration/factor_root.hpp>

using namespace computedebt;

namespace {
void expect_square_root(const calibration::FactorRoot& root, const assumptions::Factors& factors, double tolerance) {
  const std::size_t n = factors.names.size();
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b) {
      double product = 0.0;
      for (std::size_t k = 0; k < n; ++k) product += root(a, k) * root(b, k);
      EXPECT_NEAR(product, factors.correlation[a][b], tolerance) << a << "," << b;
    }
}
}  // namespace

TEST(factor_root, positive_definite_correlation_gets_its_cholesky_factor) {
  const assumptions::Factors factors{{"a", "b", "c"}, {{1.0, 0.5, 0.2}, {0.5, 1.0, 0.3}, {0.2, 0.3, 1.0}}};
  const auto root = calibration::factor_root(factors);
  EXPECT_TRUE(root.cholesky);
  EXPECT_EQ(root(0, 1), 0.0);  // lower triangular
  EXPECT_EQ(root(1, 2), 0.0);
  EXPECT_EQ(root(0, 0), 1.0);
  expect_square_root(root, factors, 1e-15);
}

TEST(factor_root, semi_definite_correlation_gets_a_pseudo_square_root) {
  const assumptions::Factors factors{{"a", "b", "c"}, {{1.0, 1.0, 0.0}, {1.0, 1.0, 0.0}, {0.0, 0.0, 1.0}}};
  const auto root = calibration::factor_root(factors);
  EXPECT_FALSE(root.cholesky);
  expect_square_root(root, factors, 1e-12);
}

TEST(factor_root, no_factors_give_an_empty_root) {
  EXPECT_TRUE(calibration::factor_root(assumptions::Factors{}).matrix.empty());
}
