// Deliveries and delayed draws computed by hand (docs/methodology.md section 5.8). On the single-lease deal, a second
// cohort of 50 GPUs arrives in March 2026 and is funded on the first payment date after it, 2026-04-01, by a draw of
// 60% of its cost on the senior (a delayed-draw term loan with a 1,000,000 commitment and a 50 bp commitment fee),
// the equity paying the rest; a lease of those GPUs starts on the funding date. The test checks the draw, its own
// amortisation, the commitment fee, the equity's funding, cash conservation and the loss identity with the draw,
// the two rules for a refused draw, a delivery delayed by a certain number of months, and a draw on a date.

#include <gtest/gtest.h>

#include <computedebt/calibration/calibrate.hpp>

#include <chrono>

#include "test_deals.hpp"

namespace computedebt {
namespace {

constexpr double cost = 50 * 10000.0, draw = 0.6 * cost;

/// The single-lease deal with the delivery, its lease and the senior's delayed draw; `rule` on a refused draw.
nlohmann::ordered_json delivery_deal(const std::string& rule = "sponsor_funds") {
  auto document = test_support::single_lease_deal();
  auto& deal = document["deal"];
  deal["fleet"].push_back({{"gpu_type", "G"}, {"count", 50}, {"acquired", "2026-03-15"}, {"id", "batch2"}});
  auto lease = deal["contracts"][0];
  lease["id"] = "lease2";
  lease["gpu_count"] = 50;
  lease["price_per_gpu_hour"] = 1.2;
  lease["start_date"] = "2026-04-01";
  lease["end_date"] = "2026-12-15";
  lease["cohort"] = "batch2";
  deal["contracts"].push_back(lease);
  deal["structure"]["tranches"][0]["delayed_draw"] = {{"commitment", 1000000.0},
                                                      {"availability_end", "2026-06-30"},
                                                      {"commitment_fee_bp", 50},
                                                      {"draws", {{{"cohort", "batch2"}, {"advance_rate", 0.6}}}},
                                                      {"refused_draw", rule}};
  return document;
}

/// The same deal with an LTV covenant breached from the first date, whose cure period outlasts the deal: the draw
/// is refused, and no event of default follows.
nlohmann::ordered_json refused_deal(const std::string& rule) {
  auto document = delivery_deal(rule);
  document["deal"]["structure"]["covenants"] = {
      {{"name", "LTV default"},
       {"metric", {{"type", "ltv"}}},
       {"level", 0.1},
       {"consequence", {{"type", "event_of_default"}, {"cure_period_months", 24}}}}};
  return document;
}

double year_fraction(const calibration::Plan& plan, std::size_t m) {
  const auto& w = plan.waterfall;
  const auto start = plan.grid.dates[static_cast<std::size_t>(w.date_month[m - 1])];
  const auto end = plan.grid.dates[static_cast<std::size_t>(w.date_month[m])];
  return static_cast<double>((std::chrono::sys_days(end) - std::chrono::sys_days(start)).count()) / 365.0;
}

/// What the senior was paid and still owes, at its 8% coupon, is what it lent: its notional of 500,000 and the draws.
void expect_loss_identity(const calibration::WaterfallPlan& w, const waterfall::WaterfallPath& path) {
  double discount = 1.0, value = 0.0, lent = 500000.0;
  for (std::size_t m = 1; m <= w.dates; ++m) {
    discount /= 1.0 + 0.08 * w.accrual[m];
    value += discount * (path.interest_paid[m] + path.principal_paid[m]);
    lent += discount * path.drawn[m];
  }
  EXPECT_NEAR(value + discount * path.balance[0], lent, 1e-6);
}

}  // namespace

TEST(delayed_draw_hand_computed, a_draw_funds_the_delivery_and_amortises_from_its_own_date) {
  const auto document = delivery_deal();
  const auto plan = test_support::calibrate_json(document);
  const auto& w = plan.waterfall;
  ASSERT_EQ(w.draws.size(), 1u);
  EXPECT_EQ(w.draws[0].date, 1u);
  EXPECT_DOUBLE_EQ(w.draws[0].amount, draw);
  // The delivery is owned from month 4, the month after its funding date.
  EXPECT_EQ(plan.collateral.owned[3], 100.0);
  EXPECT_EQ(plan.collateral.owned[4], 150.0);
  EXPECT_EQ(plan.gpu.initial_fleet_value(), 100 * 10000.0) << "the delivery is not held at t0";
  const auto path = test_support::run_one_path(document, {99});
  ASSERT_EQ(path.event_of_default, 0u);
  const std::size_t columns = w.dates + 1;
  EXPECT_EQ(path.drawn[1], draw);
  EXPECT_EQ(path.draw_refused[0], 0);
  EXPECT_EQ(path.delivery_equity[1], cost - draw);
  EXPECT_EQ(path.purchases, cost);
  // The notional amortises over 12 months from t0, the draw over 12 months from its date: 75,000 a quarter, the rest
  // at the legal maturity.
  const double senior[] = {500000.0, 375000.0 + draw, 250000.0 + 225000.0, 125000.0 + 150000.0, 0.0};
  for (std::size_t m = 1; m < columns; ++m) {
    SCOPED_TRACE("date " + std::to_string(m));
    EXPECT_NEAR(path.balance_after[m], senior[m], 1e-6);
    EXPECT_NEAR(path.interest_paid[m], senior[m - 1] * 0.08 * year_fraction(plan, m), 1e-6);
  }
  // The fee runs on the undrawn commitment over the periods up to the end of availability (2026-07-01's).
  const double fees =
      0.005 * (500000.0 * year_fraction(plan, 1) + (1000000.0 - 500000.0 - draw) * year_fraction(plan, 2));
  EXPECT_NEAR(path.commitment_fees[0], fees, 1e-9);
  EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  // The loss identity with the draw: what was paid and what is owed, at the coupon, is what was lent.
  expect_loss_identity(w, path);
}

TEST(delayed_draw_hand_computed, a_refused_draw_is_funded_by_the_sponsor_or_cancels_the_delivery) {
  const auto funded = test_support::run_one_path(delivery_deal(), {99});
  {
    SCOPED_TRACE("sponsor_funds");
    const auto document = refused_deal("sponsor_funds");
    const auto path = test_support::run_one_path(document, {99});
    ASSERT_EQ(path.event_of_default, 0u);
    EXPECT_EQ(path.breached[1], 1) << "the covenant is breached on the funding date";
    EXPECT_EQ(path.draw_refused[0], 1);
    EXPECT_EQ(path.drawn[1], 0.0);
    EXPECT_EQ(path.delivery_equity[1], cost) << "the sponsor pays the whole delivery";
    EXPECT_EQ(path.delivery_cancelled[0], 0);
    // The senior keeps its own schedule, and the lease of the delivered GPUs still pays.
    EXPECT_NEAR(path.balance_after[2], 250000.0, 1e-6);
    EXPECT_NEAR(path.collections, funded.collections, 1e-6);
    EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  }
  {
    SCOPED_TRACE("cancel_delivery");
    const auto document = refused_deal("cancel_delivery");
    const auto plan = test_support::calibrate_json(document);
    const auto path = test_support::run_one_path(document, {99});
    ASSERT_EQ(path.event_of_default, 0u);
    EXPECT_EQ(path.draw_refused[0], 1);
    EXPECT_EQ(path.delivery_cancelled[0], 1);
    EXPECT_EQ(path.delivery_equity[1], 0.0);
    EXPECT_EQ(path.purchases, 0.0);
    EXPECT_NEAR(path.balance_after[2], 250000.0, 1e-6);
    // Without the delivery its lease never pays: the collections lose exactly its promised payments, and the GPUs
    // of the first cohort alone cost opex.
    double lease2 = 0.0;
    for (std::size_t k = 1; k < plan.collateral.columns; ++k)
      lease2 += plan.collateral.payments[plan.collateral.columns + k];
    EXPECT_GT(lease2, 0.0);
    EXPECT_LT(path.collections, funded.collections - 0.9 * lease2);
    EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  }
}

TEST(delayed_draw_hand_computed, an_event_of_default_before_the_funding_date_cancels_the_delivery) {
  auto document = delivery_deal("sponsor_funds");
  document["deal"]["structure"]["covenants"] = {{{"name", "LTV default"},
                                                 {"metric", {{"type", "ltv"}}},
                                                 {"level", 0.1},
                                                 {"consequence", {{"type", "event_of_default"}}}}};
  const auto path = test_support::run_one_path(document, {99});
  ASSERT_EQ(path.event_of_default, 1u);
  EXPECT_EQ(path.delivery_cancelled[0], 1);
  EXPECT_EQ(path.draw_refused[0], 1);
  EXPECT_EQ(path.purchases, 0.0);
  EXPECT_EQ(path.delivery_equity[1], 0.0);
  EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
}

/// The delivery deal with the delivery certainly `months` late, and availability until `availability_end`.
nlohmann::ordered_json late_deal(int months, const std::string& availability_end, const std::string& rule) {
  auto document = delivery_deal(rule);
  document["deal"]["structure"]["tranches"][0]["delayed_draw"]["availability_end"] = availability_end;
  document["assumptions"]["delivery_delay"] = {
      {"cohorts", {{"batch2", {{"months", {months}}, {"probabilities", {1.0}}}}}}};
  return document;
}

/// The promised payments of the delivery's lease (contract 1) over months `from..to`.
double lease2_payments(const calibration::Plan& plan, std::size_t from, std::size_t to) {
  double total = 0.0;
  for (std::size_t k = from; k <= to; ++k) total += plan.collateral.payments[plan.collateral.columns + k];
  return total;
}

// Three months late, the delivery arrives in June and is funded on 2026-07-01: its lease loses April to June, and
// the draw is made a quarter later and amortises from then.
TEST(delayed_draw_hand_computed, a_late_delivery_moves_its_draw_and_its_lease_starts_late) {
  auto on_time_document = late_deal(0, "2026-09-30", "sponsor_funds");
  const auto on_time = test_support::run_one_path(on_time_document, {99});
  const auto document = late_deal(3, "2026-09-30", "sponsor_funds");
  const auto plan = test_support::calibrate_json(document);
  const auto path = test_support::run_one_path(document, {99});
  const auto& w = plan.waterfall;
  ASSERT_EQ(path.event_of_default, 0u);
  EXPECT_EQ(path.delivery_delay[0], 3);
  EXPECT_EQ(on_time.delivery_delay[0], 0);
  EXPECT_EQ(path.drawn[1], 0.0);
  EXPECT_EQ(path.drawn[2], draw);
  EXPECT_EQ(path.delivery_equity[2], cost - draw);
  EXPECT_EQ(path.draw_refused[0], 0);
  const double senior[] = {500000.0, 375000.0, 250000.0 + draw, 125000.0 + 0.75 * draw, 0.0};
  for (std::size_t m = 1; m <= w.dates; ++m) {
    SCOPED_TRACE("date " + std::to_string(m));
    EXPECT_NEAR(path.balance_after[m], senior[m], 1e-6);
    EXPECT_NEAR(path.interest_paid[m], senior[m - 1] * 0.08 * year_fraction(plan, m), 1e-6);
  }
  // The fee runs on the whole undrawn commitment until the draw, and to 2026-10-01, the date that ends availability.
  const double fees = 0.005 * (500000.0 * (year_fraction(plan, 1) + year_fraction(plan, 2)) +
                               (500000.0 - draw) * year_fraction(plan, 3));
  EXPECT_NEAR(path.commitment_fees[0], fees, 1e-9);
  // The lease cannot run before its GPUs arrive: April, May and June's payments are lost, and nothing else changes
  // in the collections (the GPUs are leased whenever they are owned, and sold at the end either way).
  EXPECT_GT(lease2_payments(plan, 4, 6), 0.0);
  EXPECT_NEAR(path.collections, on_time.collections - lease2_payments(plan, 4, 6), 1e-6);
  EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  expect_loss_identity(w, path);
}

// Availability ends on 2026-06-30: three months late, the delivery can no longer be drawn for, and the refused-draw
// rule applies on its new funding date.
TEST(delayed_draw_hand_computed, a_delivery_late_past_availability_follows_the_refused_draw_rule) {
  {
    SCOPED_TRACE("sponsor_funds");
    const auto path = test_support::run_one_path(late_deal(3, "2026-06-30", "sponsor_funds"), {99});
    EXPECT_EQ(path.draw_refused[0], 1);
    EXPECT_EQ(path.delivery_equity[2], cost);
    EXPECT_EQ(path.delivery_cancelled[0], 0);
    EXPECT_NEAR(path.balance_after[2], 250000.0, 1e-6);
    EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  }
  {
    SCOPED_TRACE("cancel_delivery");
    const auto document = late_deal(3, "2026-06-30", "cancel_delivery");
    const auto plan = test_support::calibrate_json(document);
    const auto path = test_support::run_one_path(document, {99});
    const auto on_time = test_support::run_one_path(late_deal(0, "2026-06-30", "cancel_delivery"), {99});
    EXPECT_EQ(path.draw_refused[0], 1);
    EXPECT_EQ(path.delivery_cancelled[0], 1);
    EXPECT_EQ(path.purchases, 0.0);
    // The lease never pays: neither the months the delivery was late nor any after.
    EXPECT_LT(path.collections, on_time.collections - 0.9 * lease2_payments(plan, 1, plan.collateral.columns - 1));
    EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  }
}

// A year late, the delivery would arrive after the deal's last date: it is cancelled from the start.
TEST(delayed_draw_hand_computed, a_delivery_late_past_the_deal_is_cancelled) {
  const auto path = test_support::run_one_path(late_deal(12, "2026-09-30", "sponsor_funds"), {99});
  EXPECT_EQ(path.delivery_delay[0], 12);
  EXPECT_EQ(path.delivery_cancelled[0], 1);
  EXPECT_EQ(path.draw_refused[0], 1);
  EXPECT_EQ(path.purchases, 0.0);
  for (std::size_t m = 0; m < path.delivery_equity.size(); ++m) EXPECT_EQ(path.delivery_equity[m], 0.0);
  EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
}

// A dated draw of 40,000 in June is made on 2026-07-01, its proceeds paid to the equity, and amortises over 12
// months from there; under a breached maintenance covenant it is refused, and nothing else changes.
TEST(delayed_draw_hand_computed, a_dated_draw_pays_the_equity_and_amortises_from_its_date) {
  auto document = test_support::single_lease_deal();
  document["deal"]["structure"]["tranches"][0]["delayed_draw"] = {
      {"commitment", 1000000.0},
      {"availability_end", "2026-09-30"},
      {"draws", {{{"date", "2026-06-15"}, {"amount", 40000.0}}}}};
  const auto plan = test_support::calibrate_json(document);
  const auto& w = plan.waterfall;
  ASSERT_EQ(w.draws.size(), 1u);
  EXPECT_EQ(w.draws[0].date, 2u);
  EXPECT_EQ(w.draws[0].delivery, calibration::no_delivery);
  const auto path = test_support::run_one_path(document, {99});
  ASSERT_EQ(path.event_of_default, 0u);
  EXPECT_EQ(path.drawn[2], 40000.0);
  EXPECT_EQ(path.draw_proceeds[2], 40000.0);
  EXPECT_EQ(path.purchases, 0.0);
  const double senior[] = {500000.0, 375000.0, 250000.0 + 40000.0, 125000.0 + 30000.0, 0.0};
  for (std::size_t m = 1; m <= w.dates; ++m) {
    SCOPED_TRACE("date " + std::to_string(m));
    EXPECT_NEAR(path.balance_after[m], senior[m], 1e-6);
    EXPECT_NEAR(path.interest_paid[m], senior[m - 1] * 0.08 * year_fraction(plan, m), 1e-6);
  }
  EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  expect_loss_identity(w, path);

  document["deal"]["structure"]["covenants"] = {
      {{"name", "LTV default"},
       {"metric", {{"type", "ltv"}}},
       {"level", 0.1},
       {"consequence", {{"type", "event_of_default"}, {"cure_period_months", 24}}}}};
  const auto refused = test_support::run_one_path(document, {99});
  ASSERT_EQ(refused.event_of_default, 0u);
  EXPECT_EQ(refused.draw_refused[0], 1);
  EXPECT_EQ(refused.drawn[2], 0.0);
  EXPECT_EQ(refused.draw_proceeds[2], 0.0);
  EXPECT_NEAR(refused.balance_after[2], 250000.0, 1e-6);
  EXPECT_NEAR(refused.collections, test_support::cash_paid_out(refused), 1e-9 * refused.collections);
}

}  // namespace computedebt
