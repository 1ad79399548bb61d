#include <gtest/gtest.h>

#include <computedebt/pricing/equity_irr.hpp>
#include <computedebt/pricing/flat_spread.hpp>
#include <computedebt/pricing/idealised_loss.hpp>

#include <cmath>
#include <vector>

namespace computedebt {
namespace {

TEST(idealised_loss, the_table_is_ordered_by_rating_and_horizon) {
  const auto& table = pricing::moodys_idealised_expected_loss();
  EXPECT_NE(table.source.find("Moody's"), std::string::npos);
  ASSERT_EQ(table.ratings.size(), 19u);
  EXPECT_EQ(table.ratings.front(), "Aaa");
  EXPECT_EQ(table.ratings.back(), "Caa3");
  ASSERT_EQ(table.years, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  for (std::size_t r = 0; r < table.ratings.size(); ++r)
    for (std::size_t y = 0; y < table.years.size(); ++y) {
      if (y > 0) {
        EXPECT_GT(table.expected_loss[r][y], table.expected_loss[r][y - 1]);
      }
      if (r > 0) {
        EXPECT_GE(table.expected_loss[r][y], table.expected_loss[r - 1][y]);
      }
    }
  // Two published anchors: Aaa at 10 years 0.0055%, Baa2 at 5 years 0.7447%.
  EXPECT_DOUBLE_EQ(table.expected_loss[0][9], 0.000055);
  EXPECT_DOUBLE_EQ(table.expected_loss[*table.find("Baa2")][4], 0.007447);
}

TEST(idealised_loss, interpolates_linearly_between_whole_years_and_holds_the_ends) {
  const auto& table = pricing::moodys_idealised_expected_loss();
  const std::size_t a2 = *table.find("A2");
  const auto& row = table.expected_loss[a2];
  EXPECT_DOUBLE_EQ(table.expected_loss_at(a2, 0.3), row[0]);
  EXPECT_DOUBLE_EQ(table.expected_loss_at(a2, 3.0), row[2]);
  EXPECT_NEAR(table.expected_loss_at(a2, 3.25), row[2] + 0.25 * (row[3] - row[2]), 1e-15);
  EXPECT_DOUBLE_EQ(table.expected_loss_at(a2, 14.0), row[9]);
}

TEST(idealised_loss, implied_rating_is_the_best_rating_whose_loss_covers_the_tranche) {
  const auto& table = pricing::moodys_idealised_expected_loss();
  const std::size_t a2 = *table.find("A2");
  const double at_a2 = table.expected_loss_at(a2, 4.5);
  EXPECT_EQ(table.implied_rating(0.0, 4.5), "Aaa");
  EXPECT_EQ(table.implied_rating(at_a2, 4.5), "A2");
  EXPECT_EQ(table.implied_rating(std::nextafter(at_a2, 1.0), 4.5), "A3");
  EXPECT_EQ(table.implied_rating(0.9, 4.5), "Ca");
  EXPECT_FALSE(table.find("AAA").has_value());
}

TEST(equity_irr, solves_the_annual_effective_rate) {
  const std::vector<double> doubled{0.0, 200.0}, times{0.5, 1.0};
  EXPECT_NEAR(pricing::equity_irr(doubled, times, 100.0), 1.0, 1e-12);
  // Two equal payments: -100 + 60 x + 60 x^2 = 0 with x = 1 / (1 + r), a quadratic solved in closed form.
  const std::vector<double> annuity{60.0, 60.0}, years{1.0, 2.0};
  const double r = pricing::equity_irr(annuity, years, 100.0);
  EXPECT_NEAR(-100 + 60 / (1 + r) + 60 / ((1 + r) * (1 + r)), 0.0, 1e-9);
  EXPECT_NEAR(r, 0.1306623862918075, 1e-12);
  EXPECT_EQ(pricing::equity_irr(std::vector<double>{0.0, 0.0}, times, 100.0), -1.0);
  EXPECT_LT(pricing::equity_irr(std::vector<double>{10.0, 0.0}, times, 100.0), -0.98);
}

TEST(equity_irr, counts_an_equity_cure_as_an_outflow) {
  // -100 - 10 / 1.1 + 132 / 1.1^2 = 0: a cure of 10 after a year, then 132 back, is an IRR of exactly 10%.
  const std::vector<double> net{-10.0, 132.0}, years{1.0, 2.0};
  EXPECT_NEAR(pricing::equity_irr(net, years, 100.0), 0.1, 1e-12);
  // The same cure with only 100 back loses money: -100 - 10 x + 100 x^2 = 0 in x = 1 / (1 + r).
  const std::vector<double> losing{-10.0, 100.0};
  const double x = (10.0 + std::sqrt(100.0 + 40000.0)) / 200.0;
  EXPECT_NEAR(pricing::equity_irr(losing, years, 100.0), 1.0 / x - 1.0, 1e-12);
  // A cure larger than the last distribution: -10 + 200 x - 195 x^2 = 0 in x = 1 / (1 + r) has two roots; the
  // one nearest r = 0 is x = (200 + sqrt(200^2 - 4 195 10)) / 390, an IRR above 0 although the value at 0 is
  // negative (a search on the negative side alone answered -1).
  const std::vector<double> late_cure{200.0, -195.0};
  const double nearest = (200.0 + std::sqrt(200.0 * 200.0 - 4.0 * 195.0 * 10.0)) / 390.0;
  EXPECT_NEAR(pricing::equity_irr(late_cure, years, 10.0), 1.0 / nearest - 1.0, 1e-9);
  // Nothing back after the cure: the equity has lost everything.
  EXPECT_EQ(pricing::equity_irr(std::vector<double>{-10.0, 0.0}, years, 100.0), -1.0);
}

TEST(flat_spread, reprices_the_flows_to_the_value) {
  const std::vector<double> flows{5.0, 105.0}, times{1.0, 2.0}, discount{std::exp(-0.03), std::exp(-0.06)};
  const double s = pricing::flat_spread(flows, times, discount, 100.0);
  EXPECT_NEAR(5 * discount[0] * std::exp(-s) + 105 * discount[1] * std::exp(-2 * s), 100.0, 1e-10);
  // A 5% annual coupon bond at par yields ln(1.05) continuously, 3% of which is the curve.
  EXPECT_NEAR(s, std::log(1.05) - 0.03, 1e-12);
  EXPECT_TRUE(std::isnan(pricing::flat_spread(std::vector<double>{0.0, 0.0}, times, discount, 100.0)));
}

}  // namespace
}  // namespace computedebt
