#include <gtest/gtest.h>
#include <computedebt/stats/histogram.hpp>

using computedebt::stats::Histogram;

TEST(histogram, var_is_the_smallest_value_of_the_bin_reaching_the_level) {
  Histogram h(0.0, 1.0, 10000);
  // 1000 values: 0.0 x 900, 0.1 x 90, 0.25 x 9, 0.9 x 1.
  for (int i = 0; i < 900; ++i) h.add(0.0);
  for (int i = 0; i < 90; ++i) h.add(0.1);
  for (int i = 0; i < 9; ++i) h.add(0.25);
  h.add(0.9);
  EXPECT_EQ(h.total(), 1000.0);
  EXPECT_EQ(h.value_at_risk(0.9), 0.0);
  EXPECT_EQ(h.value_at_risk(0.99), 0.1);
  EXPECT_EQ(h.value_at_risk(0.999), 0.25);
  // ES = E[L | L >= VaR].
  EXPECT_NEAR(h.expected_shortfall(0.99), (90 * 0.1 + 9 * 0.25 + 0.9) / 100.0, 1e-15);
  EXPECT_NEAR(h.expected_shortfall(0.999), (9 * 0.25 + 0.9) / 10.0, 1e-15);
}

TEST(histogram, values_outside_the_range_land_in_overflow_bins) {
  Histogram h(0.0, 1.0, 10);
  h.add(-0.5);
  h.add(1.0);
  h.add(7.0);
  EXPECT_EQ(h.bins().front().weight, 1.0);
  EXPECT_EQ(h.bins().back().weight, 2.0);
  EXPECT_EQ(h.bins().back().min, 1.0);
  EXPECT_EQ(h.value_at_risk(0.99), 1.0);
}

TEST(histogram, merging_is_exact_and_empty_is_an_identity) {
  Histogram a(0.0, 1.0, 100), b(0.0, 1.0, 100), all(0.0, 1.0, 100);
  for (int i = 0; i < 50; ++i) {
    const double x = (i * 37 % 100) / 100.0;
    (i % 2 ? a : b).add(x);
    all.add(x);
  }
  Histogram merged = b;
  merged += a;
  EXPECT_EQ(merged.total(), all.total());
  for (std::size_t i = 0; i < all.bins().size(); ++i) {
    EXPECT_EQ(merged.bins()[i].weight, all.bins()[i].weight);
    EXPECT_EQ(merged.bins()[i].min, all.bins()[i].min);
  }
  const Histogram before = a;
  a += Histogram(0.0, 1.0, 100);
  EXPECT_EQ(a, before);
}

TEST(histogram, weighted_values_shift_the_quantiles) {
  Histogram h(0.0, 1.0, 100);
  h.add(0.1, 3.0);
  h.add(0.5, 1.0);
  EXPECT_EQ(h.total(), 4.0);
  EXPECT_EQ(h.value_at_risk(0.75), 0.1);
  EXPECT_EQ(h.value_at_risk(0.76), 0.5);
  EXPECT_NEAR(h.expected_shortfall(0.5), (0.3 + 0.5) / 4.0, 1e-15);
}
