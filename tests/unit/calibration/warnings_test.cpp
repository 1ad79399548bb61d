// Plausible mistakes are warned about, each at its JSON path, and a deal without any has no warning.
#include <gtest/gtest.h>
#include <computedebt/calibration/warnings.hpp>

#include "test_deals.hpp"

using namespace computedebt;

namespace {

std::vector<std::string> warning_paths(const nlohmann::ordered_json& document) {
  std::vector<std::string> paths;
  for (const auto& warning : test_support::calibrate_json(document).warnings) {
    EXPECT_FALSE(warning.message.empty());
    paths.push_back(warning.path);
  }
  return paths;
}

TEST(warnings, covenants_breached_at_the_start_warn_at_their_level) {
  // The same LTV of 0.7 and DSCR of about 1.28 against covenants, after a trigger so that the paths count it.
  auto document = test_support::single_lease_deal();
  auto& structure = document["deal"]["structure"];
  structure["triggers"] = {{"ltv_cash_sweep", 0.75}};
  structure["covenants"] = {{{"name", "LTV"},
                             {"metric", {{"type", "ltv"}}},
                             {"level", 0.65},
                             {"consequence", {{"type", "block_distributions"}}}},
                            {{"name", "DSCR"},
                             {"metric", {{"type", "dscr"}}},
                             {"level", {{"initial", 1.3}, {"steps", {{{"from", "2026-03-01"}, {"level", 1.2}}}}}},
                             {"consequence", {{"type", "event_of_default"}}}}};
  // The DSCR covenant's level is 1.2 on the first date (2026-04-01): it passes.
  EXPECT_EQ(warning_paths(document), std::vector<std::string>{"deal.structure.covenants[0].level"});
  structure["covenants"][1]["level"] = 1.3;
  EXPECT_EQ(warning_paths(document),
            (std::vector<std::string>{"deal.structure.covenants[0].level", "deal.structure.covenants[1].level"}));
}

TEST(warnings, every_account_counts_as_a_use_of_the_capital) {
  auto document = test_support::single_lease_deal();
  document["deal"]["structure"]["accounts"] = {{{"name", "DSRA"},
                                                {"type", "reserve"},
                                                {"target", {{"type", "fixed"}, {"amount", 0.0}}},
                                                {"initial_balance", 30000.0}}};
  EXPECT_EQ(warning_paths(document), std::vector<std::string>{"deal.structure"});
  document["deal"]["structure"]["equity"]["investment"] = 330000.0;
  EXPECT_TRUE(warning_paths(document).empty());
}

}  // namespace

TEST(warnings, a_consistent_deal_has_none) {
  // Capital 1,000,000 against a fleet of 1,000,000 and a reserve of 5,000: within 1%.
  EXPECT_TRUE(warning_paths(test_support::single_lease_deal()).empty());
  EXPECT_TRUE(warning_paths(test_support::homogeneous_pool(10, 0.05, 0.2, 0.4, {{0.0, 1.0}})).empty());
}

TEST(warnings, capital_that_does_not_match_the_fleet_and_reserve) {
  auto document = test_support::single_lease_deal();
  document["deal"]["structure"]["equity"]["investment"] = 330000.0;  // 3.5% more than the uses
  EXPECT_EQ(warning_paths(document), std::vector<std::string>{"deal.structure"});
  document["deal"]["structure"]["equity"]["investment"] = 310000.0;  // 0.5% more: within 1%
  EXPECT_TRUE(warning_paths(document).empty());
}

TEST(warnings, an_initial_ltv_above_the_trigger) {
  // Notionals 700,000 over a fleet worth 1,000,000 at t0: LTV 0.7.
  auto document = test_support::single_lease_deal();
  document["deal"]["structure"]["triggers"] = {{"ltv_cash_sweep", 0.65}};
  EXPECT_EQ(warning_paths(document), std::vector<std::string>{"deal.structure.triggers.ltv_cash_sweep"});
  document["deal"]["structure"]["triggers"] = {{"ltv_cash_sweep", 0.75}};
  EXPECT_TRUE(warning_paths(document).empty());
}

TEST(warnings, a_first_dscr_below_the_trigger) {
  // First quarter: 216,000 of rent less 32,400 of power, 3,000 of opex and about 990 of fees, over 125,000 of
  // senior principal and about 15,800 of interest: DSCR about 1.28.
  auto document = test_support::single_lease_deal();
  document["deal"]["structure"]["triggers"] = {{"dscr_cash_sweep", 1.3}};
  EXPECT_EQ(warning_paths(document), std::vector<std::string>{"deal.structure.triggers.dscr_cash_sweep"});
  document["deal"]["structure"]["triggers"] = {{"dscr_cash_sweep", 1.25}};
  EXPECT_TRUE(warning_paths(document).empty());
}

TEST(warnings, a_contract_ending_implausibly_late_warns_at_its_end_date) {
  // Valuation 2026-01-01, the tranches' legal maturity 2027-01-01 (docs/deal_format.md section 14).
  auto document = test_support::single_lease_deal();
  auto& end = document["deal"]["contracts"][0]["end_date"];
  end = "2036-12-31";  // 9.99 years after the legal maturity: not warned
  EXPECT_EQ(warning_paths(document), std::vector<std::string>{});
  end = "2037-01-02";  // past 10 years after the legal maturity
  EXPECT_EQ(warning_paths(document), std::vector<std::string>{"deal.contracts[0].end_date"});
  end = "2125-12-31";  // as good as open-ended: warned once, for the 20 years after the valuation date
  const auto found = test_support::calibrate_json(document).warnings;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].path, "deal.contracts[0].end_date");
  EXPECT_NE(found[0].message.find("ends on 2125-12-31"), std::string::npos) << found[0].message;
  EXPECT_NE(found[0].message.find("after the valuation date 2026-01-01, more than 20 years"), std::string::npos)
      << found[0].message;
}

TEST(warnings, a_loss_tranche_deal_is_warned_about_contracts_beyond_twenty_years) {
  auto document = test_support::homogeneous_pool(3, 0.05, 0.3, 0.4, {{0.0, 1.0}});
  EXPECT_EQ(warning_paths(document), std::vector<std::string>{});  // its contracts end after 10 years
  document["deal"]["contracts"][1]["end_date"] = "2046-01-02";
  EXPECT_EQ(warning_paths(document), std::vector<std::string>{"deal.contracts[1].end_date"});
  document["deal"]["contracts"][1]["end_date"] = "2046-01-01";  // exactly 20 years: not warned
  EXPECT_EQ(warning_paths(document), std::vector<std::string>{});
}

TEST(warnings, delivery_delays_on_a_deal_without_deliveries) {
  auto document = test_support::single_lease_deal();
  document["assumptions"]["delivery_delay"] = {{"delay", {{"months", {0, 3}}, {"probabilities", {0.5, 0.5}}}}};
  EXPECT_EQ(warning_paths(document), std::vector<std::string>{"assumptions.delivery_delay"});
}
