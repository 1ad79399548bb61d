#include <gtest/gtest.h>

#include <computedebt/waterfall/cash_waterfall.hpp>

#include <cmath>
#include <numeric>
#include <vector>

#include "test_deals.hpp"

namespace computedebt {
namespace {

waterfall::WaterfallPath run_path(const nlohmann::ordered_json& document, std::vector<int> default_month) {
  return test_support::run_one_path(document, std::move(default_month));
}

constexpr double senior_interest_q1 = 500000 * 0.08 * 90 / 365.0;
constexpr double junior_interest_q1 = 200000 * 0.12 * 90 / 365.0;

TEST(cash_waterfall, a_senior_interest_shortfall_draws_the_reserve_then_is_an_event_of_default) {
  auto document = test_support::single_lease_deal();
  document["assumptions"]["operations"]["re_lease"]["enabled"] = false;
  const auto path = run_path(document, {1});
  EXPECT_EQ(path.event_of_default, 1u);
  // Nothing came in during the first quarter but the costs: the reserve's 5000 pays part of the senior interest.
  EXPECT_NEAR(path.interest_paid[1], 5000.0, 1e-9);
  EXPECT_EQ(path.interest_paid[5 + 1], 0.0);
  // The idle fleet is sold three months after the event (2026-07-01, 181 days old), repaying the senior first.
  const double sale = 100 * 10000 * std::exp(-0.5 * 181 / 365.0) * 0.75;
  EXPECT_NEAR(path.collections, sale, 1e-6);
  EXPECT_GT(path.principal_paid[2], 0.0);
  EXPECT_EQ(path.balance[0], 0.0);
  EXPECT_GT(path.balance[1], 0.0);
  EXPECT_EQ(std::accumulate(path.equity.begin(), path.equity.end(), 0.0), 0.0);
}

TEST(cash_waterfall, a_junior_interest_shortfall_is_capitalised_without_an_event_of_default) {
  auto document = test_support::single_lease_deal();
  auto& lease = document["deal"]["contracts"][0];
  lease["price_per_gpu_hour"] = 0.078;
  lease["power_pass_through"] = true;
  const auto path = run_path(document, {13});
  // Quarter 1: 216000 x 0.078 - 3000 of opex, less fees, senior interest and the 5000 reserve top-up.
  const double fees = 4000 * 90 / 365.0;
  const double left = 216000 * 0.078 - 3000 - fees - senior_interest_q1;
  EXPECT_NEAR(path.interest_paid[1], senior_interest_q1, 1e-9);
  EXPECT_NEAR(path.interest_paid[5 + 1], left, 1e-6);
  EXPECT_LT(path.interest_paid[5 + 1], junior_interest_q1);
  // The reserve is topped up after interest: nothing is left for it, nor for principal.
  EXPECT_EQ(path.principal_paid[1], 0.0);
  // The senior misses its level amortisation, which is no default before its legal maturity, where it is one.
  EXPECT_EQ(path.event_of_default, 4u);
  EXPECT_GT(path.balance[1], 0.01);
}

TEST(cash_waterfall, a_breached_trigger_sweeps_all_cash_to_principal) {
  auto document = test_support::single_lease_deal();
  document["deal"]["structure"]["triggers"] = {{"ltv_cash_sweep", 0.01}};
  const auto swept = run_path(document, {13});
  const auto base = run_path(test_support::single_lease_deal(), {13});
  // The trigger is the only covenant: its breaches are the first row.
  EXPECT_EQ(swept.breached.size(), swept.equity.size());
  EXPECT_TRUE(swept.breached[1]);
  EXPECT_EQ(swept.equity[1], 0.0);
  EXPECT_NEAR(swept.principal_paid[1], base.principal_paid[1] + base.equity[1], 1e-6);
  // LTV after scheduled principal: 375000 + 200000 over the fleet's value at 2026-04-01 (90 days old).
  EXPECT_NEAR(swept.ltv[1], 575000 / (100 * 10000 * std::exp(-0.5 * 90 / 365.0)), 1e-12);
}

TEST(cash_waterfall, every_unit_of_cash_is_accounted_for) {
  for (const auto& months : {std::vector<int>{13}, std::vector<int>{1}, std::vector<int>{7}}) {
    auto document = test_support::single_lease_deal();
    document["deal"]["structure"]["triggers"] = {{"dscr_cash_sweep", 1.5}, {"ltv_cash_sweep", 0.6}};
    const auto path = run_path(document, months);
    EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-6 * path.collections) << months[0];
  }
}

}  // namespace
}  // namespace computedebt
