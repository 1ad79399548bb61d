// Capacity leases (docs/methodology.md section 4.10), computed by hand on the single-lease deal with a deterministic
// seasonal power price: the kW-month charges with an escalator stepping up mid-month and partial calendar months at
// either end, the power the SPV buys when it is included or billed at cost plus, none when it is passed through,
// and a PPA netted against it; a tenant's default stops its charges and its power and recovers on its claim; a
// loss-tranche deal's exposure is the charges still to come; and the cash of a whole waterfall path is conserved.

#include <gtest/gtest.h>

#include <computedebt/calibration/contract_schedule.hpp>
#include <computedebt/io/load.hpp>

#include <chrono>
#include <cmath>
#include <vector>

#include "test_deals.hpp"

namespace computedebt {
namespace {

const double shape[] = {1.2, 1.1, 1.0, 0.9, 0.9, 1.0, 1.1, 1.2, 1.0, 0.9, 0.8, 0.9};

/// The single-lease deal with a deterministic power market (the shape above, 3% a year) and three capacity tenants:
/// `included` leases 2 MW at 120/kW-month from 2025-03-10 (seasoned: its second year starts on 2026-03-10) to
/// 2026-08-20 at a 0.75 load factor; `cost_plus` 1 MW at 100 from 2026-02-15 to 2027-01-01, billed at cost plus 10%
/// at a 0.8 load factor; `passed` 0.5 MW at 90, passing power through, over the first half of 2026.
nlohmann::ordered_json capacity_deal() {
  auto document = test_support::single_lease_deal();
  document["assumptions"]["power_market"] = {{"monthly_shape", shape}, {"annual_escalator", 0.03}};
  auto& deal = document["deal"];
  for (const char* id : {"tenant_a", "tenant_b", "tenant_c"}) {
    deal["counterparties"].push_back({{"id", id}});
    document["assumptions"]["credit"][id] = {{"hazard_rate", 0.0}, {"recovery_rate", 0.4}};
  }
  deal["contracts"].push_back({{"id", "included"},
                               {"counterparty", "tenant_a"},
                               {"megawatts", 2.0},
                               {"price_per_kw_month", 120.0},
                               {"power", "included"},
                               {"load_factor", 0.75},
                               {"annual_escalator", 0.05},
                               {"start_date", "2025-03-10"},
                               {"end_date", "2026-08-20"}});
  deal["contracts"].push_back({{"id", "cost_plus"},
                               {"counterparty", "tenant_b"},
                               {"megawatts", 1.0},
                               {"price_per_kw_month", 100.0},
                               {"power", "cost_plus"},
                               {"power_margin", 0.1},
                               {"load_factor", 0.8},
                               {"start_date", "2026-02-15"},
                               {"end_date", "2027-01-01"}});
  deal["contracts"].push_back({{"id", "passed"},
                               {"counterparty", "tenant_c"},
                               {"megawatts", 0.5},
                               {"price_per_kw_month", 90.0},
                               {"start_date", "2026-01-01"},
                               {"end_date", "2026-07-01"}});
  return document;
}

/// Days in month `m` (1-12) of 2026.
double days_2026(int m) {
  const std::chrono::year_month_day first{std::chrono::year{2026} / m / 1};
  return static_cast<double>(days_between(first, first + std::chrono::months{1}));
}

/// The forward price per MWh of grid month `k` (calendar month `k` of 2026): 100 x shape x 1.03^t.
double forward(const calibration::Plan& plan, int k) {
  return 100.0 * shape[k - 1] * std::pow(1.03, plan.grid.times[static_cast<std::size_t>(k - 1)]);
}

/// Each tenant's charges, and the power the SPV buys and bills, in grid month `k` of 2026, by hand.
struct Tenants {
  double included = 0.0, cost_plus = 0.0, passed = 0.0;  ///< Charges.
  double power = 0.0, rebill = 0.0;                      ///< Power bought and billed at cost plus.
  double included_power = 0.0, cost_plus_power = 0.0;
};

Tenants by_hand(const calibration::Plan& plan, int k) {
  Tenants t;
  const double days = days_2026(k), price = forward(plan, k) / 1000.0;  // per kWh
  // 2 MW at 120, 5% more from 2026-03-10 (9 days of March at the first year's rate), to 2026-08-20 (19 days).
  const double rate_a = 2000.0 * 120.0;
  if (k <= 2) t.included = rate_a;
  if (k == 3) t.included = rate_a * (9.0 + 1.05 * 22.0) / 31.0;
  if (k >= 4 && k <= 7) t.included = rate_a * 1.05;
  if (k == 8) t.included = rate_a * 1.05 * 19.0 / 31.0;
  const double days_a = k <= 7 ? days : (k == 8 ? 19.0 : 0.0);
  t.included_power = 2000.0 * 0.75 * 1.5 * 24.0 * days_a * price;
  // 1 MW at 100 from 2026-02-15 (14 of 28 February days); its power at cost plus 10%.
  const double days_b = k == 2 ? 14.0 : (k >= 3 ? days : 0.0);
  t.cost_plus = 1000.0 * 100.0 * days_b / days;
  t.cost_plus_power = 1000.0 * 0.8 * 1.5 * 24.0 * days_b * price;
  t.rebill = t.cost_plus_power * 1.1;
  t.power = t.included_power + t.cost_plus_power;
  // 0.5 MW at 90 over January to June; no power.
  if (k <= 6) t.passed = 500.0 * 90.0;
  return t;
}

/// The collateral's cash month by month (`test_support::collateral_months`).
std::vector<cashflow::MonthCash> months(const nlohmann::ordered_json& document, const std::vector<int>& defaults) {
  return test_support::collateral_months(document, defaults).cash;
}

}  // namespace

TEST(capacity_hand_computed, charges_escalate_on_the_anniversary_and_prorate_partial_calendar_months) {
  const auto document = capacity_deal();
  const auto loaded = io::load_deal_json(document);
  const auto& included = loaded.deal.contracts[1];
  // The whole second contract year, March 2026 to March 2027, would be 12 kW-months at the escalated rate; the lease
  // ends on 2026-08-20.
  const Date march_10{std::chrono::year{2026} / 3 / 10}, end{std::chrono::year{2026} / 8 / 20};
  const double second_year = 2000.0 * 120.0 * 1.05 * (22.0 / 31.0 + 4.0 + 19.0 / 31.0);
  EXPECT_NEAR(calibration::promised_payments(included, march_10, end), second_year, 1e-6);
  // A 29 February start steps up on 28 February in a common year: 27 days at the first rate, one at the second.
  auto leap = included;
  leap.start_date = Date{std::chrono::year{2024} / 2 / 29};
  const Date february{std::chrono::year{2025} / 2 / 1}, march{std::chrono::year{2025} / 3 / 1};
  EXPECT_NEAR(calibration::promised_payments(leap, february, march), 2000.0 * 120.0 * (27.0 + 1.05) / 28.0, 1e-6);
  // A grid month from the 15th spans two calendar months: 17 of January's 31 days and 14 of February's 28, all in
  // the second contract year (from 2025-02-28).
  const Date january_15{std::chrono::year{2026} / 1 / 15}, february_15{std::chrono::year{2026} / 2 / 15};
  EXPECT_NEAR(calibration::promised_payments(leap, january_15, february_15),
              2000.0 * 120.0 * 1.05 * (17.0 / 31.0 + 14.0 / 28.0), 1e-6);
  // Additive over any split of the days.
  const Date mid{std::chrono::year{2026} / 5 / 17};
  EXPECT_NEAR(
      calibration::promised_payments(included, march_10, mid) + calibration::promised_payments(included, mid, end),
      second_year, 1e-6);
}

TEST(capacity_hand_computed, the_spv_pays_included_power_bills_cost_plus_and_not_passed_through_power) {
  auto with = capacity_deal();
  with["deal"]["counterparties"].push_back({{"id", "generator"}});
  with["assumptions"]["credit"]["generator"] = {{"hazard_rate", 0.0}};
  // A PPA for 300 MWh a month at 80 from April: it settles against the same price.
  with["deal"]["power_purchase_agreements"] = {{{"id", "PPA"},
                                                {"counterparty", "generator"},
                                                {"volume_mwh_per_month", 300.0},
                                                {"price_per_mwh", 80.0},
                                                {"start_date", "2026-04-01"},
                                                {"end_date", "2026-10-01"}}};
  auto without = test_support::single_lease_deal();
  without["assumptions"]["power_market"] = with["assumptions"]["power_market"];
  const auto plan = test_support::calibrate_json(with);
  const auto base = months(without, {99});
  const auto cash = months(with, {99, 99, 99, 99, 99});
  for (int k = 1; k <= 12; ++k) {
    SCOPED_TRACE(k);
    const auto t = by_hand(plan, k);
    const double ppa = (k >= 4 && k <= 9) ? 300.0 * (80.0 - forward(plan, k)) : 0.0;
    const auto m = static_cast<std::size_t>(k);
    EXPECT_NEAR(cash[m].revenue - base[m].revenue, t.included + t.cost_plus + t.passed + t.rebill, 1e-6);
    EXPECT_NEAR(cash[m].energy - base[m].energy, t.power + ppa, 1e-6);
    EXPECT_NEAR(cash[m].costs - base[m].costs, t.power + ppa, 1e-6);
  }
}

TEST(capacity_hand_computed, a_default_stops_the_charges_and_the_power_and_recovers_on_the_claim) {
  const auto document = capacity_deal();
  const auto plan = test_support::calibrate_json(document);
  const auto performing = months(document, {99, 99, 99, 99});
  // tenant_a (the included lease) defaults in month 4: from April it pays and draws nothing, and nothing is re-leased.
  const auto defaulted = months(document, {99, 4, 99, 99});
  for (int k = 1; k <= 12; ++k) {
    SCOPED_TRACE(k);
    const auto t = by_hand(plan, k);
    const auto m = static_cast<std::size_t>(k);
    const double lost = k >= 4 ? t.included : 0.0, saved = k >= 4 ? t.included_power : 0.0;
    EXPECT_NEAR(performing[m].revenue - defaulted[m].revenue, lost, 1e-6);
    EXPECT_NEAR(performing[m].costs - defaulted[m].costs, saved, 1e-6);
  }
  // The claim: April's charge and the rest, each discounted from its month's end to April's, 40% recovered a year
  // later.
  double claim = 0.0;
  for (std::size_t k = 4; k <= 8; ++k)
    claim += by_hand(plan, static_cast<int>(k)).included * plan.discount_factors[k] / plan.discount_factors[4];
  const auto long_plan = [&] {
    auto longer = document;
    longer["deal"]["structure"]["tranches"][0]["legal_maturity"] = "2028-01-01";
    longer["deal"]["structure"]["tranches"][1]["legal_maturity"] = "2028-01-01";
    return longer;
  }();
  const auto recovered = months(long_plan, {99, 4, 99, 99});
  EXPECT_NEAR(recovered[16].recoveries, 0.4 * claim, 1e-6 * claim);
}

TEST(capacity_hand_computed, a_cost_plus_tenant_stops_its_bill_on_default_and_a_guarantor_pays_the_charges_alone) {
  auto document = capacity_deal();
  const auto plan = test_support::calibrate_json(document);
  const auto performing = months(document, {99, 99, 99, 99});
  // tenant_b (cost plus) defaults in month 5: its charges, power and power bill stop.
  const auto defaulted = months(document, {99, 99, 5, 99});
  // Guaranteed by hyper, which survives: the charges go on, but the tenant draws and is billed no power.
  document["deal"]["contracts"][2]["guarantee"] = {{"guarantor", "hyper"}};
  const auto guaranteed = months(document, {99, 99, 5, 99});
  for (int k = 1; k <= 12; ++k) {
    SCOPED_TRACE(k);
    const auto t = by_hand(plan, k);
    const auto m = static_cast<std::size_t>(k);
    const double bill = k >= 5 ? t.rebill : 0.0, power = k >= 5 ? t.cost_plus_power : 0.0;
    EXPECT_NEAR(performing[m].revenue - defaulted[m].revenue, (k >= 5 ? t.cost_plus : 0.0) + bill, 1e-6);
    EXPECT_NEAR(performing[m].costs - defaulted[m].costs, power, 1e-6);
    EXPECT_NEAR(performing[m].revenue - guaranteed[m].revenue, bill, 1e-6);
    EXPECT_NEAR(performing[m].costs - guaranteed[m].costs, power, 1e-6);
  }
}

TEST(capacity_hand_computed, a_loss_tranche_exposure_is_the_charges_still_to_come) {
  auto document = test_support::homogeneous_pool(1, 0.1, 0.2, 0.4, {{0.0, 1.0}});
  document["deal"]["contracts"][0].erase("notional");
  document["deal"]["contracts"][0]["megawatts"] = 10.0;
  document["deal"]["contracts"][0]["price_per_kw_month"] = 150.0;
  document["deal"]["contracts"][0]["end_date"] = "2026-04-16";
  const auto plan = test_support::calibrate_json(document);
  EXPECT_NEAR(plan.contracts.exposure[0], 10000.0 * 150.0 * (3.0 + 15.0 / 30.0), 1e-6);
  // At a default in March: March and the half of April.
  EXPECT_NEAR(plan.contracts.exposure_at(0, 3), 10000.0 * 150.0 * 1.5, 1e-6);
  EXPECT_EQ(plan.contracts.exposure_at(0, 5), 0.0);
}

TEST(capacity_hand_computed, a_waterfall_path_with_capacity_tenants_conserves_cash) {
  const auto document = capacity_deal();
  for (const std::vector<int> defaults : {std::vector<int>{99, 99, 99, 99}, {99, 4, 2, 7}, {5, 4, 99, 1}}) {
    const auto path = test_support::run_one_path(document, defaults);
    EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  }
}

}  // namespace computedebt
