// One deterministic deal per term-sheet mechanic (docs/methodology.md sections 5.2-5.4, docs/deal_format.md
// sections 4.8-4.11), its flows computed here by hand from the deal's inputs and compared to the cent (0.005).
// No defaults unless a test forces default months, no GPU volatility, flat curves.
//
// The base deal: 100 GPUs leased at 1.0 per GPU-hour with power passed through, from 2026-01-01 to 2028-01-01,
// 10 of opex per GPU-month and no fees, so a quarter of d days brings in 2400 d - 3000. One senior of 800000 at
// 8% amortising level over 24 months (100000 a quarter), legal maturity 2028-01-01. At t_K = 2028-01-01 the
// fleet, two years old, is sold at 100 x 10000 exp(-0.5 x 2) x (1 - 0.25).

#include <gtest/gtest.h>

#include <computedebt/core/error.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/save.hpp>
#include <computedebt/pricing/results.hpp>
#include <computedebt/waterfall/cash_waterfall.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "test_deals.hpp"

namespace computedebt {
namespace {

using Json = nlohmann::ordered_json;

constexpr double cent = 0.005;
constexpr std::size_t dates = 8, columns = dates + 1;

/// Days of each quarter ending on payment date m (2026 and 2027 are not leap years).
constexpr std::array<double, columns> days{0, 90, 91, 92, 92, 90, 91, 92, 92};
const std::array<std::string, columns> date_text{"2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01", "2027-01-01",
                                                 "2027-04-01", "2027-07-01", "2027-10-01", "2028-01-01"};

double accrual(std::size_t m) { return days[m] / 365.0; }
/// The quarter's lease revenue less opex: 100 GPUs x 24 h x price x days, less 100 x 10 x 3.
double income(std::size_t m, double price = 1.0) { return 2400.0 * price * days[m] - 3000.0; }
/// The level senior's target after date m.
double target(std::size_t m) { return 800000.0 - 100000.0 * static_cast<double>(m); }
/// The fleet sold at t_K, 730 days old.
const double sale = 100 * 10000 * std::exp(-0.5 * 730 / 365.0) * 0.75;

Json tranche(const std::string& name, double notional, double coupon, const Json& amortization,
             const std::string& maturity = "2028-01-01") {
  return {{"name", name},
          {"notional", notional},
          {"coupon", coupon},
          {"amortization", amortization},
          {"legal_maturity", maturity}};
}

const Json level24{{"type", "level"}, {"term_months", 24}};

Json two_year_deal(double price = 1.0) {
  auto document = test_support::single_lease_deal();
  auto& deal = document["deal"];
  auto& lease = deal["contracts"][0];
  lease["end_date"] = "2028-01-01";
  lease["power_pass_through"] = true;
  lease["price_per_gpu_hour"] = price;
  auto& structure = deal["structure"];
  structure["senior_fees_per_year"] = 0.0;
  structure.erase("reserve_account");
  structure["tranches"] = Json::array({tranche("Senior", 800000.0, 0.08, level24)});
  document["assumptions"]["operations"]["re_lease"]["enabled"] = false;
  return document;
}

/// A level of 1 (passed: the base deal's DSCR is about 1.8 or more) except on the `failing` dates, where it is
/// `high`; a step schedule by date.
Json level_failing(const std::set<std::size_t>& failing, double high = 1000.0) {
  Json steps = Json::array();
  for (std::size_t m = 1; m <= dates; ++m)
    steps.push_back({{"from", date_text[m]}, {"level", failing.contains(m) ? high : 1.0}});
  return {{"initial", 1.0}, {"steps", steps}};
}

Json dscr_covenant(const std::string& name, const Json& level, const Json& consequence) {
  return {{"name", name}, {"metric", {{"type", "dscr"}}}, {"level", level}, {"consequence", consequence}};
}

waterfall::WaterfallPath run_path(const Json& document, std::vector<int> default_month) {
  return test_support::run_one_path(document, std::move(default_month));
}

/// One path of a deal whose single name never defaults.
waterfall::WaterfallPath run_path(const Json& document) { return run_path(document, {1000}); }

double at(const std::vector<double>& per_row, std::size_t row, std::size_t m) { return per_row[row * columns + m]; }

// 1. Cash trap and release ------------------------------------------------------------------------------------

TEST(term_sheet_by_hand, a_cash_trap_holds_cash_while_dscr_fails_and_releases_it_after_two_passes) {
  auto document = two_year_deal();
  auto& structure = document["deal"]["structure"];
  structure["accounts"] = Json::array({{{"name", "Trap"}, {"type", "trap"}}});
  structure["covenants"] = Json::array({dscr_covenant(
      "DSCR trap", level_failing({2, 3}), {{"type", "cash_trap"}, {"account", "Trap"}, {"release_after_passes", 2}})});
  const auto path = run_path(document);

  // Fails on dates 2 and 3; passes on 4 (one pass: still trapping) and 5 (two passes: released).
  double balance = 800000, trap = 0;
  for (std::size_t m = 1; m <= dates; ++m) {
    SCOPED_TRACE(m);
    const double interest = balance * 0.08 * accrual(m);
    double cash = income(m) - interest - 100000 + (m == dates ? sale : 0.0);
    balance -= 100000;
    double equity = 0;
    if (m >= 2 && m <= 4) {
      trap += cash;
    } else {
      equity = cash + trap;
      trap = 0;
    }
    EXPECT_NEAR(at(path.interest_paid, 0, m), interest, cent);
    EXPECT_NEAR(at(path.principal_paid, 0, m), 100000, cent);
    EXPECT_NEAR(path.equity[m], equity, cent);
    EXPECT_NEAR(at(path.account_balance, 0, m), trap, cent);
    EXPECT_EQ(path.breached[m], m == 2 || m == 3);
  }
  EXPECT_NEAR(path.balance[0], 0.0, cent);
  EXPECT_EQ(path.event_of_default, 0u);
  EXPECT_EQ(path.months_in_breach[0], 6.0);
}

// 2. Trap applied to principal -------------------------------------------------------------------------------

TEST(term_sheet_by_hand, a_cash_trap_repays_principal_after_two_consecutive_failures) {
  auto document = two_year_deal();
  auto& structure = document["deal"]["structure"];
  structure["accounts"] = Json::array({{{"name", "Trap"}, {"type", "trap"}}});
  structure["covenants"] =
      Json::array({dscr_covenant("DSCR trap", level_failing({2, 3, 4}),
                                 {{"type", "cash_trap"}, {"account", "Trap"}, {"apply_after_failures", 2}})});
  const auto path = run_path(document);

  // Date 2: first failure, trapped. Dates 3 and 4: two and three failures, the trap and all the cash repay
  // principal. Date 5: one pass releases (nothing left in the trap).
  double balance = 800000, trap = 0;
  for (std::size_t m = 1; m <= dates; ++m) {
    SCOPED_TRACE(m);
    const double interest = balance * 0.08 * accrual(m);
    double cash = income(m) - interest + (m == dates ? sale : 0.0);
    const double scheduled = std::min(cash, std::max(0.0, balance - std::max(0.0, target(m))));
    double principal = scheduled;
    balance -= scheduled;
    cash -= scheduled;
    if (m == 2) {
      trap += cash;
      cash = 0;
    } else if (m == 3 || m == 4) {
      cash += trap;
      trap = 0;
      const double applied = std::min(cash, balance);
      principal += applied;
      balance -= applied;
      cash -= applied;
    }
    EXPECT_NEAR(at(path.interest_paid, 0, m), interest, cent);
    EXPECT_NEAR(at(path.principal_paid, 0, m), principal, cent);
    EXPECT_NEAR(path.equity[m], cash, cent);
    EXPECT_NEAR(at(path.account_balance, 0, m), trap, cent);
  }
  // The trap prepaid: on dates 5 to 7 the balance is under its target, so nothing is scheduled.
  EXPECT_NEAR(at(path.principal_paid, 0, 5), 0.0, cent);
  EXPECT_GT(at(path.principal_paid, 0, 3), 300000.0);
  EXPECT_NEAR(path.balance[0], 0.0, cent);
}

// 3. Partial cash sweep --------------------------------------------------------------------------------------

TEST(term_sheet_by_hand, a_half_cash_sweep_repays_half_the_cash_left_on_the_breached_date_only) {
  auto document = two_year_deal();
  document["deal"]["structure"]["covenants"] =
      Json::array({dscr_covenant("DSCR sweep", level_failing({2}), {{"type", "cash_sweep"}, {"fraction", 0.5}})});
  const auto path = run_path(document);

  double balance = 800000;
  for (std::size_t m = 1; m <= dates; ++m) {
    SCOPED_TRACE(m);
    const double interest = balance * 0.08 * accrual(m);
    double cash = income(m) - interest + (m == dates ? sale : 0.0);
    double principal = std::min(cash, std::max(0.0, balance - target(m)));
    balance -= principal;
    cash -= principal;
    if (m == 2) {
      principal += 0.5 * cash;
      balance -= 0.5 * cash;
      cash *= 0.5;
    }
    EXPECT_NEAR(at(path.interest_paid, 0, m), interest, cent);
    EXPECT_NEAR(at(path.principal_paid, 0, m), principal, cent);
    EXPECT_NEAR(path.equity[m], cash, cent);
  }
  // Date 2 by hand: 215400 in, 700000 x 0.08 x 91/365 of interest, 100000 scheduled, half the rest swept.
  const double left = 215400 - 700000 * 0.08 * 91 / 365.0 - 100000;
  EXPECT_NEAR(at(path.principal_paid, 0, 2), 100000 + left / 2, cent);
  EXPECT_NEAR(path.equity[2], left / 2, cent);
  EXPECT_NEAR(path.balance[0], 0.0, cent);
}

// 4. Margin step-up ------------------------------------------------------------------------------------------

TEST(term_sheet_by_hand, a_margin_step_up_raises_the_next_periods_interest_only) {
  auto document = two_year_deal();
  document["deal"]["structure"]["covenants"] =
      Json::array({dscr_covenant("DSCR margin", level_failing({2}), {{"type", "margin_step_up"}, {"bp", 200}})});
  const auto path = run_path(document);

  double balance = 800000;
  for (std::size_t m = 1; m <= dates; ++m) {
    SCOPED_TRACE(m);
    const double coupon = m == 3 ? 0.10 : 0.08;  // the period after the failed test on date 2
    const double interest = balance * coupon * accrual(m);
    const double cash = income(m) - interest - 100000 + (m == dates ? sale : 0.0);
    balance -= 100000;
    EXPECT_NEAR(at(path.interest_paid, 0, m), interest, cent);
    EXPECT_NEAR(at(path.principal_paid, 0, m), 100000, cent);
    EXPECT_NEAR(path.equity[m], cash, cent);
  }
  EXPECT_NEAR(at(path.interest_paid, 0, 3), 600000 * 0.10 * 92 / 365.0, cent);
  EXPECT_NEAR(at(path.interest_paid, 0, 4), 500000 * 0.08 * 92 / 365.0, cent);
}

// 5. Event of default after the cure period ------------------------------------------------------------------

Json default_deal(const std::set<std::size_t>& failing) {
  auto document = two_year_deal();
  document["deal"]["structure"]["covenants"] = Json::array({dscr_covenant(
      "DSCR default", level_failing(failing), {{"type", "event_of_default"}, {"cure_period_months", 6}})});
  return document;
}

TEST(term_sheet_by_hand, a_dscr_breach_is_an_event_of_default_once_the_cure_period_has_run) {
  // Breach from date 2 (month 6): month 9 is within the six-month cure period, month 12 is not.
  const auto path = run_path(default_deal({2, 3, 4}));
  EXPECT_EQ(path.event_of_default, 4u);
  double balance = 800000;
  for (std::size_t m = 1; m <= 3; ++m) {
    SCOPED_TRACE(m);
    const double interest = balance * 0.08 * accrual(m);
    balance -= 100000;
    EXPECT_NEAR(path.equity[m], income(m) - interest - 100000, cent);
  }
  // Date 4: scheduled principal, then the event of default sends all the cash left to principal.
  const double interest4 = balance * 0.08 * accrual(4);
  const double principal4 = income(4) - interest4;
  balance -= principal4;
  EXPECT_NEAR(at(path.principal_paid, 0, 4), principal4, cent);
  EXPECT_NEAR(path.equity[4], 0.0, cent);
  // Date 5, accelerated: interest on the balance, then all the cash to principal. The lease performs, so no GPU
  // is sold.
  const double interest5 = balance * 0.08 * accrual(5);
  const double principal5 = income(5) - interest5;
  ASSERT_LT(principal5, balance);
  balance -= principal5;
  EXPECT_NEAR(at(path.interest_paid, 0, 5), interest5, cent);
  EXPECT_NEAR(at(path.principal_paid, 0, 5), principal5, cent);
  EXPECT_NEAR(path.equity[5], 0.0, cent);
  // Date 6 repays the rest; the equity takes what is left.
  const double interest6 = balance * 0.08 * accrual(6);
  EXPECT_NEAR(at(path.interest_paid, 0, 6), interest6, cent);
  EXPECT_NEAR(at(path.principal_paid, 0, 6), balance, cent);
  EXPECT_NEAR(path.equity[6], income(6) - interest6 - balance, cent);
  EXPECT_NEAR(path.equity[8], income(8) + sale, cent);
  EXPECT_TRUE(std::isnan(path.dscr[5]));

  // A pass on date 4 ends the first cure period; the second breach begins on date 5 (month 15) and is an event
  // of default on date 7 (month 21), not on date 6 (month 18).
  const auto second = run_path(default_deal({2, 3, 5, 6, 7}));
  EXPECT_EQ(second.event_of_default, 7u);
  EXPECT_EQ(second.months_in_breach[0], 15.0);
  // A breach shorter than the cure period is never an event of default.
  EXPECT_EQ(run_path(default_deal({2, 3, 5, 6})).event_of_default, 0u);
}

// 6. Equity cures --------------------------------------------------------------------------------------------

TEST(term_sheet_by_hand, equity_cures_pay_in_what_restores_dscr_then_the_event_of_default_rule_applies) {
  auto document = two_year_deal();
  const Json level{{"initial", 1.0},
                   {"steps", {{{"from", "2026-07-01"}, {"level", 3.0}}, {{"from", "2026-10-01"}, {"level", 30.0}}}}};
  document["deal"]["structure"]["covenants"] = Json::array({dscr_covenant(
      "DSCR default", level, {{"type", "event_of_default"}, {"cure_period_months", 0}, {"equity_cures", 2}})});
  const auto path = run_path(document);

  // Date 1 passes.
  double balance = 800000;
  const double interest1 = balance * 0.08 * accrual(1);
  balance -= 100000;
  EXPECT_NEAR(path.equity[1], income(1) - interest1 - 100000, cent);
  // Date 2: DSCR = 215400 / (interest + 100000) < 3; cure 1 pays in 3 x debt service - income, prepaying principal.
  const double interest2 = balance * 0.08 * accrual(2);
  const double service2 = interest2 + 100000;
  ASSERT_LT(income(2) / service2, 3.0);
  const double cure2 = 3.0 * service2 - income(2);
  balance -= 100000 + cure2;
  EXPECT_NEAR(path.injected[2], cure2, cent);
  EXPECT_NEAR(at(path.principal_paid, 0, 2), 100000 + cure2, cent);
  EXPECT_NEAR(path.equity[2], income(2) - service2, cent);
  // Date 3: the balance is under its target (500000): only interest is due; level 30 fails; cure 2.
  const double interest3 = balance * 0.08 * accrual(3);
  const double scheduled3 = std::max(0.0, balance - target(3));
  const double service3 = interest3 + scheduled3;
  ASSERT_LT(income(3) / service3, 30.0);
  const double cure3 = 30.0 * service3 - income(3);
  ASSERT_LT(cure3, balance - scheduled3);
  balance -= scheduled3 + cure3;
  EXPECT_NEAR(path.injected[3], cure3, cent);
  EXPECT_NEAR(at(path.principal_paid, 0, 3), scheduled3 + cure3, cent);
  EXPECT_NEAR(path.equity[3], income(3) - service3, cent);
  // Date 4: fails again with no cure left and no cure period: an event of default, all cash to principal.
  const double interest4 = balance * 0.08 * accrual(4);
  const double service4 = interest4 + std::max(0.0, balance - target(4));
  ASSERT_LT(income(4) / service4, 30.0);
  EXPECT_EQ(path.event_of_default, 4u);
  EXPECT_NEAR(path.injected[4], 0.0, cent);
  EXPECT_NEAR(at(path.principal_paid, 0, 4), std::min(balance, income(4) - interest4), cent);
  EXPECT_NEAR(path.equity[4], 0.0, cent);
  EXPECT_EQ(path.cures_used[0], 2);
  EXPECT_TRUE(path.breached[2] && path.breached[3] && path.breached[4]);
  // Cured breaches are not months in breach; the date of the event of default is.
  EXPECT_EQ(path.months_in_breach[0], 3.0);
}

// 7. Anticipated repayment date ------------------------------------------------------------------------------

TEST(term_sheet_by_hand, after_the_anticipated_repayment_date_cash_hyper_amortises_and_the_step_up_is_deferred) {
  auto document = two_year_deal();
  document["deal"]["structure"]["tranches"][0]["anticipated_repayment"] = {{"date", "2027-01-01"},
                                                                           {"coupon_step_up_bp", 500}};
  const auto path = run_path(document);

  double balance = 800000, deferred = 0, step_up_paid = 0;
  for (std::size_t m = 1; m <= dates; ++m) {
    SCOPED_TRACE(m);
    const double interest = balance * 0.08 * accrual(m);
    if (m >= 5) deferred += balance * 0.05 * accrual(m);  // periods starting on or after 2027-01-01
    double cash = income(m) - interest + (m == dates ? sale : 0.0);
    double principal = std::min(cash, std::max(0.0, balance - std::max(0.0, target(m))));
    balance -= principal;
    cash -= principal;
    if (m >= 4) {  // hyper-amortisation from the first payment date on or after the ARD
      const double swept = std::min(cash, balance);
      principal += swept;
      balance -= swept;
      cash -= swept;
    }
    const double step_up = std::min(cash, deferred);
    deferred -= step_up;
    step_up_paid += step_up;
    cash -= step_up;
    EXPECT_NEAR(at(path.interest_paid, 0, m), interest, cent);
    EXPECT_NEAR(at(path.principal_paid, 0, m), principal, cent);
    EXPECT_NEAR(path.equity[m], cash, cent);
  }
  // The schedule by hand: dates 4 and 5 sweep everything, date 6 repays the rest and pays the step-up of periods
  // 5 and 6.
  EXPECT_NEAR(path.equity[4], 0.0, cent);
  EXPECT_NEAR(path.equity[5], 0.0, cent);
  EXPECT_GT(step_up_paid, 0.0);
  EXPECT_NEAR(path.step_up_paid, step_up_paid, cent);
  EXPECT_NEAR(path.balance[0], 0.0, cent);
  EXPECT_EQ(path.event_of_default, 0u);
}

// 8. Trailing DSCR without the bullet ------------------------------------------------------------------------

TEST(term_sheet_by_hand, a_trailing_dscr_without_the_bullet_passes_where_the_period_dscr_with_it_fails) {
  auto document = two_year_deal();
  auto& structure = document["deal"]["structure"];
  structure["tranches"].push_back(tranche("Junior", 100000.0, 0.10, {{"type", "bullet"}}, "2027-01-01"));
  // A zero step-up changes no flow: only the tests are compared.
  const Json inert{{"type", "margin_step_up"}, {"bp", 0}};
  structure["covenants"] = Json::array({{{"name", "Trailing"},
                                         {"metric", {{"type", "dscr"}, {"trailing_months", 6}}},
                                         {"level", 1.5},
                                         {"consequence", inert}},
                                        {{"name", "Period"},
                                         {"metric", {{"type", "dscr"}, {"include_balloon", true}}},
                                         {"level", 1.5},
                                         {"consequence", inert}}});
  const auto path = run_path(document);

  std::array<double, columns> in{}, service_with{}, service_without{};
  double senior = 800000, junior = 100000;
  for (std::size_t m = 1; m <= dates; ++m) {
    const double interest = senior * 0.08 * accrual(m) + junior * 0.10 * accrual(m);
    const double bullet = m == 4 ? junior : 0.0;
    in[m] = income(m);
    service_with[m] = interest + 100000 + bullet;
    service_without[m] = interest + 100000;
    const double cash = income(m) + (m == dates ? sale : 0.0) - service_with[m];
    SCOPED_TRACE(m);
    EXPECT_NEAR(path.equity[m], cash, cent);
    senior -= 100000;
    junior -= bullet;
  }
  for (std::size_t m = 1; m <= dates; ++m) {
    SCOPED_TRACE(m);
    const std::size_t first = m == 1 ? 1 : m - 1;
    double income_sum = 0, service_sum = 0;
    for (std::size_t j = first; j <= m; ++j) income_sum += in[j], service_sum += service_without[j];
    const double trailing = income_sum / service_sum;
    const double period = in[m] / service_with[m];
    // The fan chart's DSCR is the first DSCR covenant's.
    EXPECT_NEAR(path.dscr[m], trailing, 1e-12 * trailing);
    EXPECT_EQ(path.breached[m], trailing < 1.5);
    EXPECT_EQ(path.breached[columns + m], period < 1.5);
  }
  // Date 4 by hand: the bullet makes the period DSCR about 1.03; the trailing one without it is about 1.95.
  EXPECT_FALSE(path.breached[4]);
  EXPECT_TRUE(path.breached[columns + 4]);
  EXPECT_EQ(std::count(path.breached.begin() + columns, path.breached.end(), 1), 1);
  EXPECT_NEAR(path.balance[1], 0.0, cent);
}

// 9. A pari-passu class --------------------------------------------------------------------------------------

Json pari_passu_deal(double price) {
  auto document = two_year_deal(price);
  auto& structure = document["deal"]["structure"];
  structure["tranches"] =
      Json::array({tranche("A-1", 600000.0, 0.08, level24), tranche("A-2", 200000.0, 0.12, level24)});
  const Json both = Json::array({"A-1", "A-2"});
  structure["priority_of_payments"] = {
      {"before_enforcement",
       {{{"type", "senior_expenses"}},
        {{"type", "interest"}, {"tranches", both}, {"pari_passu", true}},
        {{"type", "principal"}, {"tranches", both}, {"pari_passu", true}, {"mode", "scheduled"}},
        {{"type", "equity"}}}}};
  return document;
}

TEST(term_sheet_by_hand, a_pari_passu_class_shares_a_principal_shortfall_pro_rata) {
  // Price 0.3: 61800 in on date 1, enough for interest but not for the 75000 + 25000 of principal due.
  const auto path = run_path(pari_passu_deal(0.3));
  const double interest1 = 600000 * 0.08 * 90 / 365.0, interest2 = 200000 * 0.12 * 90 / 365.0;
  const double left = income(1, 0.3) - interest1 - interest2;
  ASSERT_LT(left, 100000.0);
  EXPECT_NEAR(at(path.interest_paid, 0, 1), interest1, cent);
  EXPECT_NEAR(at(path.interest_paid, 1, 1), interest2, cent);
  EXPECT_NEAR(at(path.principal_paid, 0, 1), left * 0.75, cent);
  EXPECT_NEAR(at(path.principal_paid, 1, 1), left * 0.25, cent);
  EXPECT_NEAR(path.equity[1], 0.0, cent);
  // Date 2: interest on the balances left; principal due is what was missed plus the next quarter's.
  const double b1 = 600000 - left * 0.75, b2 = 200000 - left * 0.25;
  EXPECT_NEAR(at(path.interest_paid, 0, 2), b1 * 0.08 * 91 / 365.0, cent);
  EXPECT_NEAR(at(path.interest_paid, 1, 2), b2 * 0.12 * 91 / 365.0, cent);
  const double left2 = income(2, 0.3) - b1 * 0.08 * 91 / 365.0 - b2 * 0.12 * 91 / 365.0;
  const double due1 = b1 - 450000, due2 = b2 - 150000;
  ASSERT_LT(left2, due1 + due2);
  EXPECT_NEAR(at(path.principal_paid, 0, 2), left2 * due1 / (due1 + due2), cent);
  EXPECT_NEAR(at(path.principal_paid, 1, 2), left2 * due2 / (due1 + due2), cent);
  // Principal short before the legal maturity is no event of default; at it, 2028-01-01, the class is still short
  // (8 quarters of about 62000 and the fleet's sale do not cover 800000 and its interest): an event of default.
  EXPECT_EQ(path.event_of_default, 8u);
  EXPECT_GT(path.balance[0], 0.01);
  EXPECT_NEAR(path.balance[0] / path.balance[1], 3.0, 1e-9);  // short in the class's proportions
}

TEST(term_sheet_by_hand, a_pari_passu_senior_class_shares_an_interest_shortfall_pro_rata_and_defaults) {
  // Price 0.08: 14280 in on date 1, short of the class's interest (2:1 between the tranches).
  const auto path = run_path(pari_passu_deal(0.08));
  const double interest1 = 600000 * 0.08 * 90 / 365.0, interest2 = 200000 * 0.12 * 90 / 365.0;
  const double cash = income(1, 0.08);
  ASSERT_LT(cash, interest1 + interest2);
  EXPECT_NEAR(at(path.interest_paid, 0, 1), cash * interest1 / (interest1 + interest2), cent);
  EXPECT_NEAR(at(path.interest_paid, 1, 1), cash * interest2 / (interest1 + interest2), cent);
  EXPECT_NEAR(at(path.principal_paid, 0, 1), 0.0, cent);
  EXPECT_EQ(path.event_of_default, 1u);
}

// 10. Cash conservation --------------------------------------------------------------------------------------

/// Three names leasing 40, 30 and 30 GPUs, re-leasing on; a senior and a mezzanine bullet.
/// Two equal leases of 50 GPUs, one to an investment-grade hyperscaler, one to a BB-rated lab, a fixed reserve of
/// 12,345, and covenants that test each remaining metric just above and just below its hand-computed value.
Json two_lessee_deal(const Json& covenants) {
  auto document = two_year_deal();
  auto& deal = document["deal"];
  deal["counterparties"] = Json::array({{{"id", "hyper"}, {"rating", "A"}}, {{"id", "lab"}, {"rating", "BB"}}});
  auto lease = deal["contracts"][0];
  lease["gpu_count"] = 50;
  Json contracts = Json::array();
  for (const char* name : {"hyper", "lab"}) {
    lease["id"] = std::string("lease-") + name;
    lease["counterparty"] = name;
    contracts.push_back(lease);
  }
  deal["contracts"] = contracts;
  document["assumptions"]["credit"] = {{"hyper", {{"hazard_rate", 0.0}}}, {"lab", {{"hazard_rate", 0.0}}}};
  deal["structure"]["accounts"] = Json::array(
      {{{"name", "Maintenance"}, {"type", "reserve"}, {"target", {{"type", "fixed"}, {"amount", 12345.0}}}}});
  deal["structure"]["covenants"] = covenants;
  return document;
}

Json block_when(const std::string& name, const std::string& metric, double level) {
  return {{"name", name},
          {"metric", {{"type", metric}}},
          {"level", level},
          {"consequence", {{"type", "block_distributions"}}}};
}

TEST(term_sheet_by_hand, contracted_coverage_investment_grade_share_and_liquidity_are_measured_as_defined) {
  // Contracted coverage on date 1 (2026-04-01): the leases' payments of April 2026 to December 2027, 100 GPUs x 24 h
  // x 1.0 x the month's days, discounted to 2026-04-01 on the flat 4% curve, over the senior's 700,000 left.
  constexpr std::array<int, 12> month_days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  double value = 0.0, elapsed = 90.0;  // days from t0 to the end of month 3, then of each later month
  for (int month = 3; month < 24; ++month) {
    elapsed += month_days[static_cast<std::size_t>(month % 12)];
    value += 2400.0 * month_days[static_cast<std::size_t>(month % 12)] * std::exp(-0.04 * (elapsed - 90.0) / 365.0);
  }
  const double coverage = value / 700000.0;
  const Json covenants = Json::array({block_when("coverage passes", "contracted_coverage", coverage * (1 - 1e-9)),
                                      block_when("coverage fails", "contracted_coverage", coverage * (1 + 1e-9)),
                                      block_when("share passes", "investment_grade_share", 0.5),
                                      block_when("share fails", "investment_grade_share", 0.5 + 1e-12),
                                      block_when("liquidity passes", "liquidity", 12345.0),
                                      block_when("liquidity fails", "liquidity", 12345.0 + 1e-6)});
  // The lab defaults in month 20 (2027-08): from date 7 (2027-10-01) on, only the hyperscaler's lease is left.
  const auto path = run_path(two_lessee_deal(covenants), {25, 20});
  const auto breached = [&](std::size_t covenant, std::size_t m) { return path.breached[covenant * columns + m] != 0; };
  EXPECT_FALSE(breached(0, 1));
  EXPECT_TRUE(breached(1, 1));
  for (std::size_t m = 1; m <= 6; ++m) {
    // Two equal leases, one investment grade: exactly half of the contracted value.
    EXPECT_FALSE(breached(2, m)) << m;
    EXPECT_TRUE(breached(3, m)) << m;
  }
  for (std::size_t m = 7; m <= 8; ++m) EXPECT_FALSE(breached(3, m)) << m;
  // The reserve holds its fixed target after its step on every date but the last, where every target is 0.
  for (std::size_t m = 1; m < dates; ++m) {
    EXPECT_FALSE(breached(4, m)) << m;
    EXPECT_TRUE(breached(5, m)) << m;
  }
}

Json three_name_deal() {
  auto document = test_support::single_lease_deal();
  auto& deal = document["deal"];
  deal["counterparties"] =
      Json::array({{{"id", "hyper"}, {"rating", "A"}}, {{"id", "neo"}, {"rating", "BB"}}, {{"id", "lab"}}});
  Json contracts = Json::array();
  const std::array<std::pair<const char*, const char*>, 3> leases{
      {{"hyper", "2027-07-01"}, {"neo", "2028-01-01"}, {"lab", "2027-01-01"}}};
  const std::array<int, 3> counts{40, 30, 30};
  for (std::size_t i = 0; i < 3; ++i)
    contracts.push_back({{"id", std::string("lease_") + leases[i].first},
                         {"counterparty", leases[i].first},
                         {"gpu_type", "G"},
                         {"gpu_count", counts[i]},
                         {"price_per_gpu_hour", 1.2},
                         {"start_date", "2026-01-01"},
                         {"end_date", leases[i].second},
                         {"power_pass_through", i != 0}});
  deal["contracts"] = contracts;
  auto& structure = deal["structure"];
  structure["tranches"] = Json::array(
      {tranche("Senior", 600000.0, 0.08, level24), tranche("Mezzanine", 150000.0, 0.11, {{"type", "bullet"}})});
  document["assumptions"]["credit"] = {
      {"hyper", {{"hazard_rate", 0.05}}}, {"neo", {{"hazard_rate", 0.2}}}, {"lab", {{"hazard_rate", 0.3}}}};
  return document;
}

Json all_mechanics_deal() {
  auto document = three_name_deal();
  auto& structure = document["deal"]["structure"];
  structure["tranches"][0]["anticipated_repayment"] = {{"date", "2027-07-01"}, {"coupon_step_up_bp", 300}};
  structure["accounts"] = Json::array(
      {{{"name", "DSRA"},
        {"type", "reserve"},
        {"target", {{"type", "months_of_debt_service"}, {"months", 6}}},
        {"initial_balance", 20000.0}},
       {{"name", "Maintenance"},
        {"type", "reserve"},
        {"target", {{"type", "fixed"}, {"amount", 3000.0}}},
        {"covers_senior_interest", false}},
       {{"name", "Cover"}, {"type", "reserve"}, {"target", {{"type", "balance_fraction"}, {"fraction", 0.01}}}},
       {{"name", "Trap"}, {"type", "trap"}, {"initial_balance", 1000.0}}});
  structure["covenants"] = Json::array(
      {{{"name", "Trap"},
        {"metric", {{"type", "dscr"}, {"trailing_months", 6}}},
        {"level", 1.6},
        {"consequence",
         {{"type", "cash_trap"}, {"account", "Trap"}, {"release_after_passes", 2}, {"apply_after_failures", 3}}}},
       {{"name", "Default"},
        {"metric", {{"type", "dscr"}, {"include_balloon", true}}},
        {"level", {{"initial", 1.0}, {"steps", {{{"from", "2027-01-01"}, {"level", 1.1}}}}}},
        {"consequence", {{"type", "event_of_default"}, {"cure_period_months", 3}, {"equity_cures", 1}}}},
       {{"name", "LTV sweep"},
        {"metric", {{"type", "ltv"}}},
        {"level", 0.7},
        {"consequence", {{"type", "cash_sweep"}, {"fraction", 0.5}}}},
       {{"name", "LTV margin"},
        {"metric", {{"type", "ltv"}}},
        {"level", 0.6},
        {"consequence", {{"type", "margin_step_up"}, {"bp", 150}, {"tranches", {"Mezzanine"}}}}},
       {{"name", "Coverage"},
        {"metric", {{"type", "contracted_coverage"}}},
        {"level", 0.5},
        {"consequence", {{"type", "block_distributions"}}}},
       {{"name", "IG"},
        {"metric", {{"type", "investment_grade_share"}}},
        {"level", 0.5},
        {"consequence", {{"type", "cash_sweep"}}}},
       {{"name", "Liquidity"},
        {"metric", {{"type", "liquidity"}}},
        {"level", 10000.0},
        {"consequence", {{"type", "event_of_default"}, {"cure_period_months", 6}, {"equity_cures", 2}}}},
       {{"name", "LTV default"},
        {"metric", {{"type", "ltv"}}},
        {"level", 0.95},
        {"consequence", {{"type", "event_of_default"}, {"equity_cures", 1}}}}});
  return document;
}

TEST(term_sheet_by_hand, every_unit_of_cash_is_accounted_for_with_traps_reserves_cures_and_step_ups) {
  const auto document = all_mechanics_deal();
  const auto plan = test_support::calibrate_json(document);
  const std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns, 1.0);
  cashflow::CollateralCash collateral(plan);
  waterfall::CashWaterfall engine(plan.waterfall);
  std::mt19937 random(20260101);
  std::uniform_int_distribution<int> month(1, 40);  // beyond 24: survives
  int defaults = 0, cured = 0, trapped = 0, stepped_up = 0;
  for (int n = 0; n < 400; ++n) {
    const std::vector<int> default_month{month(random), month(random), month(random)};
    std::vector<std::uint32_t> defaulted;
    for (std::uint32_t i = 0; i < 3; ++i)
      if (default_month[i] <= plan.grid.months()) defaulted.push_back(i);
    collateral.start_path(default_month, defaulted, multipliers);
    const auto& path = engine.run(collateral);
    double in = path.collections,
           out = path.costs + path.fees_paid + path.step_up_paid + path.reserve_change + path.account;
    for (double x : path.injected) in += x, cured += x > 0;
    for (double x : path.interest_paid) out += x;
    for (double x : path.principal_paid) out += x;
    for (double x : path.equity) out += x;
    EXPECT_NEAR(in, out, 1e-9 * in) << default_month[0] << ' ' << default_month[1] << ' ' << default_month[2];
    defaults += path.event_of_default > 0;
    stepped_up += path.step_up_paid > 0;
    for (std::size_t m = 1; m < columns; ++m)
      trapped += at(path.account_balance, 4, m) > 1000;  // reserve, DSRA, Maintenance, Cover, Trap
  }
  // The paths exercise the mechanics the identity is meant to cover.
  EXPECT_GT(defaults, 0);
  EXPECT_LT(defaults, 400);
  EXPECT_GT(cured, 0);
  EXPECT_GT(trapped, 0);
  EXPECT_GT(stepped_up, 0);
}

// 11. Back-compatibility -------------------------------------------------------------------------------------

Json shorthand_deal() {
  auto document = three_name_deal();
  auto& structure = document["deal"]["structure"];
  structure["reserve_account"] = {{"target_months_of_interest", 3}, {"initial_balance", 5000.0}};
  structure["triggers"] = {{"dscr_cash_sweep", 1.6}, {"ltv_cash_sweep", 0.7}};
  return document;
}

Json explicit_deal() {
  auto document = three_name_deal();
  auto& structure = document["deal"]["structure"];
  structure.erase("reserve_account");
  structure.erase("triggers");
  structure["accounts"] = Json::array({{{"name", "reserve"},
                                        {"type", "reserve"},
                                        {"target", {{"type", "months_of_interest"}, {"months", 3}}},
                                        {"initial_balance", 5000.0}}});
  structure["priority_of_payments"] = {{"before_enforcement",
                                        {{{"type", "senior_expenses"}},
                                         {{"type", "interest"}},
                                         {{"type", "reserve"}, {"account", "reserve"}},
                                         {{"type", "principal"}},
                                         {{"type", "cash_sweep"}},
                                         {{"type", "equity"}}}}};
  structure["covenants"] = Json::array({{{"name", "Debt service"},
                                         {"metric", {{"type", "dscr"}, {"include_balloon", true}}},
                                         {"level", 1.6},
                                         {"consequence", {{"type", "cash_sweep"}, {"fraction", 1}}}},
                                        {{"name", "Loan to value"},
                                         {"metric", {{"type", "ltv"}}},
                                         {"level", 0.7},
                                         {"consequence", {{"type", "cash_sweep"}, {"fraction", 1}}}}});
  return document;
}

/// Bit for bit, NaN included.
template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

/// A results document without what names the deal, its covenants and accounts, or times the run.
Json without_names(Json document) {
  document.erase("deal");
  document.erase("elapsed_seconds");
  const auto strip = [](auto& self, Json& node) -> void {
    if (node.is_object()) {
      if (node.contains("triggers") && node["triggers"].is_object()) {
        Json values = Json::array();
        for (auto& [key, value] : node["triggers"].items()) values.push_back(value);
        node["triggers"] = values;
      }
      if (node.contains("covenants") && node["covenants"].is_array())
        for (auto& covenant : node["covenants"]) covenant.erase("name");
      if (node.contains("accounts") && node["accounts"].is_array())
        for (auto& account : node["accounts"]) account.erase("name");
      for (auto& [key, value] : node.items()) self(self, value);
    } else if (node.is_array()) {
      for (auto& value : node) self(self, value);
    }
  };
  strip(strip, document);
  return document;
}

TEST(term_sheet_by_hand, the_shorthand_and_the_same_deal_stated_explicitly_pay_bit_for_bit_the_same) {
  const auto short_plan = test_support::calibrate_json(shorthand_deal());
  const auto long_plan = test_support::calibrate_json(explicit_deal());
  const std::vector<double> multipliers(short_plan.gpu.types * short_plan.gpu.columns, 1.0);
  cashflow::CollateralCash short_collateral(short_plan), long_collateral(long_plan);
  waterfall::CashWaterfall short_engine(short_plan.waterfall), long_engine(long_plan.waterfall);
  std::mt19937 random(7);
  std::uniform_int_distribution<int> month(1, 40);
  int swept = 0;
  for (int n = 0; n < 300; ++n) {
    const std::vector<int> default_month{month(random), month(random), month(random)};
    SCOPED_TRACE(::testing::Message() << default_month[0] << ' ' << default_month[1] << ' ' << default_month[2]);
    std::vector<std::uint32_t> defaulted;
    for (std::uint32_t i = 0; i < 3; ++i)
      if (default_month[i] <= short_plan.grid.months()) defaulted.push_back(i);
    short_collateral.start_path(default_month, defaulted, multipliers);
    long_collateral.start_path(default_month, defaulted, multipliers);
    const auto a = short_engine.run(short_collateral);  // copies: each engine owns its path
    const auto& b = long_engine.run(long_collateral);
    EXPECT_EQ(a.interest_paid, b.interest_paid);
    EXPECT_EQ(a.principal_paid, b.principal_paid);
    EXPECT_EQ(a.balance, b.balance);
    EXPECT_EQ(a.equity, b.equity);
    EXPECT_EQ(a.injected, b.injected);
    EXPECT_TRUE(same_bits(a.dscr, b.dscr));
    EXPECT_TRUE(same_bits(a.ltv, b.ltv));
    EXPECT_EQ(a.breached, b.breached);
    EXPECT_EQ(a.months_in_breach, b.months_in_breach);
    EXPECT_EQ(a.cures_used, b.cures_used);
    EXPECT_EQ(a.account_balance, b.account_balance);
    EXPECT_EQ(a.event_of_default, b.event_of_default);
    EXPECT_TRUE(same_bits(a.collateral_value, b.collateral_value));
    EXPECT_EQ(a.collections, b.collections);
    EXPECT_EQ(a.costs, b.costs);
    EXPECT_EQ(a.fees_paid, b.fees_paid);
    EXPECT_EQ(a.step_up_paid, b.step_up_paid);
    EXPECT_EQ(a.reserve_change, b.reserve_change);
    EXPECT_EQ(a.account, b.account);
    swept += std::count(a.breached.begin(), a.breached.end(), 1) > 0;
  }
  EXPECT_GT(swept, 0);  // the triggers do fire

  engine::SimulationConfig config;
  config.paths = 2048;
  config.threads = 2;
  const auto short_results = without_names(pricing::to_json(engine::simulate(short_plan, config)));
  const auto long_results = without_names(pricing::to_json(engine::simulate(long_plan, config)));
  EXPECT_EQ(short_results.dump(), long_results.dump());
}

// 12. Refusals and the round trip ----------------------------------------------------------------------------

/// The deal is refused with a problem at `path`.
::testing::AssertionResult refused_at(const Json& document, const std::string& path) {
  try {
    io::load_deal_json(document);
  } catch (const InputError& error) {
    std::string seen;
    for (const auto& problem : error.problems()) {
      if (problem.path == path) return ::testing::AssertionSuccess();
      seen += "\n  " + problem.path + ": " + problem.message;
    }
    return ::testing::AssertionFailure() << "refused, but not at " << path << ":" << seen;
  }
  return ::testing::AssertionFailure() << "accepted; expected a refusal at " << path;
}

/// Two tranches (the senior with an ARD), a reserve and a trap account, a stated priority, a trap covenant.
Json term_sheet_deal() {
  auto document = two_year_deal();
  auto& structure = document["deal"]["structure"];
  structure["tranches"].push_back(tranche("Junior", 100000.0, 0.10, {{"type", "bullet"}}));
  structure["tranches"][0]["anticipated_repayment"] = {{"date", "2027-07-01"}, {"coupon_step_up_bp", 300}};
  structure["accounts"] = Json::array(
      {{{"name", "DSRA"}, {"type", "reserve"}, {"target", {{"type", "months_of_debt_service"}, {"months", 6}}}},
       {{"name", "Trap"}, {"type", "trap"}}});
  structure["priority_of_payments"] = {{"before_enforcement",
                                        {{{"type", "senior_expenses"}},
                                         {{"type", "interest"}, {"tranches", {"Senior", "Junior"}}},
                                         {{"type", "reserve"}, {"account", "DSRA"}},
                                         {{"type", "principal"}},
                                         {{"type", "cash_sweep"}},
                                         {{"type", "cash_trap"}, {"account", "Trap"}},
                                         {{"type", "step_up_interest"}},
                                         {{"type", "equity"}}}},
                                       {"after_enforcement",
                                        {{{"type", "senior_expenses"}},
                                         {{"type", "interest"}},
                                         {{"type", "principal"}, {"mode", "all_available"}},
                                         {{"type", "equity"}}}}};
  structure["covenants"] = Json::array(
      {{{"name", "Trap"},
        {"metric", {{"type", "dscr"}, {"trailing_months", 6}}},
        {"level", 1.3},
        {"consequence", {{"type", "cash_trap"}, {"account", "Trap"}}}},
       {{"name", "Sweep"}, {"metric", {{"type", "ltv"}}}, {"level", 0.8}, {"consequence", {{"type", "cash_sweep"}}}}});
  return document;
}

TEST(term_sheet_by_hand, nothing_stays_trapped_and_liquidity_is_not_tested_once_the_deal_ends) {
  // A trap that fails on every date until the last, and a liquidity covenant that the fixed reserve passes.
  std::set<std::size_t> failing;
  for (std::size_t m = 1; m < dates; ++m) failing.insert(m);
  auto document = two_year_deal();
  auto& structure = document["deal"]["structure"];
  structure["accounts"] =
      Json::array({{{"name", "Reserve"}, {"type", "reserve"}, {"target", {{"type", "fixed"}, {"amount", 1000.0}}}},
                   {{"name", "Trap"}, {"type", "trap"}}});
  structure["covenants"] =
      Json::array({dscr_covenant("Trap", level_failing(failing),
                                 {{"type", "cash_trap"}, {"account", "Trap"}, {"release_after_passes", 3}}),
                   {{"name", "Liquidity"},
                    {"metric", {{"type", "liquidity"}}},
                    {"level", 1000.0},
                    {"consequence", {{"type", "event_of_default"}}}}});
  const auto path = run_path(document, {25});
  // The trap held everything after debt service until the last date, which still passes only once: the deal ends,
  // so the trapped cash and the last date's cash go to equity, and nothing is left in any account.
  EXPECT_EQ(path.equity[dates - 1], 0.0);
  EXPECT_GT(path.equity[dates], 0.0);
  EXPECT_EQ(at(path.account_balance, 1, dates), 0.0);
  EXPECT_EQ(at(path.account_balance, 0, dates), 0.0);
  // The reserve met its 1,000 on every test, and on the last date, with every account released, the liquidity
  // covenant is not breached: no event of default.
  for (std::size_t m = 1; m <= dates; ++m) EXPECT_EQ(path.breached[1 * columns + m], 0) << m;
  EXPECT_EQ(path.event_of_default, 0u);
}

TEST(term_sheet_by_hand, every_refusal_of_the_term_sheet_is_reported_at_its_json_path) {
  const std::string s = "deal.structure", before = s + ".priority_of_payments.before_enforcement",
                    after = s + ".priority_of_payments.after_enforcement";
  ASSERT_NO_THROW(io::load_deal_json(term_sheet_deal()));
  {  // a tranche name that does not exist
    auto d = term_sheet_deal();
    d["deal"]["structure"]["priority_of_payments"]["before_enforcement"][1]["tranches"][1] = "Mezz";
    EXPECT_TRUE(refused_at(d, before + "[1].tranches[1]"));
  }
  {  // an account name that does not exist
    auto d = term_sheet_deal();
    d["deal"]["structure"]["priority_of_payments"]["before_enforcement"][2]["account"] = "Nowhere";
    EXPECT_TRUE(refused_at(d, before + "[2].account"));
  }
  {  // a reserve step on a trap account
    auto d = term_sheet_deal();
    d["deal"]["structure"]["priority_of_payments"]["before_enforcement"][2]["account"] = "Trap";
    EXPECT_TRUE(refused_at(d, before + "[2].account"));
  }
  {  // a cash_trap step on a reserve
    auto d = term_sheet_deal();
    d["deal"]["structure"]["priority_of_payments"]["before_enforcement"][5]["account"] = "DSRA";
    EXPECT_TRUE(refused_at(d, before + "[5].account"));
  }
  {  // a tranche named twice in one step, or paid interest by two steps, or by none
    auto d = term_sheet_deal();
    d["deal"]["structure"]["priority_of_payments"]["before_enforcement"][1]["tranches"][1] = "Senior";
    EXPECT_TRUE(refused_at(d, before + "[1].tranches[1]"));
    EXPECT_TRUE(refused_at(d, before));  // and the junior's interest is paid by no step
    auto e = term_sheet_deal();
    auto& list = e["deal"]["structure"]["priority_of_payments"]["before_enforcement"];
    list.insert(list.begin() + 2, Json{{"type", "interest"}, {"tranches", {"Junior"}}});
    EXPECT_TRUE(refused_at(e, before));
  }
  {  // two senior_expenses steps pay the fees twice
    auto d = term_sheet_deal();
    auto& list = d["deal"]["structure"]["priority_of_payments"]["before_enforcement"];
    list.insert(list.begin() + 1, Json{{"type", "senior_expenses"}});
    EXPECT_TRUE(refused_at(d, before));
  }
  {  // a trigger that sweeps with no cash_sweep step in the stated list
    auto d = term_sheet_deal();
    d["deal"]["structure"]["triggers"] = {{"ltv_cash_sweep", 0.9}};
    d["deal"]["structure"]["tranches"][0].erase("anticipated_repayment");
    d["deal"]["structure"]["covenants"].erase(1);
    auto& list = d["deal"]["structure"]["priority_of_payments"]["before_enforcement"];
    list.erase(6);  // step_up_interest, no longer needed
    list.erase(4);  // cash_sweep
    EXPECT_TRUE(refused_at(d, s + ".triggers"));
  }
  {  // a step_up_interest step that leaves out the tranche with the anticipated repayment date
    auto d = term_sheet_deal();
    d["deal"]["structure"]["priority_of_payments"]["before_enforcement"][6]["tranches"] = {"Junior"};
    EXPECT_TRUE(refused_at(d, before));
  }
  {  // an anticipated repayment date on or before the valuation date
    auto d = term_sheet_deal();
    d["deal"]["structure"]["tranches"][0]["anticipated_repayment"]["date"] = "2026-01-01";
    EXPECT_TRUE(refused_at(d, s + ".tranches[0].anticipated_repayment.date"));
  }
  {  // a list that does not end with equity
    auto d = term_sheet_deal();
    d["deal"]["structure"]["priority_of_payments"]["before_enforcement"].erase(7);
    EXPECT_TRUE(refused_at(d, before + "[6]"));
  }
  {  // an after-enforcement list that does not end with equity
    auto d = term_sheet_deal();
    d["deal"]["structure"]["priority_of_payments"]["after_enforcement"].erase(3);
    EXPECT_TRUE(refused_at(d, after + "[2]"));
  }
  {  // other steps after enforcement
    auto d = term_sheet_deal();
    auto& list = d["deal"]["structure"]["priority_of_payments"]["after_enforcement"];
    list.insert(list.begin() + 3, Json{{"type", "cash_sweep"}});
    EXPECT_TRUE(refused_at(d, after + "[3]"));
    auto e = term_sheet_deal();
    auto& other = e["deal"]["structure"]["priority_of_payments"]["after_enforcement"];
    other.insert(other.begin() + 1, Json{{"type", "reserve"}, {"account", "DSRA"}});
    EXPECT_TRUE(refused_at(e, after + "[1]"));
  }
  {  // no cash_sweep step while a covenant sweeps (the ARD removed, so only the covenant calls for it)
    auto d = term_sheet_deal();
    d["deal"]["structure"]["tranches"][0].erase("anticipated_repayment");
    auto& list = d["deal"]["structure"]["priority_of_payments"]["before_enforcement"];
    list.erase(6);
    list.erase(4);
    ASSERT_EQ(list[4]["type"], "cash_trap");
    EXPECT_TRUE(refused_at(d, s + ".covenants[1].consequence"));
  }
  {  // no cash_sweep step while a tranche has an ARD
    auto d = term_sheet_deal();
    d["deal"]["structure"]["covenants"].erase(1);
    d["deal"]["structure"]["priority_of_payments"]["before_enforcement"].erase(4);
    EXPECT_TRUE(refused_at(d, before));
  }
  {  // no step_up_interest step while a tranche has an ARD
    auto d = term_sheet_deal();
    d["deal"]["structure"]["priority_of_payments"]["before_enforcement"].erase(6);
    EXPECT_TRUE(refused_at(d, before));
  }
  {  // a trap covenant whose account has no cash_trap step
    auto d = term_sheet_deal();
    d["deal"]["structure"]["priority_of_payments"]["before_enforcement"].erase(5);
    EXPECT_TRUE(refused_at(d, s + ".covenants[0].consequence.account"));
  }
  // 4.10
  {  // a trap covenant on a reserve account
    auto d = term_sheet_deal();
    d["deal"]["structure"]["covenants"][0]["consequence"]["account"] = "DSRA";
    EXPECT_TRUE(refused_at(d, s + ".covenants[0].consequence.account"));
  }
  {  // duplicate covenant names, the triggers' names included
    auto d = term_sheet_deal();
    d["deal"]["structure"]["covenants"][1]["name"] = "Trap";
    EXPECT_TRUE(refused_at(d, s + ".covenants[1].name"));
    auto e = term_sheet_deal();
    e["deal"]["structure"]["covenants"][1]["name"] = "ltv_cash_sweep";
    EXPECT_TRUE(refused_at(e, s + ".covenants[1].name"));
  }
  {  // trailing_months not a multiple of the payment frequency
    auto d = term_sheet_deal();
    d["deal"]["structure"]["covenants"][0]["metric"]["trailing_months"] = 4;
    EXPECT_TRUE(refused_at(d, s + ".covenants[0].metric.trailing_months"));
  }
  {  // level steps whose dates do not increase
    auto d = term_sheet_deal();
    d["deal"]["structure"]["covenants"][0]["level"] = {
        {"initial", 1.2},
        {"steps", {{{"from", "2027-01-01"}, {"level", 1.3}}, {{"from", "2026-07-01"}, {"level", 1.4}}}}};
    EXPECT_TRUE(refused_at(d, s + ".covenants[0].level.steps[1].from"));
  }
  {  // equity cures on the investment-grade share
    auto d = term_sheet_deal();
    d["deal"]["structure"]["covenants"][1] = {{"name", "IG"},
                                              {"metric", {{"type", "investment_grade_share"}}},
                                              {"level", 0.5},
                                              {"consequence", {{"type", "event_of_default"}, {"equity_cures", 1}}}};
    EXPECT_TRUE(refused_at(d, s + ".covenants[1].consequence.equity_cures"));
  }
  {  // a margin step-up on an unknown tranche
    auto d = term_sheet_deal();
    d["deal"]["structure"]["covenants"][1]["consequence"] = {
        {"type", "margin_step_up"}, {"bp", 100}, {"tranches", {"Junior", "Nobody"}}};
    EXPECT_TRUE(refused_at(d, s + ".covenants[1].consequence.tranches[1]"));
  }
  // 4.8 and 4.11
  {  // an account named reserve beside reserve_account
    auto d = term_sheet_deal();
    d["deal"]["structure"]["reserve_account"] = {{"target_months_of_interest", 3}};
    d["deal"]["structure"]["accounts"][1]["name"] = "reserve";
    d["deal"]["structure"]["priority_of_payments"]["before_enforcement"][5]["account"] = "reserve";
    d["deal"]["structure"]["covenants"][0]["consequence"]["account"] = "reserve";
    EXPECT_TRUE(refused_at(d, s + ".accounts[1].name"));
  }
  {  // months of debt service not a multiple of the payment frequency
    auto d = term_sheet_deal();
    d["deal"]["structure"]["accounts"][0]["target"]["months"] = 5;
    EXPECT_TRUE(refused_at(d, s + ".accounts[0].target.months"));
  }
  {  // an anticipated repayment date after the legal maturity
    auto d = term_sheet_deal();
    d["deal"]["structure"]["tranches"][0]["anticipated_repayment"]["date"] = "2028-07-01";
    EXPECT_TRUE(refused_at(d, s + ".tranches[0].anticipated_repayment.date"));
  }
}

TEST(term_sheet_by_hand, a_deal_with_every_term_sheet_field_round_trips) {
  auto document = all_mechanics_deal();
  auto& structure = document["deal"]["structure"];
  const Json both = Json::array({"Senior", "Mezzanine"});
  structure["tranches"][1]["anticipated_repayment"] = {{"date", "2027-10-01"}, {"coupon_step_up_bp", 250.5}};
  structure["accounts"].push_back({{"name", "Interest"},
                                   {"type", "reserve"},
                                   {"target", {{"type", "months_of_interest"}, {"months", 4.5}}},
                                   {"initial_balance", 750.0}});
  structure["priority_of_payments"] = {
      {"before_enforcement",
       {{{"type", "senior_expenses"}},
        {{"type", "interest"}, {"tranches", both}, {"pari_passu", true}},
        {{"type", "reserve"}, {"account", "DSRA"}},
        {{"type", "reserve"}, {"account", "Maintenance"}},
        {{"type", "reserve"}, {"account", "Cover"}},
        {{"type", "reserve"}, {"account", "Interest"}},
        {{"type", "principal"}, {"tranches", {"Senior"}}, {"mode", "target"}, {"target_balances", {0.9, 0.8, 0.5}}},
        {{"type", "principal"}, {"tranches", both}, {"pari_passu", true}, {"mode", "scheduled"}},
        {{"type", "cash_sweep"}},
        {{"type", "cash_trap"}, {"account", "Trap"}},
        {{"type", "step_up_interest"}, {"tranches", {"Mezzanine", "Senior"}}},
        {{"type", "equity"}}}},
      {"after_enforcement",
       {{{"type", "senior_expenses"}},
        {{"type", "interest"}, {"tranches", both}, {"pari_passu", true}},
        {{"type", "principal"}, {"tranches", both}, {"pari_passu", true}, {"mode", "all_available"}},
        {{"type", "equity"}}}}};
  structure["reserve_account"] = {{"target_months_of_interest", 2}, {"initial_balance", 100.0}};
  structure["triggers"] = {{"dscr_cash_sweep", 1.2}, {"ltv_cash_sweep", 0.9}};
  const auto file = io::load_deal_json(document);
  const auto saved = io::to_json(file);
  // Every new field is written back.
  const auto& written = saved["deal"]["structure"];
  EXPECT_EQ(written["accounts"].size(), 5u);
  EXPECT_EQ(written["covenants"].size(), structure["covenants"].size());
  EXPECT_EQ(written["priority_of_payments"]["before_enforcement"].size(), 12u);
  EXPECT_EQ(written["priority_of_payments"]["after_enforcement"].size(), 4u);
  EXPECT_TRUE(written["tranches"][1].contains("anticipated_repayment"));
  const auto reloaded = io::load_deal_json(saved);
  EXPECT_TRUE(reloaded == file);
  EXPECT_EQ(io::to_json(reloaded).dump(), saved.dump());
}

}  // namespace
}  // namespace computedebt
