#include <gtest/gtest.h>

#include <computedebt/cashflow/collateral_cash.hpp>

#include <array>
#include <cmath>
#include <vector>

#include "test_deals.hpp"

namespace computedebt {
namespace {

constexpr std::array<double, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/// The single-lease deal with its counterparty defaulting in month 4 and recoveries two months later.
struct DefaultInMonthFour : testing::Test {
  DefaultInMonthFour() {
    auto document = test_support::single_lease_deal();
    document["assumptions"]["operations"]["recovery_lag_months"] = 2;
    document["assumptions"]["credit"]["hyper"]["recovery_rate"] = 0.3;
    plan = test_support::calibrate_json(document);
  }
  calibration::Plan plan;
  std::vector<double> multipliers = std::vector<double>(13, 1.0);
  std::vector<int> default_month{4};
  std::vector<std::uint32_t> defaulted{0};
};

TEST_F(DefaultInMonthFour, contract_payments_stop_and_freed_gpus_idle_then_lease_on_the_spot_market) {
  cashflow::CollateralCash collateral(plan);
  collateral.start_path(default_month, defaulted, multipliers);
  std::vector<cashflow::MonthCash> months;
  for (int k = 1; k <= 12; ++k) months.push_back(collateral.month(k, false));
  EXPECT_EQ(collateral.contract_defaults(), 1u);
  // Months 1-3 pay the lease and its power; from month 4 nothing is leased.
  EXPECT_NEAR(months[0].revenue, 24 * 31 * 100 * 1.0, 1e-9);
  EXPECT_NEAR(months[0].costs, 1.5 * 24 * 31 * 100 * 0.1 + 100 * 10.0, 1e-9);
  // Months 4-6: idle (no revenue, no power, fixed opex only).
  for (int k = 3; k < 6; ++k) {
    EXPECT_EQ(months[k].revenue, 0.0) << k;
    EXPECT_NEAR(months[k].costs, 1000.0, 1e-9) << k;
  }
  // From month 7: spot at utilisation x (1 - discount) x rent, with power for the utilised hours.
  for (int k = 6; k < 11; ++k) {
    EXPECT_NEAR(months[k].revenue, 100 * 0.5 * 0.8 * 1.5 * 24 * days[k], 1e-9) << k;
    EXPECT_NEAR(months[k].costs, 100 * 0.5 * 1.0 * 1.5 * 24 * days[k] * 0.1 + 1000.0, 1e-9) << k;
  }
}

TEST_F(DefaultInMonthFour, recovers_r_of_the_discounted_remaining_payments_after_the_lag) {
  cashflow::CollateralCash collateral(plan);
  collateral.start_path(default_month, defaulted, multipliers);
  // The claim: payments of months 4..10 (April to 14 days of October), each collected at the month's end,
  // discounted at 4% to t_4 = 2026-05-01.
  const std::array<double, 7> leased{30, 31, 30, 31, 31, 30, 14};
  const std::array<double, 7> days_from_t4{0, 31, 61, 92, 123, 153, 184};
  double claim = 0.0;
  for (std::size_t n = 0; n < leased.size(); ++n)
    claim += 24 * leased[n] * 100 * std::exp(-0.04 * days_from_t4[n] / 365.0);
  for (int k = 1; k <= 12; ++k) {
    const auto cash = collateral.month(k, false);
    EXPECT_NEAR(cash.recoveries, k == 6 ? 0.3 * claim : 0.0, 1e-6) << k;
  }
}

TEST_F(DefaultInMonthFour, liquidation_sells_free_gpus_after_its_lag_and_everything_at_the_end) {
  cashflow::CollateralCash collateral(plan);
  collateral.start_path(default_month, defaulted, multipliers);
  for (int k = 1; k <= 4; ++k) collateral.month(k, false);
  collateral.start_liquidation(4);
  EXPECT_EQ(collateral.month(5, true).sales, 0.0);
  EXPECT_EQ(collateral.month(6, true).sales, 0.0);
  // 2026-08-01 is 212 days after the GPUs were bought.
  const double value = 10000 * std::exp(-0.5 * 212 / 365.0);
  const auto sale = collateral.month(7, true);
  EXPECT_NEAR(sale.sales, 100 * value * 0.75, 1e-6);
  EXPECT_NEAR(collateral.market_value(), 100 * value, 1e-6);
  // Sold GPUs earn and cost nothing afterwards.
  const auto after = collateral.month(8, true);
  EXPECT_EQ(after.revenue, 0.0);
  EXPECT_EQ(after.costs, 0.0);
  EXPECT_EQ(collateral.market_value(), 0.0);
}

TEST(collateral_cash, without_re_leasing_free_gpus_stay_idle_and_the_fleet_is_sold_at_maturity) {
  auto document = test_support::single_lease_deal();
  document["assumptions"]["operations"]["re_lease"]["enabled"] = false;
  const auto plan = test_support::calibrate_json(document);
  cashflow::CollateralCash collateral(plan);
  const std::vector<double> multipliers(13, 1.0);
  collateral.start_path(std::vector<int>{13}, {}, multipliers);
  for (int k = 1; k <= 10; ++k) collateral.month(k, false);
  EXPECT_EQ(collateral.month(11, false).revenue, 0.0);
  const auto last = collateral.month(12, false);
  EXPECT_EQ(last.revenue, 0.0);
  EXPECT_NEAR(last.sales, 100 * 10000 * std::exp(-0.5) * 0.75, 1e-6);
}

TEST(collateral_cash, a_capped_guarantee_pays_the_rest_of_its_cap_in_its_last_month) {
  auto document = test_support::single_lease_deal();
  document["deal"]["counterparties"].push_back({{"id", "backer"}});
  document["assumptions"]["credit"]["backer"] = {{"hazard_rate", 0.0}};
  // The cap covers the whole of months 2 and 3 and 1000 of month 4.
  const double cap = 24 * (28 + 31) * 100 + 1000.0;
  document["deal"]["contracts"][0]["guarantee"] = {{"guarantor", "backer"}, {"cap", cap}};
  const auto plan = test_support::calibrate_json(document);
  cashflow::CollateralCash collateral(plan);
  const std::vector<double> multipliers(13, 1.0);
  collateral.start_path(std::vector<int>{2, 13}, std::vector<std::uint32_t>{0}, multipliers);
  EXPECT_NEAR(collateral.month(1, false).revenue, 24 * 31 * 100, 1e-9);
  EXPECT_NEAR(collateral.month(2, false).revenue, 24 * 28 * 100, 1e-9);
  EXPECT_NEAR(collateral.month(3, false).revenue, 24 * 31 * 100, 1e-9);
  EXPECT_NEAR(collateral.month(4, false).revenue, 1000.0, 1e-6);
}

}  // namespace
}  // namespace computedebt
