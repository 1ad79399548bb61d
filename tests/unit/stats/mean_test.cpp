#include <gtest/gtest.h>
#include <computedebt/stats/mean.hpp>

#include <cmath>
#include <vector>

using computedebt::stats::Mean;

TEST(mean, matches_the_two_pass_mean_and_variance) {
  const std::vector<double> xs{0.3, 1.7, -2.5, 4.0, 0.0, 0.125, 9.5};
  Mean m;
  double sum = 0;
  for (double x : xs) {
    m.add(x);
    sum += x;
  }
  const double mean = sum / xs.size();
  double ss = 0;
  for (double x : xs) ss += (x - mean) * (x - mean);
  EXPECT_EQ(m.count(), xs.size());
  EXPECT_NEAR(m.mean(), mean, 1e-15);
  EXPECT_NEAR(m.variance(), ss / (xs.size() - 1), 1e-13);
  EXPECT_NEAR(m.standard_error(), std::sqrt(ss / (xs.size() - 1) / xs.size()), 1e-14);
}

TEST(mean, merging_two_halves_equals_one_pass) {
  Mean left, right, all;
  for (int i = 0; i < 100; ++i) {
    const double x = std::sin(i) * 3 + i * 0.01;
    (i < 37 ? left : right).add(x);
    all.add(x);
  }
  left += right;
  EXPECT_EQ(left.count(), all.count());
  EXPECT_NEAR(left.mean(), all.mean(), 1e-15);
  EXPECT_NEAR(left.variance(), all.variance(), 1e-13);
}

TEST(mean, an_empty_accumulator_is_an_exact_identity) {
  Mean m;
  m.add(1.25);
  m.add(-3.5);
  const Mean before = m;
  m += Mean{};
  EXPECT_EQ(m, before);
  Mean empty;
  empty += before;
  EXPECT_EQ(empty, before);
}

TEST(mean, the_standard_error_is_undefined_below_two_observations) {
  // One path does not have a standard error of 0: no variance can be estimated from it (issue 15).
  Mean m;
  EXPECT_TRUE(std::isnan(m.standard_error()));
  m.add(0.4);
  EXPECT_TRUE(std::isnan(m.standard_error()));
  m.add(0.6);
  EXPECT_NEAR(m.standard_error(), 0.1, 1e-15);  // sqrt(0.02 / 2)
}
