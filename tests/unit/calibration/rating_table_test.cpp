#include <gtest/gtest.h>
#include <computedebt/calibration/rating_table.hpp>

using namespace computedebt;

TEST(rating_table, names_its_source) {
  const auto& table = calibration::sp_global_corporate_default_rates();
  EXPECT_NE(table.source.find("S&P Global Ratings"), std::string::npos);
  EXPECT_NE(table.source.find("1981-2024"), std::string::npos);
}

TEST(rating_table, covers_years_one_to_ten_for_every_rating) {
  const auto& table = calibration::sp_global_corporate_default_rates();
  ASSERT_EQ(table.years.size(), 10u);
  for (std::size_t i = 0; i < table.years.size(); ++i) EXPECT_EQ(table.years[i], static_cast<int>(i) + 1);
  for (int r = 0; r < deal::rating_count; ++r) {
    const auto rating = static_cast<deal::Rating>(r);
    double previous = 0.0;
    for (std::size_t i = 0; i < table.years.size(); ++i) {
      const double pd = table.default_probability(rating, i);
      EXPECT_GE(pd, previous) << deal::to_string(rating) << " year " << i + 1;  // cumulative: never falls
      EXPECT_LT(pd, 1.0);
      previous = pd;
    }
  }
}

TEST(rating_table, holds_the_published_figures_as_fractions) {
  const auto& table = calibration::sp_global_corporate_default_rates();
  EXPECT_DOUBLE_EQ(table.default_probability(deal::Rating::AAA, 4), 0.0034);
  EXPECT_DOUBLE_EQ(table.default_probability(deal::Rating::BB, 0), 0.0044);
  EXPECT_DOUBLE_EQ(table.default_probability(deal::Rating::CCC_C, 0), 0.2612);
  EXPECT_DOUBLE_EQ(table.default_probability(deal::Rating::CCC_C, 4), 0.4653);
}
