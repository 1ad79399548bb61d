// Floating-rate tranches and rate indices in the deal file (docs/deal_format.md sections 4.12 and 5.12).

#include <gtest/gtest.h>
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>

#include <filesystem>
#include <functional>

using namespace computedebt;
using nlohmann::ordered_json;

namespace {

ordered_json floating_deal() {
  return io::read_json_file(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "blended_floating.json");
}

std::vector<Problem> problems_of(const std::function<void()>& run) {
  try {
    run();
  } catch (const InputError& error) {
    return error.problems();
  }
  ADD_FAILURE() << "expected an InputError";
  return {};
}

std::vector<std::string> paths_of(const std::vector<Problem>& problems) {
  std::vector<std::string> paths;
  for (const auto& problem : problems) paths.push_back(problem.path);
  return paths;
}

}  // namespace

TEST(read_rates, reads_a_floating_tranche_and_its_index) {
  const auto file = io::load_deal_json(floating_deal());
  const auto& tranche = std::get<deal::Waterfall>(file.deal.structure).tranches[0];
  ASSERT_TRUE(tranche.floating);
  EXPECT_EQ(tranche.floating->index, "SOFR");
  EXPECT_EQ(tranche.floating->margin_bp, 225);
  EXPECT_EQ(tranche.floating->floor, 0.0);
  EXPECT_FALSE(tranche.floating->cap);
  const auto& index = file.assumptions.rate_indices.at("SOFR");
  EXPECT_EQ(index.conventions, assumptions::OvernightIndex::sofr);
  ASSERT_EQ(index.deposits.size(), 2u);
  EXPECT_EQ(index.deposits[1].tenor.months(), 3);
  ASSERT_EQ(index.ois_swaps.size(), 7u);
  EXPECT_EQ(index.ois_swaps.back().tenor.months(), 120);
  EXPECT_FALSE(index.hull_white);
}

TEST(read_rates, saving_and_loading_again_gives_the_same_deal) {
  auto document = floating_deal();
  document["deal"]["structure"]["tranches"][1]["floating"]["cap"] = 0.08;
  document["assumptions"]["rate_indices"]["SOFR"]["hull_white"] = {
      {"mean_reversion", 0.03}, {"volatility", 0.009}, {"factor_loadings", {{"global", -0.2}}}};
  const auto file = io::load_deal_json(document);
  EXPECT_EQ(io::load_deal_json(io::to_json(file)), file);
}

TEST(read_rates, refuses_bad_rates_all_at_once) {
  auto document = floating_deal();
  auto& tranches = document["deal"]["structure"]["tranches"];
  tranches[0]["coupon"] = 0.05;             // Both coupon and floating.
  tranches[1]["floating"]["floor"] = 0.03;  // Cap below floor.
  tranches[1]["floating"]["cap"] = 0.02;
  auto& index = document["assumptions"]["rate_indices"]["SOFR"];
  index["conventions"] = "LIBOR";
  index["deposits"]["1Q"] = 0.03;
  index["hull_white"] = {{"mean_reversion", 0.0}, {"volatility", 0.01}};
  EXPECT_EQ(paths_of(problems_of([&] { io::load_deal_json(document); })),
            (std::vector<std::string>{"deal.structure.tranches[0]", "deal.structure.tranches[1].floating.cap",
                                      "assumptions.rate_indices.SOFR.conventions",
                                      "assumptions.rate_indices.SOFR.deposits.1Q",
                                      "assumptions.rate_indices.SOFR.hull_white.mean_reversion"}));
}

TEST(read_rates, a_tranche_needs_a_coupon_or_a_floating_rate) {
  auto document = floating_deal();
  document["deal"]["structure"]["tranches"][0].erase("floating");
  const auto problems = problems_of([&] { io::load_deal_json(document); });
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "deal.structure.tranches[0].coupon");
  EXPECT_EQ(problems[0].message,
            "required field is missing: give coupon (a fixed rate) or floating (index plus margin)");
}

