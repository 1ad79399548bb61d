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
}

TEST(histogram, expected_shortfall_is_the_mean_of_the_worst_tail_weight) {
  Histogram h(0.0, 1.0, 10000);
  // 1000 values: 0.0 x 900, 0.1 x 90, 0.25 x 9, 0.9 x 1.
  for (int i = 0; i < 900; ++i) h.add(0.0);
  for (int i = 0; i < 90; ++i) h.add(0.1);
  for (int i = 0; i < 9; ++i) h.add(0.25);
  h.add(0.9);
  // The worst 10 values are 0.25 x 9 and 0.9: the 90 values at VaR = 0.1 are not in the worst 1%.
  EXPECT_NEAR(h.expected_shortfall(0.99), (9 * 0.25 + 0.9) / 10.0, 1e-15);
  // The worst 5 values: 0.9 and four of the nine at VaR = 0.25.
  EXPECT_NEAR(h.expected_shortfall(0.995), (0.9 + 4 * 0.25) / 5.0, 1e-15);
  // The worst 20: 0.9, the nine at 0.25 and ten of the ninety at VaR = 0.1.
  EXPECT_NEAR(h.expected_shortfall(0.98), (0.9 + 9 * 0.25 + 10 * 0.1) / 20.0, 1e-15);
  EXPECT_NEAR(h.expected_shortfall(0.999), 0.9, 1e-15);
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
  // The worst half of the weight: 0.5 with weight 1 and 0.1 with weight 1 of its 3.
  EXPECT_NEAR(h.expected_shortfall(0.5), (0.5 + 0.1) / 2.0, 1e-15);
}
