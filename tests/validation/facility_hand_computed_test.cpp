// Data-centre facilities (docs/methodology.md section 4.11), computed by hand on the single-lease deal with a
// 10 MW campus: its vacant load re-leased at the capacity market's price after the lag, its fixed costs, its value at
// depreciated cost or on a cap rate, its sale in a liquidation once vacant and at the end with its haircut; cash
// conservation on whole waterfall paths; and the capacity market's multiplier against its closed forms.

#include <gtest/gtest.h>

#include <computedebt/io/load.hpp>
#include <computedebt/scenario/capacity_market_sampler.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <vector>

#include "test_deals.hpp"

namespace computedebt {
namespace {

/// The single-lease deal and a 10 MW campus commissioned on 2025-01-01 at 8m per MW, depreciated over 20 years to
/// 20%, costing 5,000 per MW-month, sold at a 30% haircut; `tenant` leases 6 MW of it at 120/kW-month over 2026,
/// power included at a 0.5 load factor. The capacity market: 100/kW-month rising 2% a year, vacant load re-leased
/// after 3 months at 90% utilisation and a 10% discount.
nlohmann::ordered_json campus_deal(const nlohmann::ordered_json& value = {{"type", "depreciation"},
                                                                          {"useful_life_years", 20},
                                                                          {"residual_fraction", 0.2}}) {
  auto document = test_support::single_lease_deal();
  auto& deal = document["deal"];
  deal["counterparties"].push_back({{"id", "tenant"}});
  document["assumptions"]["credit"]["tenant"] = {{"hazard_rate", 0.0}};
  deal["facilities"] = {{{"id", "campus"},
                         {"megawatts", 10.0},
                         {"commissioned", "2025-01-01"},
                         {"build_cost_per_mw", 8e6},
                         {"opex_per_mw_month", 5000.0},
                         {"value", value},
                         {"liquidation_haircut", 0.3}}};
  deal["contracts"].push_back({{"id", "hall"},
                               {"counterparty", "tenant"},
                               {"megawatts", 6.0},
                               {"price_per_kw_month", 120.0},
                               {"power", "included"},
                               {"load_factor", 0.5},
                               {"facility", "campus"},
                               {"start_date", "2026-01-01"},
                               {"end_date", "2027-01-01"}});
  document["assumptions"]["capacity_market"] = {
      {"price_per_kw_month", 100.0},
      {"annual_change", 0.02},
      {"re_lease", {{"lag_months", 3}, {"utilisation", 0.9}, {"discount_to_market", 0.1}}}};
  return document;
}

/// The collateral's cash and value month by month (`test_support::collateral_months`).
test_support::CollateralMonths run(const nlohmann::ordered_json& document, const std::vector<int>& defaults,
                                   int liquidate_at = 0) {
  return test_support::collateral_months(document, defaults, liquidate_at);
}

/// The campus's own cash and value in month `k` (calendar month `k` of 2026), by hand.
struct ByHand {
  double revenue = 0.0, costs = 0.0, value = 0.0;
};

ByHand by_hand(const calibration::Plan& plan, int k, int default_month, double cap_rate = 0.0) {
  const bool performing = k < default_month;
  const double charges = performing ? 6000.0 * 120.0 : 0.0;
  const double days = static_cast<double>(
      days_between(plan.grid.dates[static_cast<std::size_t>(k - 1)], plan.grid.dates[static_cast<std::size_t>(k)]));
  const double power = performing ? 6000.0 * 0.5 * 1.5 * 24.0 * days * 0.1 : 0.0;  // 100/MWh, PUE 1.5
  // 4 MW vacant from the start; the tenant's 6 MW idle for three months from its default, then re-leased.
  const double idle = (!performing && k < default_month + 3) ? 6.0 : 0.0;
  const double vacant = 10.0 - (performing ? 6.0 : 0.0) - idle;
  const double market = 1000.0 * 100.0 * std::pow(1.02, plan.grid.times[static_cast<std::size_t>(k - 1)]);
  ByHand campus;
  campus.revenue = charges + vacant * market * 0.9 * 0.9;
  campus.costs = power + 10.0 * 5000.0;
  const double age = static_cast<double>(days_between(Date{std::chrono::year{2025} / 1 / 1},
                                                      plan.grid.dates[static_cast<std::size_t>(k)])) /
                     365.25;
  campus.value = cap_rate > 0.0 ? 12.0 * (campus.revenue - campus.costs) / cap_rate
                                : 10.0 * 8e6 * std::max(0.2, 1.0 - 0.8 * age / 20.0);
  return campus;
}

nlohmann::ordered_json without_campus() { return test_support::single_lease_deal(); }

/// A sample's mean and variance with their standard errors (the variance's for a normal sample).
struct Moments {
  double n = 0.0, sum = 0.0, squares = 0.0;
  void add(double x) {
    n += 1.0;
    sum += x;
    squares += x * x;
  }
  double mean() const { return sum / n; }
  double variance() const { return (squares - sum * sum / n) / (n - 1.0); }
  double standard_error() const { return std::sqrt(variance() / n); }
  double variance_standard_error() const { return variance() * std::sqrt(2.0 / (n - 1.0)); }
};

}  // namespace

TEST(facility_hand_computed, vacant_load_re_leases_at_the_market_and_the_campus_depreciates) {
  const auto document = campus_deal();
  const auto plan = test_support::calibrate_json(document);
  const auto base = run(without_campus(), {99});
  for (const int default_month : {99, 4}) {
    const auto with = run(document, {99, default_month});
    for (int k = 1; k <= 12; ++k) {
      SCOPED_TRACE(::testing::Message() << "default " << default_month << ", month " << k);
      const auto m = static_cast<std::size_t>(k);
      const auto campus = by_hand(plan, k, default_month);
      EXPECT_NEAR(with.cash[m].revenue - base.cash[m].revenue, campus.revenue, 1e-6);
      EXPECT_NEAR(with.cash[m].costs - base.cash[m].costs, campus.costs, 1e-6);
      EXPECT_NEAR(with.value[m] - base.value[m], campus.value, 1e-6);
    }
    // Sold with the fleet at t_K, after a 30% haircut.
    EXPECT_NEAR(with.cash[12].sales - base.cash[12].sales, 0.7 * by_hand(plan, 12, default_month).value, 1e-6);
  }
}

TEST(facility_hand_computed, on_a_cap_rate_the_campus_is_worth_its_annualised_net_operating_income) {
  const auto document = campus_deal({{"type", "cap_rate"}, {"cap_rate", 0.08}});
  const auto plan = test_support::calibrate_json(document);
  const auto base = run(without_campus(), {99});
  const auto with = run(document, {99, 6});
  for (int k = 1; k <= 12; ++k) {
    SCOPED_TRACE(k);
    const auto m = static_cast<std::size_t>(k);
    EXPECT_NEAR(with.value[m] - base.value[m], by_hand(plan, k, 6, 0.08).value, 1e-6);
  }
}

TEST(facility_hand_computed, a_liquidation_sells_the_campus_once_no_performing_lease_holds_load_in_it) {
  const auto document = campus_deal();
  const auto plan = test_support::calibrate_json(document);
  const auto base = run(without_campus(), {99}, 3);
  // The tenant performs: the campus is kept to the end.
  const auto kept = run(document, {99, 99}, 3);
  for (int k = 1; k < 12; ++k) EXPECT_NEAR(kept.cash[static_cast<std::size_t>(k)].sales, base.cash[k].sales, 1e-6);
  EXPECT_NEAR(kept.cash[12].sales - base.cash[12].sales, 0.7 * by_hand(plan, 12, 99).value, 1e-6);
  // The tenant defaulted in month 2: a liquidation from month 3 sells the campus after its 3-month lag, in month 6;
  // from then it earns and costs nothing.
  const auto sold = run(document, {99, 2}, 3);
  EXPECT_NEAR(sold.cash[6].sales - base.cash[6].sales, 0.7 * by_hand(plan, 6, 2).value, 1e-6);
  for (int k = 7; k <= 12; ++k) {
    SCOPED_TRACE(k);
    const auto m = static_cast<std::size_t>(k);
    EXPECT_NEAR(sold.cash[m].revenue, base.cash[m].revenue, 1e-6);
    EXPECT_NEAR(sold.cash[m].costs, base.cash[m].costs, 1e-6);
    EXPECT_NEAR(sold.cash[m].sales, base.cash[m].sales, 1e-6);
  }
}

TEST(facility_hand_computed, the_value_at_t0_counts_the_campus_and_a_borrowing_base_does_not_count_a_lease_twice) {
  // At depreciated cost a year after commissioning: 80m x (1 - 0.8 x 365 / 365.25 / 20).
  auto document = campus_deal();
  const double campus = 80e6 * (1.0 - 0.8 * (365.0 / 365.25) / 20.0);
  auto plan = test_support::calibrate_json(document);
  EXPECT_NEAR(plan.initial_collateral_value() - plan.gpu.initial_fleet_value(), campus, 1e-6);
  // On a cap rate, with a borrowing base advancing on it: the hall's lease is in the campus's value, so it is not
  // eligible as a contract too.
  document = campus_deal({{"type", "cap_rate"}, {"cap_rate", 0.08}});
  document["deal"]["structure"]["borrowing_base"] = {
      {"advance_rates", {{"sub_investment_grade", 0.5}, {"gpu", 0.3}, {"facilities", 0.4}}}};
  plan = test_support::calibrate_json(document);
  const auto& base = *plan.waterfall.borrowing_base;
  // January at t0: the hall's charges less its power, the vacant 4 MW re-leased, less the fixed costs.
  const auto january = by_hand(plan, 1, 99, 0.08);
  EXPECT_NEAR(base.initial.facilities, january.value, 1e-6);
  document["deal"]["structure"]["borrowing_base"]["advance_rates"]["facilities"] = 0.0;
  const auto without = test_support::calibrate_json(document);
  EXPECT_GT(without.waterfall.borrowing_base->initial.sub_investment_grade, base.initial.sub_investment_grade);
}

TEST(facility_hand_computed, a_facility_is_sold_in_a_liquidation_only_once_commissioned) {
  // Commissioned in July 2026: the tenant's lease starts then. It defaults in month 2, before the start, and a
  // liquidation from month 3 would sell the vacant campus from month 6: it waits for July (month 7), when it is worth
  // its cost depreciated over its first 31 days.
  auto document = campus_deal();
  document["deal"]["facilities"][0]["commissioned"] = "2026-07-01";
  document["deal"]["contracts"][1]["start_date"] = "2026-07-01";
  const auto base = run(without_campus(), {99}, 3);
  const auto with = run(document, {99, 2}, 3);
  for (std::size_t k = 1; k <= 12; ++k) {
    SCOPED_TRACE(k);
    const double sale = k == 7 ? 0.7 * 80e6 * (1.0 - 0.8 * (31.0 / 365.25) / 20.0) : 0.0;
    EXPECT_NEAR(with.cash[k].sales - base.cash[k].sales, sale, 1e-6);
  }
}

TEST(facility_hand_computed, a_waterfall_path_with_a_campus_conserves_cash) {
  const auto document = campus_deal();
  for (const std::vector<int> defaults : {std::vector<int>{99, 99}, {99, 4}, {5, 2}}) {
    const auto path = test_support::run_one_path(document, defaults);
    EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  }
}

TEST(facility_hand_computed, a_stochastic_campus_prices_the_same_on_any_number_of_threads) {
  auto document = campus_deal({{"type", "cap_rate"}, {"cap_rate", 0.075}});
  document["assumptions"]["credit"]["tenant"] = {{"hazard_rate", 0.05}};
  document["assumptions"]["capacity_market"]["volatility"] = 0.3;
  document["assumptions"]["capacity_market"]["factor_loadings"] = {{"market", 0.4}};
  const auto plan = test_support::calibrate_json(document);
  EXPECT_EQ(test_support::priced_document(plan, 3000, 5, 1), test_support::priced_document(plan, 3000, 5, 2));
}

TEST(facility_hand_computed, a_powered_shell_without_gpus_prices_conserves_cash_and_is_thread_identical) {
  const auto document =
      io::read_json_file(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "powered_shell.json");
  const auto plan = test_support::calibrate_json(document);
  EXPECT_EQ(plan.gpu.types, 0u);
  EXPECT_EQ(test_support::priced_document(plan, 2000, 3, 1), test_support::priced_document(plan, 2000, 3, 2));
  for (const std::vector<int> defaults : {std::vector<int>{99, 99}, {20, 99}, {5, 30}}) {
    const auto path = test_support::run_one_path(document, defaults);
    EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  }
}

TEST(facility_hand_computed, the_capacity_market_multiplier_matches_its_closed_forms) {
  // sigma 0.3, loading 0.5 on the single factor: ln C(t_k) is normal with mean -sigma^2 t_k / 2 and variance
  // sigma^2 t_k, so E[C] = 1; the month's shock correlates 0.5 with the factor's increment.
  constexpr double sigma = 0.3, loading = 0.5;
  auto document = campus_deal();
  document["deal"]["structure"]["tranches"][0]["legal_maturity"] = "2029-01-01";
  document["deal"]["structure"]["tranches"][1]["legal_maturity"] = "2029-01-01";
  document["assumptions"]["capacity_market"]["volatility"] = sigma;
  document["assumptions"]["capacity_market"]["factor_loadings"] = {{"market", loading}};
  const auto plan = test_support::calibrate_json(document);
  scenario::CreditSampler credit(plan);
  scenario::GpuMarketSampler market(plan);
  scenario::CapacityMarketSampler capacity(plan);
  std::vector<int> default_month(plan.credit.names);
  std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns);
  constexpr int paths = 20000;
  const std::size_t months[] = {1, 12, 36};
  Moments log_c[3], c[3], shock_factor;
  for (int path = 0; path < paths; ++path) {
    credit.sample(7, static_cast<std::uint64_t>(path), default_month);
    market.sample(7, static_cast<std::uint64_t>(path), credit.normals(), multipliers);
    capacity.sample(7, static_cast<std::uint64_t>(path), market.factor_increments());
    const auto m = capacity.multipliers();
    for (int i = 0; i < 3; ++i) {
      log_c[i].add(std::log(m[months[i]]));
      c[i].add(m[months[i]]);
    }
    // Month 1's shock and the factor's first increment, each scaled to unit variance.
    const double dt = plan.month_lengths[1];
    const double z = std::log(m[1]) + plan.facilities.half_variance[1];
    shock_factor.add((z / (sigma * std::sqrt(dt))) * (market.factor_increments()[0] / std::sqrt(dt)));
  }
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(months[i]);
    const double t = plan.grid.times[months[i]];
    EXPECT_NEAR(log_c[i].mean(), -0.5 * sigma * sigma * t, 4.0 * log_c[i].standard_error());
    EXPECT_NEAR(log_c[i].variance(), sigma * sigma * t, 4.0 * log_c[i].variance_standard_error());
    EXPECT_NEAR(c[i].mean(), 1.0, 4.0 * c[i].standard_error());
  }
  EXPECT_NEAR(shock_factor.mean(), loading, 4.0 * shock_factor.standard_error());
}

}  // namespace computedebt
