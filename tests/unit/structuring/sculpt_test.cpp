// Sculpting a tranche to a target DSCR (docs/methodology.md section 10.5). The sculpted deal is calibrated again and
// its DSCR recomputed here from the plan: the base case's contracted cash over the scheduled debt service of the
// tranche and those before it must equal the target exactly on each date the tranche pays its full target.

#include <gtest/gtest.h>

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>
#include <computedebt/structuring/sculpt.hpp>
#include <computedebt/waterfall/hedge_value.hpp>

#include <filesystem>

using namespace computedebt;

namespace {

/// The base case's DSCR of `plan` on date `m` at tranche `last`'s level, rebuilt from the plan: contract payments
/// less their power and the fixed costs of the GPUs owned over the period, less the fees and commitment fees, plus
/// the hedges' net payments, over the scheduled interest and principal (net of the date's draws) of tranches `0..last`,
/// a final bullet or balloon aside.
double base_case_dscr(const calibration::Plan& plan, std::size_t m, std::size_t last) {
  const auto& w = plan.waterfall;
  const auto& c = plan.collateral;
  double income = -w.fees[m];
  for (int k = w.date_month[m - 1] + 1; k <= w.date_month[m]; ++k) {
    const auto month = static_cast<std::size_t>(k);
    double opex = 0.0;
    for (std::size_t g = 0; g < c.types; ++g) opex += c.owned[g * c.columns + month] * c.fixed_opex_per_gpu_month;
    income += c.base_payments[month] - c.base_contract_power[month] - opex;
  }
  for (const auto& hedge : w.hedges)
    if (m <= hedge.end) income += waterfall::hedge_flow(hedge, w, m, plan.rates.indices[hedge.index].projected[m]);
  for (std::size_t t = 0; t < w.tranches; ++t) {
    if (w.commitment[t] <= 0.0 || m > w.availability_date[t]) continue;
    double drawn = 0.0;
    for (std::size_t n = 1; n < m; ++n) drawn += w.at(w.draw_at, t, n);
    income -= w.commitment_fee[t] * (w.commitment[t] - w.notional[t] - drawn) * w.accrual[m];
  }
  double service = 0.0;
  for (std::size_t t = 0; t <= last; ++t) {
    const double principal = w.at(w.target, t, m - 1) - w.at(w.target, t, m) + w.at(w.draw_at, t, m);
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
    EXPECT_NEAR(base_case_dscr(plan, m, 0), 1.35, 1e-9);
    EXPECT_NEAR(result.dscr[m - 1], 1.35, 1e-9);
    ++full_dates;
  }
  EXPECT_GE(full_dates, 12u);
  // At 1.35x the senior is repaid exactly at its legal maturity, the last date.
  EXPECT_EQ(result.binding, "maturity");
  EXPECT_TRUE(result.binding_date.empty());
  EXPECT_EQ(result.balance.back(), 0.0);
  EXPECT_GT(result.balance.end()[-2], 0.0);
  for (double principal : result.principal) EXPECT_GE(principal, 0.0);
  for (std::size_t i = 1; i < result.schedule.size(); ++i) EXPECT_LE(result.schedule[i], result.schedule[i - 1]);
}

TEST(sculpt, a_junior_tranche_is_sculpted_at_its_level_counting_the_senior_before_it) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
  // The senior at 1.6x leaves room for the mezzanine at 1.2x on every date.
  const auto senior = structuring::sculpt_tranche(file, "Senior A", 1.6);
  const auto result = structuring::sculpt_tranche(senior.deal, "Mezzanine B", 1.2);
  const auto plan = calibration::calibrate(result.deal);
  std::size_t full_dates = 0;
  for (std::size_t m = 1; m <= result.dates.size(); ++m) {
    if (result.balance[m - 1] <= 0.0) continue;
    SCOPED_TRACE("date " + result.dates[m - 1]);
    EXPECT_NEAR(base_case_dscr(plan, m, 1), 1.2, 1e-9);
    // The senior's own DSCR is untouched by the mezzanine after it.
    EXPECT_NEAR(base_case_dscr(plan, m, 0), senior.dscr[m - 1], 1e-9 * senior.dscr[m - 1]);
    ++full_dates;
  }
  EXPECT_GE(full_dates, 1u);
}

TEST(sculpt, a_tranche_repaid_on_the_first_date_writes_a_schedule_the_reader_takes) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
  const auto result = structuring::sculpt_tranche(file, "Mezzanine B", 0.02);
  EXPECT_EQ(result.schedule, std::vector<double>{0.0});
  EXPECT_EQ(io::load_deal_json(io::to_json(result.deal)), result.deal);
}

