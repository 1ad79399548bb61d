#include <gtest/gtest.h>
#include <computedebt/calibration/month_grid.hpp>

using namespace computedebt;
using namespace std::chrono;

TEST(month_grid, dates_come_from_t0_with_the_day_clipped) {
  const auto grid = calibration::make_month_grid(year{2026} / January / 31, 3);
  ASSERT_EQ(grid.months(), 3);
  EXPECT_EQ(grid.dates[1], Date{year{2026} / February / 28});
  EXPECT_EQ(grid.dates[2], Date{year{2026} / March / 31});
  EXPECT_EQ(grid.dates[3], Date{year{2026} / April / 30});
}

TEST(month_grid, times_are_actual_365_fixed) {
  const auto grid = calibration::make_month_grid(year{2026} / January / 1, 12);
  EXPECT_EQ(grid.times[0], 0.0);
  EXPECT_DOUBLE_EQ(grid.times[1], 31.0 / 365.0);
  EXPECT_DOUBLE_EQ(grid.times[12], 1.0);
  EXPECT_DOUBLE_EQ(calibration::year_fraction(year{2028} / January / 1, year{2029} / January / 1), 366.0 / 365.0);
}

TEST(month_grid, a_date_belongs_to_the_month_that_contains_it) {
  const auto grid = calibration::make_month_grid(year{2026} / January / 1, 12);
  EXPECT_EQ(grid.month_containing(year{2025} / December / 1), 0);
  EXPECT_EQ(grid.month_containing(year{2026} / January / 1), 0);
  EXPECT_EQ(grid.month_containing(year{2026} / January / 2), 1);
  EXPECT_EQ(grid.month_containing(year{2026} / February / 1), 1);  // month k is (t_{k-1}, t_k]
  EXPECT_EQ(grid.month_containing(year{2026} / February / 2), 2);
  EXPECT_EQ(grid.month_containing(year{2027} / January / 1), 12);
  EXPECT_EQ(grid.month_containing(year{2027} / January / 2), 13);
}

TEST(month_grid, horizon_rounds_to_whole_months) {
  EXPECT_EQ(calibration::horizon_month(5.0), 60);
  EXPECT_EQ(calibration::horizon_month(2.49), 30);
  EXPECT_EQ(calibration::horizon_month(1.0 / 24.0), 1);
}
