// Sculpting a tranche to a target DSCR (docs/methodology.md section 10.5). The sculpted deal is calibrated again and
// its DSCR recomputed here from the plan: the base case's contracted cash over every tranche's scheduled debt service
// must equal the target exactly on each date the sculpted tranche pays its full target debt service.

#include <gtest/gtest.h>

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/structuring/sculpt.hpp>

#include <filesystem>

using namespace computedebt;

namespace {

/// The base case's DSCR of `plan` on date `m`, rebuilt from the plan: contract payments less their power and the
/// fleet's fixed costs over the period, less the fees, over every tranche's scheduled interest and principal, a
/// final bullet or balloon aside.
double base_case_dscr(const calibration::Plan& plan, std::size_t m) {
  const auto& w = plan.waterfall;
  const auto& c = plan.collateral;
  double opex = 0.0;
  for (std::size_t g = 0; g < c.types; ++g) opex += c.fleet[g] * c.fixed_opex_per_gpu_month;
  double income = -w.fees[m];
  for (int k = w.date_month[m - 1] + 1; k <= w.date_month[m]; ++k) {
    const auto month = static_cast<std::size_t>(k);
    income += c.base_payments[month] - c.base_contract_power[month] - opex;
  }
  double service = 0.0;
  for (std::size_t t = 0; t < w.tranches; ++t) {
    const double principal = w.at(w.target, t, m - 1) - w.at(w.target, t, m);
    const double interest = w.at(w.target, t, m - 1) * w.at(w.coupon, t, m) * w.accrual[m];
    service += interest + (m < w.balloon_date[t] ? principal : 0.0);
  }
  return income / service;
}

}  // namespace

TEST(sculpt, the_sculpted_deal_has_exactly_the_target_dscr_on_the_base_case) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
  const auto result = structuring::sculpt_tranche(file, "Senior A", 1.35);
  const auto plan = calibration::calibrate(result.deal);
  const auto& w = plan.waterfall;
  EXPECT_DOUBLE_EQ(w.notional[0], result.notional);
  const auto& structure = std::get<deal::Waterfall>(file.deal.structure);
  EXPECT_NEAR(result.notional + result.equity_investment, structure.tranches[0].notional + structure.equity.investment,
              1e-6);
  std::size_t full_dates = 0;
  for (std::size_t m = 1; m <= result.dates.size(); ++m) {
    SCOPED_TRACE("date " + result.dates[m - 1]);
    // Dates of the full target debt service: the tranche still owes something after them (the date that repays
    // it pays less).
    if (result.balance[m - 1] <= 0.0) continue;
    EXPECT_NEAR(base_case_dscr(plan, m), 1.35, 1e-9);
    EXPECT_NEAR(result.dscr[m - 1], 1.35, 1e-9);
    ++full_dates;
  }
  EXPECT_GE(full_dates, 12u);
  // The contracts ramp up over the first quarter: on that date the target debt service only pays the interest,
  // which bounds the notional; principal never runs negative.
  EXPECT_EQ(result.binding, "interest");
  EXPECT_EQ(result.binding_date, "2026-04-01");
  EXPECT_NEAR(result.principal[0], 0.0, 1e-6);
  for (double principal : result.principal) EXPECT_GE(principal, 0.0);
  for (std::size_t i = 1; i < result.schedule.size(); ++i) EXPECT_LE(result.schedule[i], result.schedule[i - 1]);
}

TEST(sculpt, a_higher_target_sculpts_a_smaller_tranche_in_proportion_to_its_debt_service) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
  const auto lower = structuring::sculpt_tranche(file, "Senior A", 1.25);
  const auto higher = structuring::sculpt_tranche(file, "Senior A", 1.5);
  EXPECT_GT(lower.notional, higher.notional);
  // Both bind on the first date, where the debt service is all interest: income / DSCR - other = N c alpha.
  ASSERT_EQ(lower.binding_date, higher.binding_date);
  EXPECT_NEAR(lower.interest[0] + lower.other_debt_service[0], lower.income[0] / 1.25, 1e-6);
  EXPECT_NEAR(higher.interest[0] + higher.other_debt_service[0], higher.income[0] / 1.5, 1e-6);
}

TEST(sculpt, refuses_an_unknown_tranche_and_a_target_out_of_range) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
  EXPECT_THROW(structuring::sculpt_tranche(file, "Senior X", 1.3), InputError);
  EXPECT_THROW(structuring::sculpt_tranche(file, "Senior A", 0.0), InputError);
  EXPECT_THROW(structuring::sculpt_tranche(file, "Senior A", 101.0), InputError);
  const auto pool = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "homogeneous_pool.json");
  EXPECT_THROW(structuring::sculpt_tranche(pool, "Senior", 1.3), InputError);
}