TEST(sculpt, a_higher_target_sculpts_a_smaller_tranche_in_proportion_to_its_debt_service) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
  const auto lower = structuring::sculpt_tranche(file, "Senior A", 1.25);
  const auto higher = structuring::sculpt_tranche(file, "Senior A", 1.5);
  // Nothing ranks before the senior: its target debt service is income / DSCR, so its notional is inversely
  // proportional to the DSCR while the same constraint binds.
  ASSERT_EQ(lower.binding, higher.binding);
  EXPECT_NEAR(lower.notional * 1.25, higher.notional * 1.5, 1e-9 * lower.notional);
  // On the first date the contracts are still starting: the debt service is income / DSCR, mostly interest.
  EXPECT_NEAR(lower.interest[0] + lower.principal[0], lower.income[0] / 1.25, 1e-6);
  EXPECT_LT(lower.principal[0], 0.25 * lower.interest[0]);
}

// Under a senior sculpted to 1.6x, the mezzanine at 1.2x gets little of the first quarter's ramp-up income: that
// date's target only pays its interest, which bounds its notional.
TEST(sculpt, a_date_whose_target_only_pays_the_interest_bounds_the_notional) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
  const auto senior = structuring::sculpt_tranche(file, "Senior A", 1.6);
  const auto result = structuring::sculpt_tranche(senior.deal, "Mezzanine B", 1.2);
  ASSERT_EQ(result.binding, "interest");
  EXPECT_EQ(result.binding_date, "2026-04-01");
  EXPECT_NEAR(result.principal[0], 0.0, 1e-6);
  EXPECT_NEAR(result.senior_debt_service[0] + result.interest[0], result.income[0] / 1.2, 1e-6);
  EXPECT_EQ(result.balance.back(), 0.0);
}

TEST(sculpt, refuses_an_unknown_tranche_and_a_target_out_of_range) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
  EXPECT_THROW(structuring::sculpt_tranche(file, "Senior X", 1.3), InputError);
  EXPECT_THROW(structuring::sculpt_tranche(file, "Senior A", 0.0), InputError);
  EXPECT_THROW(structuring::sculpt_tranche(file, "Senior A", 101.0), InputError);
  const auto pool = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "homogeneous_pool.json");
  EXPECT_THROW(structuring::sculpt_tranche(pool, "Senior", 1.3), InputError);
}

// A delayed-draw facility is sculpted in its closing notional: the draws keep their five-year level amortisation
// from their own dates, and their debt service counts before the notional's.
TEST(sculpt, a_delayed_draw_tranche_is_sculpted_around_its_draws) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "blended_delayed_draw.json");
  const auto result = structuring::sculpt_tranche(file, "DDTL", 1.3);
  const auto& tranche = std::get<deal::Waterfall>(result.deal.deal.structure).tranches[0];
  ASSERT_TRUE(tranche.delayed_draw->draw_amortization);
  EXPECT_EQ(*tranche.delayed_draw->draw_amortization, deal::Amortization{deal::Level{60}});
  EXPECT_TRUE(std::holds_alternative<deal::Schedule>(tranche.amortization));
  // The sculpted deal plans the same draws, each on the same schedule.
  const auto before = calibration::calibrate(file);
  const auto plan = calibration::calibrate(result.deal);
  EXPECT_EQ(plan.waterfall.draw_target, before.waterfall.draw_target);
  EXPECT_EQ(plan.waterfall.draw_at, before.waterfall.draw_at);
  // The notional leaves room in the commitment for the draws: 2,000m less 208m and 146.25m.
  EXPECT_LE(result.notional, 2.0e9 - 208.0e6 - 146.25e6);
  std::size_t full_dates = 0;
  for (std::size_t m = 1; m <= result.dates.size(); ++m) {
    if (result.balance[m - 1] <= 0.0) continue;
    SCOPED_TRACE("date " + result.dates[m - 1]);
    EXPECT_NEAR(base_case_dscr(plan, m, 0), 1.3, 1e-9);
    ++full_dates;
  }
  EXPECT_GE(full_dates, 8u);
  // Once a draw is made its debt service precedes the notional's.
  const auto first = std::find(result.dates.begin(), result.dates.end(), "2026-07-01") - result.dates.begin();
  EXPECT_EQ(result.senior_debt_service[static_cast<std::size_t>(first)], 0.0);
  EXPECT_GT(result.senior_debt_service[static_cast<std::size_t>(first) + 1], 0.0);
  // The deal file keeps the draws' amortisation.
  EXPECT_EQ(io::load_deal_json(io::to_json(result.deal)), result.deal);
}

TEST(sculpt, a_delayed_draw_tranche_keeps_room_in_its_commitment_for_its_draws) {
  auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "blended_delayed_draw.json");
  auto& terms = *std::get<deal::Waterfall>(file.deal.structure).tranches[0].delayed_draw;
  // At 1.05x the base case would carry about 816m; the commitment leaves room for 500m.
  terms.commitment = 500.0e6 + 208.0e6 + 146.25e6;
  const auto result = structuring::sculpt_tranche(file, "DDTL", 1.05);
  EXPECT_EQ(result.binding, "commitment");
  EXPECT_NEAR(result.notional, 500.0e6, 1e-3);
}
