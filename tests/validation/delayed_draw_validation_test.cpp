// Deliveries and delayed draws on Monte Carlo paths (docs/methodology.md section 5.8), on
// tests/data/valid/blended_delayed_draw.json (the blended fleet financed by a delayed-draw term loan in the shape of
// DDTL 2.0): on every path cash is conserved, the facility's balance rolls forward at its coupons from what it lent
// (`sum DF_m X_m + DF_M B_M = N + sum DF_m D_m`), a draw is made or refused, never both, and the results do not depend
// on the number of threads.

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

}  // namespace

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
