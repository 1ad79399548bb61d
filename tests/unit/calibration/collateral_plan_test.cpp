#include <gtest/gtest.h>
#include <computedebt/calibration/calibrate.hpp>

#include <chrono>
#include <cmath>

#include "test_deals.hpp"

using namespace computedebt;

namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

/// The claim on a default in month `k`, summed by hand: each month's promised payment (100 GPUs at 1 per GPU-hour
/// for the days of `[t0 + (i-1) months, t0 + i months)` before the end date) collected at the month's end and
/// discounted to `t_k` at the flat 4% (Actual/365 from t0, continuously compounded).
double hand_claim(int k, year_month_day end) {
  const year_month_day t0{std::chrono::year{2026}, std::chrono::January, std::chrono::day{1}};
  const auto month = [&](int i) { return sys_days{t0 + std::chrono::months{i}}; };
  const auto discount = [&](int i) { return std::exp(-0.04 * (month(i) - sys_days{t0}).count() / 365.0); };
  double claim = 0.0;
  for (int i = k; month(i - 1) < sys_days{end}; ++i) {
    const auto days = (std::min(month(i), sys_days{end}) - month(i - 1)).count();
    claim += 24.0 * static_cast<double>(days) * 100.0 * discount(i);
  }
  return claim / discount(k);
}

TEST(collateral_plan, a_claim_covers_the_contract_to_its_end_after_the_grid) {
  auto document = test_support::single_lease_deal();
  // The grid ends at the tranches' maturity, 2027-01-01 (K = 12); the lease runs 18 months beyond it.
  document["deal"]["contracts"][0]["end_date"] = "2028-06-15";
  const auto plan = test_support::calibrate_json(document);
  const auto& collateral = plan.collateral;
  ASSERT_EQ(collateral.columns, 13u);
  const year_month_day end{std::chrono::year{2028}, std::chrono::June, std::chrono::day{15}};
  for (int k = 1; k <= 12; ++k)
    EXPECT_NEAR(collateral.claim[static_cast<std::size_t>(k)], hand_claim(k, end), 1e-9 * hand_claim(k, end))
        << "month " << k;
}

TEST(collateral_plan, a_claim_on_a_contract_ending_inside_the_grid_stops_at_its_end) {
  const auto plan = test_support::calibrate_json(test_support::single_lease_deal());
  const year_month_day end{std::chrono::year{2026}, std::chrono::October, std::chrono::day{15}};
  for (int k = 1; k <= 10; ++k)
    EXPECT_NEAR(plan.collateral.claim[static_cast<std::size_t>(k)], hand_claim(k, end), 1e-9 * hand_claim(k, end))
        << "month " << k;
  EXPECT_EQ(plan.collateral.claim[11], 0.0);
}

}  // namespace