TEST(read_rates, an_index_must_be_defined_and_quoted_once_per_maturity) {
  auto document = floating_deal();
  document["deal"]["structure"]["tranches"][1]["floating"]["index"] = "EURIBOR";
  const auto problems = problems_of([&] { io::load_deal_json(document); });
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "deal.structure.tranches[1].floating.index");
  EXPECT_EQ(problems[0].message, "rate index \"EURIBOR\" is not defined in assumptions.rate_indices (defined: SOFR)");

  document = floating_deal();
  document["assumptions"]["rate_indices"]["SOFR"]["deposits"]["12M"] = 0.036;  // The 1Y swap's maturity.
  EXPECT_EQ(paths_of(problems_of([&] { io::load_deal_json(document); })),
            std::vector<std::string>{"assumptions.rate_indices.SOFR"});

  document = floating_deal();
  document["assumptions"]["rate_indices"]["SOFR"] = {{"conventions", "SOFR"}};
  EXPECT_EQ(paths_of(problems_of([&] { io::load_deal_json(document); })),
            std::vector<std::string>{"assumptions.rate_indices.SOFR"});
}

TEST(read_rates, quotes_no_curve_fits_are_refused_at_the_index) {
  auto document = floating_deal();
  // A 2-year par rate this far below the 1-year one needs negative discount factors.
  document["assumptions"]["rate_indices"]["SOFR"]["ois_swaps"]["2Y"] = -0.9;
  const auto file = io::load_deal_json(document);
  const auto problems = problems_of([&] { calibration::calibrate(file); });
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "assumptions.rate_indices.SOFR");
  EXPECT_NE(problems[0].message.find("the index curve cannot be bootstrapped"), std::string::npos);
}

TEST(read_rates, reads_hedges_and_refuses_bad_ones_all_at_once) {
  auto document = io::read_json_file(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026_swapped.json");
  const auto file = io::load_deal_json(document);
  const auto& hedges = std::get<deal::Waterfall>(file.deal.structure).hedges;
  ASSERT_EQ(hedges.size(), 2u);
  EXPECT_EQ(hedges[0].kind, deal::HedgeKind::swap);
  EXPECT_EQ(hedges[0].rate, 0.0362);
  EXPECT_EQ(std::get<deal::TrancheNotional>(hedges[0].notional).tranche, "Senior A");
  EXPECT_EQ(hedges[1].kind, deal::HedgeKind::cap);
  EXPECT_EQ(io::load_deal_json(io::to_json(file)), file);

  auto& bad = document["deal"]["structure"]["hedges"];
  bad[0]["notional"] = {{"tranche", "Senior Z"}};
  bad[0]["end_date"] = "2040-01-01";
  bad[1]["counterparty"] = "nobody";
  bad[1]["type"] = "collar";
  bad.push_back({{"name", "Extra"},
                 {"type", "swap"},
                 {"index", "EURIBOR"},
                 {"counterparty", "hedge_bank"},
                 {"fixed_rate", 0.03},
                 {"notional", {{"schedule", ordered_json::array({1e8, 1e8})}}},
                 {"end_date", "2026-02-01"}});
  EXPECT_EQ(paths_of(problems_of([&] { io::load_deal_json(document); })),
            (std::vector<std::string>{"deal.structure.hedges[0].notional.tranche", "deal.structure.hedges[0].end_date",
                                      "deal.structure.hedges[1].type", "deal.structure.hedges[2].end_date",
                                      "deal.structure.hedges[1].counterparty", "deal.structure.hedges[2].index"}));
}

TEST(read_rates, a_priority_of_payments_must_pay_the_hedges) {
  auto document = io::read_json_file(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026_swapped.json");
  auto& structure = document["deal"]["structure"];
  structure["priority_of_payments"] = {{"before_enforcement",
                                        {{{"type", "senior_expenses"}},
                                         {{"type", "interest"}},
                                         {{"type", "reserve"}, {"account", "Debt service reserve"}},
                                         {{"type", "principal"}},
                                         {{"type", "cash_sweep"}},
                                         {{"type", "cash_trap"}, {"account", "Cash trap"}},
                                         {{"type", "step_up_interest"}},
                                         {{"type", "equity"}}}}};
  const auto problems = problems_of([&] { io::load_deal_json(document); });
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems.back().path, "deal.structure.priority_of_payments.before_enforcement");
  EXPECT_EQ(problems.back().message, "expected one hedge and one hedge_termination step for the hedges, found 0 and 0");
}
