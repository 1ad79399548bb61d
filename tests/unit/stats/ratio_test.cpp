#include <gtest/gtest.h>

#include <computedebt/stats/ratio.hpp>

#include <cmath>
#include <vector>

namespace computedebt {
namespace {

TEST(ratio, means_covariance_and_delta_method_error_match_direct_formulas) {
  const std::vector<double> x{1.0, 3.0, 2.0, 7.0, 4.0}, y{1.0, 2.0, 1.0, 3.0, 2.0};
  stats::Ratio ratio;
  for (std::size_t i = 0; i < x.size(); ++i) ratio.add(x[i], y[i]);
  const double n = 5, mx = 17.0 / 5, my = 9.0 / 5;
  double cxy = 0, vx = 0, vy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    cxy += (x[i] - mx) * (y[i] - my) / (n - 1);
    vx += (x[i] - mx) * (x[i] - mx) / (n - 1);
    vy += (y[i] - my) * (y[i] - my) / (n - 1);
  }
  EXPECT_NEAR(ratio.covariance(), cxy, 1e-14);
  const double r = mx / my;
  EXPECT_NEAR(ratio.ratio(), r, 1e-14);
  EXPECT_NEAR(ratio.ratio_standard_error(), std::sqrt((vx - 2 * r * cxy + r * r * vy) / n) / my, 1e-14);
}

TEST(ratio, merging_equals_adding_in_one_run) {
  stats::Ratio all, left, right;
  for (int i = 0; i < 10; ++i) {
    const double x = std::sin(i), y = 1 + std::cos(i) * 0.5;
    all.add(x, y);
    (i < 4 ? left : right).add(x, y);
  }
  left += right;
  EXPECT_NEAR(left.covariance(), all.covariance(), 1e-14);
  EXPECT_NEAR(left.ratio(), all.ratio(), 1e-14);
  stats::Ratio empty;
  empty += all;
  EXPECT_EQ(empty, all);
}

}  // namespace
}  // namespace computedebt

TEST(ratio, the_standard_error_is_undefined_below_two_observations) {
  computedebt::stats::Ratio ratio;
  EXPECT_TRUE(std::isnan(ratio.ratio_standard_error()));
  ratio.add(0.3, 1.0);
  EXPECT_TRUE(std::isnan(ratio.ratio_standard_error()));
  ratio.add(0.5, 1.0);
  EXPECT_FALSE(std::isnan(ratio.ratio_standard_error()));
}
