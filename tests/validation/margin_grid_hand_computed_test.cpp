// Margin grids computed by hand (docs/methodology.md section 5.5): on the single-lease deal with notes floating
// over SOFR, the senior's margin steps down an LTV grid as the notes amortise, and across an investment-grade-share
// grid and a rating-factor grid when a counterparty defaults. The test reads each date's metric on its own (LTV from
// the path, contract values from the plan), picks the level, and checks every coupon and interest payment.

#include <gtest/gtest.h>

#include <computedebt/calibration/calibrate.hpp>

#include <algorithm>
#include <chrono>
#include <set>

#include "test_deals.hpp"

namespace computedebt {
namespace {

/// The single-lease deal, the senior floating at SOFR + `grid` (its own margin 500 bp when no level holds).
nlohmann::ordered_json grid_deal(const nlohmann::ordered_json& grid, double senior, double junior, double equity) {
  auto document = test_support::single_lease_deal();
  auto& structure = document["deal"]["structure"];
  auto& tranches = structure["tranches"];
  tranches[0]["notional"] = senior;
  tranches[0].erase("coupon");
  tranches[0]["floating"] = {{"index", "SOFR"}, {"margin_bp", 500}, {"floor", 0.025}, {"margin_grid", grid}};
  tranches[1]["notional"] = junior;
  structure["equity"]["investment"] = equity;
  document["assumptions"]["rate_indices"] = {
      {"SOFR", {{"deposits", {{"3M", 0.02}}}, {"ois_swaps", {{"6M", 0.03}, {"9M", 0.04}, {"1Y", 0.05}}}}}};
  return document;
}

/// The deal with the lease split: 60 GPUs to `hyper` (AA), 40 to `startup` (B), both rated.
nlohmann::ordered_json split_lease(nlohmann::ordered_json document) {
  auto& deal = document["deal"];
  deal["counterparties"] = {{{"id", "hyper"}, {"rating", "AA"}}, {{"id", "startup"}, {"rating", "B"}}};
  auto lease = deal["contracts"][0];
  lease["gpu_count"] = 60;
  auto second = lease;
  second["id"] = "lease 2";
  second["counterparty"] = "startup";
  second["gpu_count"] = 40;
  deal["contracts"] = {lease, second};
  document["assumptions"]["credit"]["startup"] = {{"hazard_rate", 0.0}};
  return document;
}

struct Level {
  double threshold, margin;
};

/// The grid's margin at a metric value: the first level that holds, else 500 bp.
double margin_at(const std::vector<Level>& levels, bool at_most, double value) {
  for (const auto& level : levels)
    if (at_most ? value <= level.threshold : value >= level.threshold) return level.margin;
  return 0.05;
}

/// Checks every senior coupon and interest payment of `path` against the margins `margins[m]` of periods 1..4, and
/// returns the distinct margins seen.
std::set<double> check_senior(const calibration::Plan& plan, const waterfall::WaterfallPath& path,
                              const std::vector<double>& margins, double senior_notional) {
  const auto& index = plan.rates.indices.at(0);
  double balance = senior_notional;
  std::set<double> seen;
  for (std::size_t m = 1; m <= 4; ++m) {
    const auto start = plan.grid.dates[3 * (m - 1)], end = plan.grid.dates[3 * m];
    const double alpha =
        static_cast<double>((std::chrono::sys_days(end) - std::chrono::sys_days(start)).count()) / 365.0;
    const double forward = (index.discount[3 * (m - 1)] / index.discount[3 * m] - 1.0) / alpha;
    const double coupon = margins[m] + std::max(0.025, forward);
    SCOPED_TRACE("date " + std::to_string(m) + ", margin " + std::to_string(margins[m]));
    EXPECT_NEAR(path.coupon[m], coupon, 1e-15);
    EXPECT_NEAR(path.interest_paid[m], balance * coupon * alpha, 0.005);
    balance = path.balance_after[m];
    seen.insert(margins[m]);
  }
  return seen;
}

}  // namespace

TEST(margin_grid_hand_computed, the_margin_steps_down_an_ltv_grid_as_the_notes_amortise) {
  const std::vector<Level> levels{{0.6, 0.02}, {0.69, 0.03}};
  const nlohmann::ordered_json grid = {
      {"metric", {{"type", "ltv"}}},
      {"levels", {{{"at_most", 0.6}, {"margin_bp", 200}}, {{"at_most", 0.69}, {"margin_bp", 300}}}}};
  const auto document = grid_deal(grid, 500000.0, 200000.0, 300000.0);
  const auto plan = test_support::calibrate_json(document);
  const auto path = test_support::run_one_path(document, {99});
  ASSERT_EQ(path.event_of_default, 0u);
  // At t0: 700,000 of notes over 100 GPUs worth 10,000 each.
  std::vector<double> margins{0.0, margin_at(levels, true, 0.7)};
  // Each later period's margin is read from the LTV after the date before's payments.
  for (std::size_t m = 1; m < 4; ++m) margins.push_back(margin_at(levels, true, path.ltv[m]));
  const auto seen = check_senior(plan, path, margins, 500000.0);
  EXPECT_EQ(seen, (std::set<double>{0.02, 0.03, 0.05})) << "every level and the tranche's own margin are used";
}

TEST(margin_grid_hand_computed, an_investment_grade_default_moves_the_margin_up_the_grid) {
  const std::vector<Level> levels{{0.9, 0.02}, {0.5, 0.03}};
  const nlohmann::ordered_json grid = {
      {"metric", {{"type", "investment_grade_share"}}},
      {"levels", {{{"at_least", 0.9}, {"margin_bp", 200}}, {{"at_least", 0.5}, {"margin_bp", 300}}}}};
  const auto document = split_lease(grid_deal(grid, 100000.0, 50000.0, 850000.0));
  const auto plan = test_support::calibrate_json(document);
  const auto& w = plan.waterfall;
  // The hyperscaler defaults in month 5, between the first and second dates.
  const auto path = test_support::run_one_path(document, {5, 99});
  ASSERT_EQ(path.event_of_default, 0u);
  const auto share = [&](std::size_t m, bool hyper_performing) {
    const double hyper = hyper_performing ? w.contract_value[0 * (w.dates + 1) + m] : 0.0;
    return hyper / (hyper + w.contract_value[1 * (w.dates + 1) + m]);
  };
  std::vector<double> margins{0.0, margin_at(levels, false, share(0, true)), margin_at(levels, false, share(1, true))};
  for (std::size_t m = 2; m < 4; ++m) margins.push_back(margin_at(levels, false, share(m, false)));
  EXPECT_NEAR(share(0, true), 0.6, 0.01);
  const auto seen = check_senior(plan, path, margins, 100000.0);
  EXPECT_EQ(seen, (std::set<double>{0.03, 0.05}));
}

TEST(margin_grid_hand_computed, a_sub_investment_grade_default_lifts_the_rating_factor_to_the_best_level) {
  const std::vector<Level> levels{{180.0, 0.02}, {2000.0, 0.03}};
  const nlohmann::ordered_json grid = {
      {"metric", {{"type", "weighted_average_rating_factor"}}},
      {"levels", {{{"at_least_rating", "A-"}, {"margin_bp", 200}}, {{"at_most", 2000}, {"margin_bp", 300}}}}};
  const auto document = split_lease(grid_deal(grid, 100000.0, 50000.0, 850000.0));
  const auto plan = test_support::calibrate_json(document);
  const auto& w = plan.waterfall;
  // The start-up defaults in month 5; AA's factor is 20 and B's 2720.
  const auto path = test_support::run_one_path(document, {99, 5});
  ASSERT_EQ(path.event_of_default, 0u);
  const auto factor = [&](std::size_t m, bool startup_performing) {
    const double hyper = w.contract_value[m], startup = startup_performing ? w.contract_value[w.dates + 1 + m] : 0.0;
    return (20.0 * hyper + 2720.0 * startup) / (hyper + startup);
  };
  std::vector<double> margins{0.0, margin_at(levels, true, factor(0, true)), margin_at(levels, true, factor(1, true))};
  for (std::size_t m = 2; m < 4; ++m) margins.push_back(margin_at(levels, true, factor(m, false)));
  EXPECT_NEAR(factor(0, true), 0.6 * 20.0 + 0.4 * 2720.0, 20.0);
  const auto seen = check_senior(plan, path, margins, 100000.0);
  EXPECT_EQ(seen, (std::set<double>{0.02, 0.03}));
}

TEST(margin_grid_hand_computed, a_grid_whose_levels_all_repeat_the_margin_prices_as_the_plain_tranche) {
  const nlohmann::ordered_json grid = {{"metric", {{"type", "ltv"}}},
                                       {"levels", {{{"at_most", 0.6}, {"margin_bp", 500}}}}};
  auto plain = grid_deal(grid, 500000.0, 200000.0, 300000.0);
  plain["deal"]["structure"]["tranches"][0]["floating"].erase("margin_grid");
  const auto with_grid = test_support::run_one_path(grid_deal(grid, 500000.0, 200000.0, 300000.0), {99});
  const auto without = test_support::run_one_path(plain, {99});
  EXPECT_EQ(with_grid.coupon, without.coupon);
  EXPECT_EQ(with_grid.interest_paid, without.interest_paid);
  EXPECT_EQ(with_grid.equity, without.equity);
}

}  // namespace computedebt
