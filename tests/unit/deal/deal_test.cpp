#include <gtest/gtest.h>
#include <computedebt/deal/deal.hpp>

using namespace computedebt;
using namespace std::chrono;

namespace {

deal::Contract lease(std::string id, int count, Date start, Date end) {
  deal::Contract contract;
  contract.id = std::move(id);
  contract.counterparty = "c";
  contract.lease = deal::GpuLease{"H100", count, 2.0};
  contract.start_date = start;
  contract.end_date = end;
  return contract;
}

deal::Deal two_overlapping_leases() {
  deal::Deal deal;
  deal.valuation_date = year{2026} / January / 1;
  deal.gpu_types = {{"H100", 27500.0, 0.7}, {"B200", 42500.0, 1.0}};
  deal.contracts = {lease("a", 100, year{2025} / June / 1, year{2027} / January / 1),
                    lease("b", 50, year{2026} / July / 1, year{2028} / January / 1),
                    lease("c", 70, year{2027} / January / 1, year{2029} / January / 1)};
  return deal;
}

}  // namespace

TEST(deal, peak_usage_counts_overlapping_leases_from_the_valuation_date) {
  const auto deal = two_overlapping_leases();
  const auto peak = deal::peak_gpus_under_contract(deal, "H100");
  // a and b overlap from 2026-07-01; a ends the day c starts (end dates are exclusive).
  EXPECT_EQ(peak.gpus, 150);
  EXPECT_EQ(peak.date, Date{year{2026} / July / 1});
  EXPECT_EQ(deal::peak_gpus_under_contract(deal, "B200").gpus, 0);
}

TEST(deal, default_fleet_is_the_peak_under_contract_acquired_at_t0) {
  const auto deal = two_overlapping_leases();
  const auto fleet = deal::effective_fleet(deal);
  ASSERT_EQ(fleet.size(), 1u);
  EXPECT_EQ(fleet[0], (deal::FleetCohort{"H100", 150, deal.valuation_date, {}}));
}

TEST(deal, a_given_fleet_is_used_as_is) {
  auto deal = two_overlapping_leases();
  deal.fleet = std::vector<deal::FleetCohort>{{"H100", 500, year{2025} / May / 1}};
  EXPECT_EQ(deal::effective_fleet(deal), *deal.fleet);
}

TEST(deal, last_payment_month_is_on_or_before_the_legal_maturity) {
  const Date t0 = year{2026} / January / 31;
  EXPECT_EQ(deal::last_payment_month(t0, 3, year{2031} / January / 31), 60);
  EXPECT_EQ(deal::last_payment_month(t0, 3, year{2031} / January / 30), 57);
  EXPECT_EQ(deal::last_payment_month(t0, 1, year{2026} / February / 28), 1);  // clipped grid date
  EXPECT_EQ(deal::last_payment_month(t0, 6, year{2026} / July / 30), 0);
}

TEST(rating, parses_the_scale_and_pools_below_b_minus) {
  EXPECT_EQ(deal::parse_rating("AAA"), deal::Rating::AAA);
  EXPECT_EQ(deal::parse_rating("BBB-"), deal::Rating::BBB_minus);
  for (const char* low : {"CCC/C", "CCC+", "CCC", "CCC-", "CC", "C"})
    EXPECT_EQ(deal::parse_rating(low), deal::Rating::CCC_C);
  for (const char* bad : {"Aaa", "AAA+", "BBB ", "D", "", "bb"}) EXPECT_FALSE(deal::parse_rating(bad)) << bad;
  for (int r = 0; r < deal::rating_count; ++r) {
    const auto rating = static_cast<deal::Rating>(r);
    EXPECT_EQ(deal::parse_rating(deal::to_string(rating)), rating);
  }
  EXPECT_TRUE(deal::is_investment_grade(deal::Rating::BBB_minus));
  EXPECT_FALSE(deal::is_investment_grade(deal::Rating::BB_plus));
}
