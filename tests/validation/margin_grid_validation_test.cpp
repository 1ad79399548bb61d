// Margin grids on Monte Carlo paths (docs/methodology.md section 5.5), on tests/data/valid/blended_margin_grid.json
// with a thin equity: on every path the coupons the waterfall records are the ones it charged (each tranche's
// balance rolls forward at them: sum_m DF_m X_m + DF_M B_M = notional), cash is conserved, and the results do not
// depend on the number of threads.

#include <gtest/gtest.h>

#include <computedebt/io/load.hpp>

#include <filesystem>
#include <set>

#include "test_deals.hpp"

namespace computedebt {
namespace {

nlohmann::ordered_json thin_grid_deal() {
  auto document =
      io::read_json_file(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "blended_margin_grid.json");
  auto& structure = document["deal"]["structure"];
  const double capital = structure["tranches"][0]["notional"].get<double>() +
                         structure["tranches"][1]["notional"].get<double>() +
                         structure["equity"]["investment"].get<double>();
  structure["tranches"][0]["notional"] = 0.75 * capital;
  structure["tranches"][1]["notional"] = 0.15 * capital;
  structure["equity"]["investment"] = 0.10 * capital;
  return document;
}

}  // namespace

TEST(margin_grid_validation, each_balance_rolls_forward_at_the_recorded_coupons_and_cash_is_conserved) {
  const auto plan = test_support::calibrate_json(thin_grid_deal());
  const auto& w = plan.waterfall;
  ASSERT_EQ(w.margin_grids.size(), 2u);
  test_support::MonteCarloPaths paths(plan);
  const std::size_t columns = w.dates + 1;
  std::set<double> senior_coupons;
  int senior_losses = 0;
  for (std::uint64_t path = 0; path < 3000; ++path) {
    const auto& outcome = paths.run(5, path);
    for (std::size_t t = 0; t < w.tranches; ++t) {
      double discount = 1.0, value = 0.0;
      for (std::size_t m = 1; m < columns; ++m) {
        discount /= 1.0 + outcome.coupon[t * columns + m] * w.accrual[m];
        value += discount * (outcome.interest_paid[t * columns + m] + outcome.principal_paid[t * columns + m]);
        if (t == 0 && m < 8) senior_coupons.insert(outcome.coupon[m]);
      }
      ASSERT_NEAR(value + discount * outcome.balance[t], w.notional[t], 1e-6 * w.notional[t])
          << "path " << path << ", tranche " << t;
    }
    senior_losses += outcome.balance[0] > 0.01;
    ASSERT_NEAR(outcome.collections, test_support::cash_paid_out(outcome), 1e-9 * outcome.collections)
        << "path " << path;
  }
  // The grid moves: the senior's early coupons take several margins across paths, and some paths lose.
  EXPECT_GE(senior_coupons.size(), 3u);
  EXPECT_GT(senior_losses, 0);
}

TEST(margin_grid_validation, results_are_the_same_whatever_the_threads) {
  const auto plan = test_support::calibrate_json(thin_grid_deal());
  EXPECT_EQ(test_support::priced_document(plan, 6000, 9, 1), test_support::priced_document(plan, 6000, 9, 3));
}

}  // namespace computedebt
