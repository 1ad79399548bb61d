// Deliveries and delayed draws on Monte Carlo paths (docs/methodology.md section 5.8), on
// tests/data/valid/blended_delayed_draw.json (the blended fleet financed by a delayed-draw term loan in the shape of
// DDTL 2.0): on every path cash is conserved, the facility's balance rolls forward at its coupons from what it lent
// (`sum DF_m X_m + DF_M B_M = N + sum DF_m D_m`), a draw is made or refused, never both, and the results do not depend
// on the number of threads. With random delivery delays, the same hold, and each delivery's mean delay and
// probability of being late match their distribution within 4 standard errors.

#include <gtest/gtest.h>

#include <computedebt/io/load.hpp>

#include <filesystem>

#include "test_deals.hpp"

namespace computedebt {
namespace {

nlohmann::ordered_json draw_deal(const std::string& rule = "sponsor_funds") {
  auto document =
      io::read_json_file(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "blended_delayed_draw.json");
  document["deal"]["structure"]["tranches"][0]["delayed_draw"]["refused_draw"] = rule;
  // Tighter advance rates, so that some paths refuse a draw.
  document["deal"]["structure"]["borrowing_base"]["advance_rates"] = {
      {"investment_grade", 0.45}, {"sub_investment_grade", 0.3}, {"guaranteed", 0.4}, {"gpu", 0.15}};
  return document;
}

/// The deal with random delivery delays: the June delivery 0, 1, 3 or 6 months late, the December one 0, 2, 4 or 8
/// (the last two past the availability period).
nlohmann::ordered_json late_deal(const std::string& rule) {
  auto document = draw_deal(rule);
  document["assumptions"]["delivery_delay"] = {
      {"delay", {{"months", {0, 1, 3, 6}}, {"probabilities", {0.5, 0.25, 0.15, 0.1}}}},
      {"cohorts", {{"B200-2026-12", {{"months", {0, 2, 4, 8}}, {"probabilities", {0.4, 0.3, 0.2, 0.1}}}}}}};
  return document;
}

}  // namespace

TEST(delayed_draw_validation, late_deliveries_conserve_cash_and_the_facility_rolls_forward_from_what_it_lent) {
  for (const std::string rule : {"sponsor_funds", "cancel_delivery"}) {
    SCOPED_TRACE(rule);
    const auto plan = test_support::calibrate_json(late_deal(rule));
    const auto& w = plan.waterfall;
    test_support::MonteCarloPaths paths(plan);
    const std::size_t columns = w.dates + 1;
    int late = 0, refused = 0;
    for (std::uint64_t path = 0; path < 2000; ++path) {
      const auto& outcome = paths.run(11, path);
      double discount = 1.0, value = 0.0, lent = w.notional[0], drawn = 0.0;
      for (std::size_t m = 1; m < columns; ++m) {
        discount /= 1.0 + outcome.coupon[m] * w.accrual[m];
        value += discount * (outcome.interest_paid[m] + outcome.principal_paid[m]);
        lent += discount * outcome.drawn[m];
        drawn += outcome.drawn[m];
      }
      ASSERT_NEAR(value + discount * outcome.balance[0], lent, 1e-6 * lent) << "path " << path;
      // Every draw not refused was made, on whatever date its delivery arrived.
      double made = 0.0;
      for (std::size_t j = 0; j < w.draws.size(); ++j) made += outcome.draw_refused[j] ? 0.0 : w.draws[j].amount;
      ASSERT_NEAR(drawn, made, 1e-6) << "path " << path;
      ASSERT_NEAR(outcome.collections, test_support::cash_paid_out(outcome), 1e-9 * outcome.collections)
          << "path " << path;
      late += outcome.delivery_delay[1] > 0;
      refused += outcome.draw_refused[1];
    }
    EXPECT_GT(late, 1000);
    // The December delivery is past availability on 30% of paths: its draw is refused at least that often.
    EXPECT_GT(refused, 500);
  }
}

TEST(delayed_draw_validation, delivery_delays_match_their_distribution) {
  const auto plan = test_support::calibrate_json(late_deal("sponsor_funds"));
  const auto document = test_support::priced_document(plan, 20000, 5, 2);
  const double mean_delay[] = {0.25 + 0.45 + 0.6, 0.6 + 0.8 + 0.8}, late[] = {0.5, 0.6};
  for (std::size_t d = 0; d < 2; ++d) {
    SCOPED_TRACE("delivery " + std::to_string(d));
    const auto& delivery = document["deliveries"][d];
    EXPECT_NEAR(delivery["expected_delay_months"].get<double>(), mean_delay[d],
                4.0 * delivery["expected_delay_months_stderr"].get<double>());
    EXPECT_NEAR(delivery["late_probability"].get<double>(), late[d],
                4.0 * delivery["late_probability_stderr"].get<double>());
  }
  EXPECT_EQ(document, test_support::priced_document(plan, 20000, 5, 1));
}

TEST(delayed_draw_validation, cash_is_conserved_and_the_facility_rolls_forward_from_what_it_lent) {
  for (const std::string rule : {"sponsor_funds", "cancel_delivery"}) {
    SCOPED_TRACE(rule);
    const auto plan = test_support::calibrate_json(draw_deal(rule));
    const auto& w = plan.waterfall;
    ASSERT_EQ(w.draws.size(), 2u);
    test_support::MonteCarloPaths paths(plan);
    const std::size_t columns = w.dates + 1;
    int refused = 0, cancelled = 0;
    for (std::uint64_t path = 0; path < 2000; ++path) {
      const auto& outcome = paths.run(11, path);
      double discount = 1.0, value = 0.0, lent = w.notional[0];
      for (std::size_t m = 1; m < columns; ++m) {
        discount /= 1.0 + outcome.coupon[m] * w.accrual[m];
        value += discount * (outcome.interest_paid[m] + outcome.principal_paid[m]);
        lent += discount * outcome.drawn[m];
      }
      ASSERT_NEAR(value + discount * outcome.balance[0], lent, 1e-6 * lent) << "path " << path;
      for (std::size_t j = 0; j < w.draws.size(); ++j) {
        const bool made = outcome.drawn[w.draws[j].date] > 0.0;
        ASSERT_NE(made, outcome.draw_refused[j] != 0) << "path " << path << ", draw " << j;
        refused += outcome.draw_refused[j];
        cancelled += outcome.delivery_cancelled[w.draws[j].delivery];
      }
      ASSERT_NEAR(outcome.collections, test_support::cash_paid_out(outcome), 1e-9 * outcome.collections)
          << "path " << path;
    }
    EXPECT_GT(refused, 20) << "the tighter base refuses some draws";
    if (rule == "cancel_delivery")
      EXPECT_GE(cancelled, refused) << "every refused draw cancels its delivery";
    else
      EXPECT_LT(cancelled, refused) << "the sponsor funds most refused deliveries";
  }
}

TEST(delayed_draw_validation, a_delivery_lease_is_eligible_from_its_funding_date_and_the_fee_ends_at_maturity) {
  const auto plan = test_support::calibrate_json(draw_deal());
  const auto& w = plan.waterfall;
  const auto& base = *w.borrowing_base;
  const std::size_t columns = w.dates + 1;
  for (std::size_t d = 0; d < w.delivery_date.size(); ++d) {
    const std::size_t c = plan.collateral.tied[plan.collateral.tied_start[d]];
    for (std::size_t m = 0; m < w.delivery_date[d]; ++m) EXPECT_EQ(base.eligible_value[c * columns + m], 0.0);
    EXPECT_GT(base.eligible_value[c * columns + w.delivery_date[d]], 0.0);
  }
  EXPECT_LE(w.availability_date[0], w.maturity_date[0]);
}

TEST(delayed_draw_validation, results_are_the_same_whatever_the_threads) {
  const auto plan = test_support::calibrate_json(draw_deal("cancel_delivery"));
  const auto one = test_support::priced_document(plan, 6000, 9, 1);
  EXPECT_EQ(one, test_support::priced_document(plan, 6000, 9, 3));
  EXPECT_GT(one["tranches"][0]["delayed_draw"]["refusal_probability"].get<double>(), 0.01);
  EXPECT_GT(one["deliveries"][1]["cancel_probability"].get<double>(), 0.01);
}

}  // namespace computedebt
