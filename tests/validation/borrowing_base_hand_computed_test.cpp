// Borrowing bases computed by hand (docs/methodology.md section 5.7). On the single-lease deal split into three
// leases (an AA hyperscaler; a B start-up whose lease ends early; an unrated tenant guaranteed up to a cap by an A
// guarantor), the test classes each lease, applies eligibility and the concentration limits on its own from the
// plan's contract values and GPU values, and checks the headroom the waterfall records on each date, the
// prepayment a small deficiency calls for, and the event of default an uncured one ends in.

#include <gtest/gtest.h>

#include <computedebt/calibration/calibrate.hpp>

#include <algorithm>
#include <array>

#include "test_deals.hpp"

namespace computedebt {
namespace {

constexpr double cap = 150000.0;

/// The single-lease deal with three leases and a borrowing base on the senior notes at `rates` (IG, sub-IG,
/// guaranteed, GPU), no concentration limits, 3 months of minimum remaining term and a 3-month cure period.
nlohmann::ordered_json base_deal(const std::array<double, 4>& rates) {
  auto document = test_support::single_lease_deal();
  auto& deal = document["deal"];
  deal["counterparties"] = {{{"id", "hyper"}, {"rating", "AA"}},
                            {{"id", "startup"}, {"rating", "B"}},
                            {{"id", "tenant"}},
                            {{"id", "guarantor"}, {"rating", "A"}}};
  auto lease = deal["contracts"][0];
  lease["gpu_count"] = 40;
  auto start = lease;
  start["id"] = "start";
  start["counterparty"] = "startup";
  start["gpu_count"] = 30;
  start["end_date"] = "2026-06-15";  // less than 3 months left from the second payment date on
  auto backed = lease;
  backed["id"] = "backed";
  backed["counterparty"] = "tenant";
  backed["gpu_count"] = 30;
  backed["guarantee"] = {{"guarantor", "guarantor"}, {"cap", cap}};
  deal["contracts"] = {lease, start, backed};
  deal["structure"]["borrowing_base"] = {{"tranches", {"Senior"}},
                                         {"advance_rates",
                                          {{"investment_grade", rates[0]},
                                           {"sub_investment_grade", rates[1]},
                                           {"guaranteed", rates[2]},
                                           {"gpu", rates[3]}}},
                                         {"minimum_remaining_months", 3},
                                         {"cure_period_months", 3}};
  auto& credit = document["assumptions"]["credit"];
  for (const char* id : {"startup", "tenant", "guarantor"}) credit[id] = {{"hazard_rate", 0.0}};
  return document;
}

/// Which names have defaulted by a date.
struct Alive {
  bool hyper = true, guarantor = true;
};

struct Limits {
  double single = 1.0, sub = 1.0, gpu_type = 1.0;
};

/// The borrowing base on date `m` by hand: each lease's value at the date from the plan, classed, made eligible
/// and limited as docs/methodology.md section 5.7 says; the GPUs at their value per GPU with multipliers of 1.
double hand_base(const calibration::Plan& plan, std::size_t m, const std::array<double, 4>& rates, Alive alive,
                 Limits limits = {}) {
  const auto& w = plan.waterfall;
  const std::size_t columns = w.dates + 1;
  const auto value = [&](std::size_t c) { return w.contract_value[c * columns + m]; };
  const auto date = plan.grid.dates[static_cast<std::size_t>(w.date_month[m])];
  // A lease is eligible while at least 3 months remain: the start-up's ends on 2026-06-15, the others on 2026-10-15.
  const auto eligible = [&](int end_month) {
    return add_months(date, 3) <=
           Date{std::chrono::year{2026}, std::chrono::month{static_cast<unsigned>(end_month)}, std::chrono::day{15}};
  };
  const double hyper = alive.hyper && eligible(10) ? value(0) : 0.0, start = eligible(6) ? value(1) : 0.0;
  const double backed = eligible(10) ? value(2) : 0.0;
  const double total = hyper + start + backed;
  // Per counterparty: its classes, scaled down to the single-counterparty limit.
  const auto limited = [&](double v) { return v > limits.single * total ? limits.single * total / v : 1.0; };
  const double grade = hyper * limited(hyper);
  double sub = start * limited(start);
  const double covered = alive.guarantor ? std::min(backed, cap) : 0.0;
  const double tenant_scale = limited(backed);
  const double guaranteed = covered * tenant_scale;
  sub += (backed - covered) * tenant_scale;
  sub = std::min(sub, limits.sub * total);
  const auto k = static_cast<std::size_t>(w.date_month[m]);
  const double gpus =
      k == 0 ? plan.gpu.initial_fleet_value() : plan.collateral.fleet[0] * plan.collateral.value_per_gpu[k];
  return rates[0] * grade + rates[1] * sub + rates[2] * guaranteed + rates[3] * std::min(gpus, limits.gpu_type * gpus);
}

/// The senior's balance at the borrowing-base test: after its scheduled principal, before any prepayment.
double tested_balance(const waterfall::WaterfallPath& path, std::size_t m) {
  return path.balance_after[m] + path.mandatory_prepayment[m];
}

}  // namespace

TEST(borrowing_base_hand_computed, classes_eligibility_and_advance_rates_set_the_headroom_on_each_date) {
  const std::array<double, 4> rates{0.8, 0.5, 0.7, 0.2};
  const auto document = base_deal(rates);
  const auto plan = test_support::calibrate_json(document);
  const auto& base = *plan.waterfall.borrowing_base;
  EXPECT_NEAR(base.initial_base, hand_base(plan, 0, rates, {}), 1e-9 * base.initial_base);
  EXPECT_NEAR(base.initial.guaranteed, cap, 1e-9) << "the guarantee covers its cap, the rest is sub-investment grade";
  EXPECT_DOUBLE_EQ(base.initial_balance, 500000.0);
  const auto path = test_support::run_one_path(document, {99, 99, 99, 99});
  ASSERT_EQ(path.event_of_default, 0u);
  for (std::size_t m = 1; m <= 3; ++m) {
    SCOPED_TRACE("date " + std::to_string(m));
    const double expected = hand_base(plan, m, rates, {}) - tested_balance(path, m);
    EXPECT_NEAR(path.borrowing_base_headroom[m], expected, 1e-6);
    EXPECT_GT(path.borrowing_base_headroom[m], 0.0) << "no deficiency at these rates";
    EXPECT_EQ(path.mandatory_prepayment[m], 0.0);
  }
}

TEST(borrowing_base_hand_computed, concentration_limits_exclude_the_excess) {
  const std::array<double, 4> rates{0.8, 0.5, 0.7, 0.2};
  auto document = base_deal(rates);
  document["deal"]["structure"]["borrowing_base"]["concentration_limits"] = {
      {"single_counterparty", 0.4}, {"sub_investment_grade", 0.15}, {"single_gpu_type", 0.6}};
  const auto plan = test_support::calibrate_json(document);
  const Limits limits{0.4, 0.15, 0.6};
  const auto& base = *plan.waterfall.borrowing_base;
  EXPECT_NEAR(base.initial_base, hand_base(plan, 0, rates, {}, limits), 1e-9 * base.initial_base);
  EXPECT_LT(base.initial_base, hand_base(plan, 0, rates, {}) - 1000.0) << "each limit binds at t0";
  EXPECT_GT(base.initial.excluded, 0.4 * plan.gpu.initial_fleet_value()) << "the one GPU type is 100% of the fleet";
  const auto path = test_support::run_one_path(document, {99, 99, 99, 99});
  for (std::size_t m = 1; m <= 3; ++m) {
    SCOPED_TRACE("date " + std::to_string(m));
    EXPECT_NEAR(path.borrowing_base_headroom[m], hand_base(plan, m, rates, {}, limits) - tested_balance(path, m), 1e-6);
  }
}

TEST(borrowing_base_hand_computed, defaults_make_a_lease_ineligible_and_end_a_guarantees_cover) {
  const std::array<double, 4> rates{0.8, 0.5, 0.7, 0.5};
  const auto document = base_deal(rates);
  const auto plan = test_support::calibrate_json(document);
  // The hyperscaler defaults in month 2, the guarantor in month 4.
  const auto path = test_support::run_one_path(document, {2, 99, 99, 4});
  ASSERT_EQ(path.event_of_default, 0u);
  EXPECT_NEAR(path.borrowing_base_headroom[1], hand_base(plan, 1, rates, {false, true}) - tested_balance(path, 1),
              1e-6);
  for (std::size_t m = 2; m <= 3; ++m)
    EXPECT_NEAR(path.borrowing_base_headroom[m], hand_base(plan, m, rates, {false, false}) - tested_balance(path, m),
                1e-6)
        << "date " << m;
  // Without the guarantor the covered part of the tenant's lease advances at 50%, not 70%.
  const double covered = std::min(plan.waterfall.contract_value[2 * (plan.waterfall.dates + 1) + 2], cap);
  EXPECT_NEAR(hand_base(plan, 2, rates, {false, true}) - hand_base(plan, 2, rates, {false, false}), 0.2 * covered,
              1e-6);
  EXPECT_GT(covered, 50000.0);
}

TEST(borrowing_base_hand_computed, a_deficiency_the_cash_covers_is_prepaid_and_cured) {
  // Advance on the GPUs only enough to leave a 20,000 deficiency on the first date.
  std::array<double, 4> rates{0.5, 0.3, 0.4, 0.0};
  const auto first = test_support::calibrate_json(base_deal(rates));
  const double gpus = first.collateral.fleet[0] * first.collateral.value_per_gpu[3];
  rates[3] = (375000.0 - 20000.0 - hand_base(first, 1, rates, {})) / gpus;
  ASSERT_GT(rates[3], 0.0);
  ASSERT_LT(rates[3], 1.0);
  const auto document = base_deal(rates);
  const auto plan = test_support::calibrate_json(document);
  const auto path = test_support::run_one_path(document, {99, 99, 99, 99});
  EXPECT_NEAR(path.borrowing_base_headroom[1], -20000.0, 1e-6);
  EXPECT_NEAR(path.mandatory_prepayment[1], 20000.0, 1e-6);
  EXPECT_NEAR(path.balance_after[1], 375000.0 - 20000.0, 1e-6) << "the senior is prepaid below its schedule";
  const std::size_t columns = plan.waterfall.dates + 1;
  const std::size_t test = plan.waterfall.borrowing_base->covenant;
  EXPECT_EQ(path.breached[test * columns + 1], 1) << "the deficiency counts, prepaid or not";
  EXPECT_EQ(path.months_in_breach[test], 0.0) << "cured at once by the prepayment";
  EXPECT_EQ(path.event_of_default, 0u);
  EXPECT_FALSE(path.borrowing_base_default);
  EXPECT_GT(path.equity[1], 0.0) << "what the deficiency did not need still reaches the equity";
  EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
}

TEST(borrowing_base_hand_computed, a_deficiency_left_after_the_prepayment_runs_its_cure_period) {
  // Advancing 5% of the GPUs' value only, the facility is deficient from the first date; all the cash left after
  // the scheduled payments prepays the senior, and the equity gets nothing while it is.
  const std::array<double, 4> rates{0.0, 0.0, 0.0, 0.05};
  auto document = base_deal(rates);
  const auto plan = test_support::calibrate_json(document);
  const std::size_t test = plan.waterfall.borrowing_base->covenant;
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_EQ(plan.warnings[0].path, "deal.structure.borrowing_base") << "deficient from the start: a warning";
  {
    SCOPED_TRACE("3-month cure period");
    const auto path = test_support::run_one_path(document, {99, 99, 99, 99});
    EXPECT_GT(path.mandatory_prepayment[1], 0.0);
    EXPECT_EQ(path.equity[1], 0.0);
    EXPECT_LT(path.borrowing_base_headroom[1] + path.mandatory_prepayment[1], -0.01);
    // Deficient since month 3 and still on the next date, month 6: an event of default.
    EXPECT_EQ(path.event_of_default, 2u);
    EXPECT_TRUE(path.borrowing_base_default);
    EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  }
  {
    SCOPED_TRACE("6-month cure period");
    document["deal"]["structure"]["borrowing_base"]["cure_period_months"] = 6;
    const auto path = test_support::run_one_path(document, {99, 99, 99, 99});
    // The third date's cash prepays what is left of the deficiency before the cure period ends.
    EXPECT_LT(path.borrowing_base_headroom[2] + path.mandatory_prepayment[2], -0.01);
    EXPECT_LT(path.borrowing_base_headroom[3], -0.01);
    EXPECT_NEAR(path.mandatory_prepayment[3], -path.borrowing_base_headroom[3], 1e-6);
    EXPECT_EQ(path.event_of_default, 0u);
    EXPECT_FALSE(path.borrowing_base_default);
    EXPECT_EQ(path.months_in_breach[test], 6.0) << "deficient after the prepayments on two dates";
    EXPECT_GT(path.equity[3], 0.0) << "once cured, what is left reaches the equity again";
    EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  }
}

}  // namespace computedebt
