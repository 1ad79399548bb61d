// Sites and behind-the-meter generation (docs/methodology.md section 4.12). On the single-lease deal, with its GPUs
// at a site of their own, the first quarter's power bill is computed by hand: the site's own forward price, a gas
// plant dispatched on economics or run regardless, and a PPA settled at the site's price. The month-by-month path
// taken once GPUs are sold gives the same bill as the all-months-at-once path. A two-site deal prices the same on
// one thread and two, and conserves cash on paths with defaults.

#include <gtest/gtest.h>

#include <computedebt/io/load.hpp>

#include <cmath>
#include <filesystem>
#include <vector>

#include "test_deals.hpp"

namespace computedebt {
namespace {

/// The single-lease deal with its 100 GPUs (100 kW, PUE 1.5) at site "west": its own market at 60/MWh escalating
/// 3% a year, a 100 kW gas plant available 90% of hours at heat rate 8 plus 3/MWh of O&M, and gas at `gas` per MMBtu
/// escalating 2% a year.
nlohmann::ordered_json west_deal(double gas, const char* dispatch) {
  auto document = test_support::single_lease_deal();
  document["deal"]["sites"] = {{{"id", "west"},
                                {"behind_the_meter",
                                 {{"megawatts", 0.1},
                                  {"heat_rate_mmbtu_per_mwh", 8.0},
                                  {"variable_om_per_mwh", 3.0},
                                  {"availability", 0.9},
                                  {"dispatch", dispatch}}}}};
  document["deal"]["gpu_types"][0]["site"] = "west";
  document["assumptions"]["site_power_markets"] = {
      {"west", {{"price_per_mwh", 60.0}, {"annual_escalator", 0.03}, {"volatility", 0.5}}}};
  document["assumptions"]["gas_market"] = {{"price_per_mmbtu", gas}, {"annual_escalator", 0.02}, {"volatility", 0.5}};
  return document;
}

/// The first quarter's power bill by hand, at the forward prices.
double first_quarter_by_hand(const calibration::Plan& plan, double gas, bool must_run, double ppa_volume = 0.0,
                             double ppa_price = 0.0) {
  const double days[] = {31.0, 28.0, 31.0};
  double bill = 0.0;
  for (std::size_t k = 1; k <= 3; ++k) {
    const double grid = 60.0 * std::pow(1.03, plan.grid.times[k - 1]);
    const double generation = 8.0 * gas * std::pow(1.02, plan.grid.times[k - 1]) + 3.0;
    const double load = 100.0 * 1.0 * 1.5 * 24.0 * days[k - 1] / 1000.0;  // MWh
    const double output = std::min(load, 0.1 * 0.9 * 24.0 * days[k - 1]);
    const double runs = must_run || generation < grid ? output : 0.0;
    bill += load * grid + runs * (generation - grid) + ppa_volume * (ppa_price - grid);
  }
  return bill;
}

}  // namespace

TEST(site_generation_hand_computed, the_first_quarter_at_a_site_with_a_gas_plant) {
  for (const double gas : {4.0, 10.0})
    for (const char* dispatch : {"economic", "must_run"}) {
      SCOPED_TRACE(std::string(dispatch) + " at gas " + std::to_string(gas));
      const auto document = west_deal(gas, dispatch);
      const auto plan = test_support::calibrate_json(document);
      const auto path = test_support::run_one_path(document, {99});
      EXPECT_NEAR(path.energy_cost[1], first_quarter_by_hand(plan, gas, std::string(dispatch) == "must_run"), 1e-6);
    }
  // Gas at 4 costs 8 x 4 + 3 = 35 a MWh against the grid's 60: the plant runs and saves; at 10 it costs 83, and
  // running it regardless costs more than the grid.
  const auto plan = test_support::calibrate_json(west_deal(4.0, "economic"));
  const double grid_only = first_quarter_by_hand(plan, 1000.0, false);
  EXPECT_LT(first_quarter_by_hand(plan, 4.0, false), grid_only);
  EXPECT_EQ(first_quarter_by_hand(plan, 10.0, false), grid_only);
  EXPECT_GT(first_quarter_by_hand(plan, 10.0, true), grid_only);
}

TEST(site_generation_hand_computed, a_ppa_at_the_site_settles_against_the_sites_price) {
  auto document = west_deal(4.0, "economic");
  document["deal"]["counterparties"].push_back({{"id", "generator"}});
  document["assumptions"]["credit"]["generator"] = {{"hazard_rate", 0.0}};
  document["deal"]["power_purchase_agreements"] = {{{"id", "PPA"},
                                                    {"counterparty", "generator"},
                                                    {"volume_mwh_per_month", 50.0},
                                                    {"price_per_mwh", 55.0},
                                                    {"start_date", "2026-01-01"},
                                                    {"end_date", "2026-04-01"},
                                                    {"site", "west"}}};
  const auto plan = test_support::calibrate_json(document);
  const auto path = test_support::run_one_path(document, {99, 99});
  EXPECT_NEAR(path.energy_cost[1], first_quarter_by_hand(plan, 4.0, false, 50.0, 55.0), 1e-6);
}

TEST(site_generation_hand_computed, months_run_one_by_one_bill_the_same_power_as_months_run_at_once) {
  // A liquidation from month 1 runs month by month from its lag on; until the lease ends no GPU is sold, so every
  // month's power is that of the plain path.
  const auto document = west_deal(4.0, "economic");
  const auto plan = test_support::calibrate_json(document);
  const std::vector<int> default_month{99};
  const std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns, 1.0);
  cashflow::CollateralCash plain(plan), liquidating(plan);
  plain.start_path(default_month, {}, multipliers);
  liquidating.start_path(default_month, {}, multipliers);
  liquidating.start_liquidation(1);
  for (int k = 1; k <= 9; ++k) {
    const auto a = plain.month(k, false), b = liquidating.month(k, true);
    EXPECT_NEAR(a.energy, b.energy, 1e-9 * std::abs(a.energy)) << "month " << k;
    EXPECT_NEAR(a.costs, b.costs, 1e-9 * std::abs(a.costs)) << "month " << k;
  }
}

TEST(site_generation_hand_computed, a_two_site_deal_is_thread_identical_and_conserves_cash) {
  const auto document =
      io::read_json_file(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "two_sites_gas.json");
  const auto plan = test_support::calibrate_json(document);
  EXPECT_EQ(plan.power.zones(), 3u);
  EXPECT_TRUE(plan.power.has_generation());
  EXPECT_EQ(test_support::priced_document(plan, 2000, 3, 1), test_support::priced_document(plan, 2000, 3, 2));
  const std::size_t names = plan.credit.names;
  for (const int month : {99, 30, 8}) {
    std::vector<int> defaults(names, 99);
    for (std::size_t i = 0; i < names; i += 2) defaults[i] = month;
    const auto path = test_support::run_one_path(document, defaults);
    EXPECT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
  }
}

}  // namespace computedebt
