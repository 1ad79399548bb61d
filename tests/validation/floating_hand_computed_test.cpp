// A floating-rate waterfall computed by hand to the cent (docs/methodology.md sections 5.5 and 5.6): the single-lease
// deal, its notes floating on a rising SOFR curve so that the senior's floor binds early and the junior's cap late,
// its senior swapped to fixed. On a path without defaults every coupon, interest payment and swap payment is the
// test's own arithmetic on the curve's discount factors, and the swap's payments reach the equity exactly.

#include <gtest/gtest.h>

#include <computedebt/calibration/calibrate.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "test_deals.hpp"

namespace computedebt {
namespace {

/// The single-lease deal with small floating notes (everything is paid on time) and, when `swapped`, a swap paying
/// 4% on the senior's scheduled balance.
nlohmann::ordered_json floating_deal(bool swapped) {
  auto document = test_support::single_lease_deal();
  auto& structure = document["deal"]["structure"];
  auto& tranches = structure["tranches"];
  tranches[0]["notional"] = 100000.0;
  tranches[0].erase("coupon");
  tranches[0]["floating"] = {{"index", "SOFR"}, {"margin_bp", 300}, {"floor", 0.025}};
  tranches[1]["notional"] = 50000.0;
  tranches[1].erase("coupon");
  tranches[1]["floating"] = {{"index", "SOFR"}, {"margin_bp", 500}, {"cap", 0.05}};
  structure["equity"]["investment"] = 850000.0;
  document["assumptions"]["rate_indices"] = {
      {"SOFR", {{"deposits", {{"3M", 0.02}}}, {"ois_swaps", {{"6M", 0.03}, {"9M", 0.04}, {"1Y", 0.05}}}}}};
  if (swapped)
    structure["hedges"] = {{{"name", "swap"},
                            {"type", "swap"},
                            {"index", "SOFR"},
                            {"counterparty", "hyper"},
                            {"fixed_rate", 0.04},
                            {"notional", {{"tranche", "Senior"}}},
                            {"end_date", "2027-01-01"}}};
  return document;
}

}  // namespace

TEST(floating_hand_computed, coupons_interest_and_swap_payments_to_the_cent) {
  const auto plan = test_support::calibrate_json(floating_deal(true));
  const auto& index = plan.rates.indices.at(0);
  const auto& w = plan.waterfall;
  ASSERT_EQ(w.dates, 4u);
  const auto hedged = test_support::run_one_path(floating_deal(true), {99});
  const auto plain = test_support::run_one_path(floating_deal(false), {99});
  ASSERT_EQ(hedged.event_of_default, 0u);
  const double margin[] = {0.03, 0.05};
  double senior = 100000.0, junior = 50000.0;
  bool floor_bound = false, cap_bound = false;
  for (std::size_t m = 1; m <= 4; ++m) {
    // The period's forward on the curve, on its Act/365F accrual.
    const auto start = plan.grid.dates[3 * (m - 1)], end = plan.grid.dates[3 * m];
    const double alpha =
        static_cast<double>((std::chrono::sys_days(end) - std::chrono::sys_days(start)).count()) / 365.0;
    const double forward = (index.discount[3 * (m - 1)] / index.discount[3 * m] - 1.0) / alpha;
    const double senior_coupon = margin[0] + std::max(0.025, forward);
    const double junior_coupon = margin[1] + std::min(0.05, forward);
    floor_bound = floor_bound || forward < 0.025;
    cap_bound = cap_bound || forward > 0.05;
    SCOPED_TRACE("date " + std::to_string(m) + ", forward " + std::to_string(forward));
    EXPECT_NEAR(hedged.interest_paid[5 * 0 + m], senior * senior_coupon * alpha, 0.005);
    EXPECT_NEAR(hedged.interest_paid[5 * 1 + m], junior * junior_coupon * alpha, 0.005);
    // The swap pays 4% fixed on the senior's scheduled balance against the forward.
    const double swap = senior * alpha * (forward - 0.04);
    EXPECT_NEAR(hedged.hedge_flow[m], swap, 0.005);
    // Netting: with cash to spare, the equity gets exactly the swap's net payment more (or less).
    EXPECT_NEAR(hedged.equity[m] - plain.equity[m], swap, 0.005);
    senior -= 25000.0;  // Level amortisation over 12 months.
  }
  EXPECT_TRUE(floor_bound) << "the senior's floor binds on some date";
  EXPECT_TRUE(cap_bound) << "the junior's cap binds on some date";
  EXPECT_NEAR(hedged.hedge_received - hedged.hedge_paid,
              std::accumulate(hedged.hedge_flow.begin(), hedged.hedge_flow.end(), 0.0), 0.005);
}

}  // namespace computedebt
