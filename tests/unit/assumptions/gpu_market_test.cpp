#include <gtest/gtest.h>
#include <computedebt/assumptions/gpu_market.hpp>

#include <cmath>

using namespace computedebt::assumptions;

TEST(gpu_market, exponential_decline_keeps_78_percent_after_a_year_at_0_25) {
  EXPECT_NEAR(residual_fraction(ExponentialDecline{0.25}, 1.0), 0.7788007830714049, 1e-15);
  EXPECT_EQ(residual_fraction(ExponentialDecline{0.25}, 0.0), 1.0);
}

TEST(gpu_market, residual_tables_start_at_one_interpolate_and_stay_flat) {
  const ResidualValue table = ResidualTable{{1, 2, 3, 4}, {0.78, 0.60, 0.46, 0.35}};
  EXPECT_EQ(residual_fraction(table, 0.0), 1.0);
  EXPECT_NEAR(residual_fraction(table, 0.5), 0.89, 1e-15);  // between (0, 1) and (1, 0.78)
  EXPECT_NEAR(residual_fraction(table, 2.5), 0.53, 1e-15);
  EXPECT_EQ(residual_fraction(table, 4.0), 0.35);
  EXPECT_EQ(residual_fraction(table, 9.0), 0.35);
  // A table that gives age 0 itself uses its own value.
  EXPECT_EQ(residual_fraction(ResidualTable{{0, 1}, {0.95, 0.8}}, 0.0), 0.95);
}

TEST(gpu_market, rent_curves_decline_or_follow_their_table) {
  EXPECT_NEAR(rent_index(RentDecline{2.2, 0.15}, 2.0), 2.2 * std::exp(-0.3), 1e-15);
  const Rent table = RentTable{{0, 1, 3}, {2.2, 1.9, 1.4}};
  EXPECT_EQ(rent_index(table, 0.0), 2.2);
  EXPECT_NEAR(rent_index(table, 2.0), 1.65, 1e-15);
  EXPECT_EQ(rent_index(table, 10.0), 1.4);
}
