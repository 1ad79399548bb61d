// The power price and the PPAs (docs/methodology.md sections 4.9 and 4.12). The log price's Ornstein-Uhlenbeck
// deviation, the hub's and that of a site's own market and of the gas price, is held against its closed forms on
// simulated paths: the log price's mean and variance at several months, its
// autocorrelation between months, the price's mean (the forward), and the shock's correlation with the factor it
// loads on, each within 4 standard errors. On the single-lease deal the power cost and a PPA's settlement are
// computed by hand at a deterministic price, a PPA stops at its counterparty's default, and tranche losses rise
// with the price's volatility when the SPV pays the power and do not move when the customers do.

#include <gtest/gtest.h>

#include <computedebt/io/load.hpp>

#include <computedebt/scenario/gpu_market_sampler.hpp>
#include <computedebt/scenario/power_sampler.hpp>

#include <cmath>
#include <filesystem>
#include <functional>
#include <vector>

#include "test_deals.hpp"

namespace computedebt {
namespace {

constexpr double kappa = 2.0, sigma = 0.8, loading = 0.4;

/// The single-lease deal over two years with a power market: a seasonal shape, a 3% escalator, and the log price
/// reverting at `kappa` with volatility `volatility`, loading `loading` on the factor.
nlohmann::ordered_json power_deal(double volatility = sigma) {
  auto document = test_support::single_lease_deal();
  document["deal"]["structure"]["tranches"][0]["legal_maturity"] = "2028-01-01";
  document["deal"]["structure"]["tranches"][1]["legal_maturity"] = "2028-01-01";
  document["assumptions"]["power_market"] = {
      {"monthly_shape", {1.2, 1.1, 1.0, 0.9, 0.9, 1.0, 1.1, 1.2, 1.0, 0.9, 0.8, 0.9}},
      {"annual_escalator", 0.03},
      {"mean_reversion", kappa},
      {"volatility", volatility},
      {"factor_loadings", {{"market", loading}}}};
  return document;
}

struct Moments {
  double sum = 0.0, squares = 0.0;
  void add(double x) {
    sum += x;
    squares += x * x;
  }
};

}  // namespace

namespace {

/// Which price a closed-form check reads off the sampler: its process, its level, and its path's price and log
/// deviation.
struct PriceUnderTest {
  const calibration::PriceProcess& process;
  double level;  ///< The base price its factors multiply.
  std::function<std::span<const double>(const scenario::PowerSampler&)> price_factor, deviation;
  double kappa, sigma, loading;
};

/// Holds one price against its closed forms on 40,000 paths, and returns each path's month-1 unit shock. `level`
/// overrides the test's base price (the gas price carries its own).
std::vector<double> check_closed_forms(const calibration::Plan& plan, const PriceUnderTest& price_under_test,
                                       double level = 0.0) {
  const auto& process = price_under_test.process;
  EXPECT_TRUE(process.stochastic);
  scenario::GpuMarketSampler market(plan);
  scenario::CreditSampler credit(plan);
  scenario::PowerSampler sampler(plan);
  std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns);
  std::vector<int> default_month(plan.credit.names);
  const std::size_t months[] = {1, 6, 12, 24};
  const std::size_t n = 40000;
  std::vector<Moments> log_price(4), price(4);
  double cross_6_12 = 0.0, shock_factor = 0.0;
  Moments shock, factor;
  std::vector<double> shocks;
  for (std::uint64_t path = 0; path < n; ++path) {
    credit.sample(3, path, default_month);
    market.sample(3, path, credit.normals(), multipliers);
    sampler.sample(3, path, market.factor_increments());
    const auto factor_price = price_under_test.price_factor(sampler);
    for (std::size_t i = 0; i < 4; ++i) {
      const std::size_t k = months[i];
      log_price[i].add(std::log(price_under_test.level * factor_price[k]));
      price[i].add(price_under_test.level * factor_price[k]);
    }
    const auto x = price_under_test.deviation(sampler);
    cross_6_12 += x[6] * x[12];
    // Month 1's unit shock and the factor's unit increment.
    const double e = x[1] / process.step_sd[1], b = market.factor_increments()[0] / std::sqrt(plan.month_lengths[1]);
    shock.add(e);
    factor.add(b);
    shock_factor += e * b;
    shocks.push_back(e);
  }
  const double N = static_cast<double>(n), kappa = price_under_test.kappa, sigma = price_under_test.sigma;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::size_t k = months[i];
    SCOPED_TRACE("month " + std::to_string(k));
    const double v = 2.0 * process.half_variance[k];
    const double forward = (level > 0.0 ? level : price_under_test.level) * process.forward_factor[k];
    // The variance from X_0 = 0 in closed form.
    EXPECT_NEAR(v, sigma * sigma * (1.0 - std::exp(-2.0 * kappa * plan.grid.times[k])) / (2.0 * kappa), 1e-12);
    const double mean = log_price[i].sum / N, variance = log_price[i].squares / N - mean * mean;
    EXPECT_NEAR(mean, std::log(forward) - 0.5 * v, 4.0 * std::sqrt(v / N));
    EXPECT_NEAR(variance, v, 4.0 * v * std::sqrt(2.0 / N));
    const double price_mean = price[i].sum / N, price_sd = std::sqrt(price[i].squares / N - price_mean * price_mean);
    EXPECT_NEAR(price_mean, forward, 4.0 * price_sd / std::sqrt(N));
  }
  // Corr(X_6, X_12) = exp(-kappa (t_12 - t_6)) sqrt(v_6 / v_12).
  const double v6 = 2.0 * process.half_variance[6], v12 = 2.0 * process.half_variance[12];
  const double rho = std::exp(-kappa * (plan.grid.times[12] - plan.grid.times[6])) * std::sqrt(v6 / v12);
  // The estimator divides by the known variances: its standard deviation is sqrt((1 + rho^2) / N).
  EXPECT_NEAR(cross_6_12 / N / std::sqrt(v6 * v12), rho, 4.0 * std::sqrt((1.0 + rho * rho) / N));
  // The shock loads `loading` on the factor: their correlation is the loading.
  const double loading = price_under_test.loading;
  const double correlation =
      (shock_factor / N - shock.sum / N * factor.sum / N) /
      std::sqrt((shock.squares / N - std::pow(shock.sum / N, 2)) * (factor.squares / N - std::pow(factor.sum / N, 2)));
  EXPECT_NEAR(correlation, loading, 4.0 * (1.0 - loading * loading) / std::sqrt(N));
  return shocks;
}

}  // namespace

TEST(power_price_validation, the_log_price_matches_its_closed_forms) {
  const auto plan = test_support::calibrate_json(power_deal());
  ASSERT_TRUE(plan.power.stochastic());
  check_closed_forms(plan, {plan.power.hub(), plan.power.base_price_per_mwh,
                            [](const scenario::PowerSampler& s) { return s.price_factor(); },
                            [](const scenario::PowerSampler& s) { return s.deviation(); }, kappa, sigma, loading});
}

TEST(power_price_validation, a_site_market_and_the_gas_price_match_their_closed_forms_and_leave_the_hub_as_it_was) {
  // The GPUs sit at site "west", which has its own market (kappa 3, sigma 0.6, loading 0.3) and a gas plant burning
  // gas (kappa 1.5, sigma 0.7, loading -0.2).
  constexpr double site_kappa = 3.0, site_sigma = 0.6, site_loading = 0.3;
  constexpr double gas_kappa = 1.5, gas_sigma = 0.7, gas_loading = -0.2;
  auto document = power_deal();
  document["deal"]["sites"] = {
      {{"id", "west"}, {"behind_the_meter", {{"megawatts", 0.1}, {"heat_rate_mmbtu_per_mwh", 8.0}}}}};
  document["deal"]["gpu_types"][0]["site"] = "west";
  document["assumptions"]["site_power_markets"] = {{"west",
                                                    {{"price_per_mwh", 60.0},
                                                     {"mean_reversion", site_kappa},
                                                     {"volatility", site_sigma},
                                                     {"factor_loadings", {{"market", site_loading}}}}}};
  document["assumptions"]["gas_market"] = {{"price_per_mmbtu", 4.0},
                                           {"annual_escalator", 0.02},
                                           {"mean_reversion", gas_kappa},
                                           {"volatility", gas_sigma},
                                           {"factor_loadings", {{"market", gas_loading}}}};
  const auto plan = test_support::calibrate_json(document);
  ASSERT_EQ(plan.power.markets.size(), 2u);
  ASSERT_EQ(plan.power.zones(), 2u);
  EXPECT_EQ(plan.power.zone_market[1], 1u);
  EXPECT_EQ(plan.power.type_zone[0], 1u);
  const auto site_shocks = check_closed_forms(
      plan, {plan.power.markets[1], plan.power.base_price_per_mwh,
             [](const scenario::PowerSampler& s) { return s.market_factor(1); },
             [](const scenario::PowerSampler& s) { return s.deviation(1); }, site_kappa, site_sigma, site_loading});
  // The site's forward is its own level: 60 of the hub's 100.
  EXPECT_NEAR(plan.power.base_price_per_mwh * plan.power.markets[1].forward_factor[5], 60.0, 1e-12);
  // The sampler's gas price carries its level of 4 per MMBtu.
  check_closed_forms(
      plan,
      {plan.power.gas, 1.0, [](const scenario::PowerSampler& s) { return s.gas_price(); },
       [](const scenario::PowerSampler& s) { return s.gas_deviation(); }, gas_kappa, gas_sigma, gas_loading},
      4.0);
  // The hub draws as it did without sites: the same bits on every path; its shocks correlate with the site's only
  // through the factor, loading x loading.
  const auto hub_plan = test_support::calibrate_json(power_deal());
  scenario::GpuMarketSampler market(plan), hub_market(hub_plan);
  scenario::CreditSampler credit(plan), hub_credit(hub_plan);
  scenario::PowerSampler sampler(plan), hub_sampler(hub_plan);
  std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns);
  std::vector<int> default_month(plan.credit.names);
  double cross = 0.0;
  const std::size_t n = site_shocks.size();
  for (std::uint64_t path = 0; path < n; ++path) {
    credit.sample(3, path, default_month);
    market.sample(3, path, credit.normals(), multipliers);
    sampler.sample(3, path, market.factor_increments());
    if (path < 100) {
      hub_credit.sample(3, path, default_month);
      hub_market.sample(3, path, hub_credit.normals(), multipliers);
      hub_sampler.sample(3, path, hub_market.factor_increments());
      const auto a = sampler.price_factor(), b = hub_sampler.price_factor();
      ASSERT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end()));
    }
    cross += sampler.deviation()[1] / plan.power.hub().step_sd[1] * site_shocks[path];
  }
  const double N = static_cast<double>(n), rho = loading * site_loading;
  EXPECT_NEAR(cross / N, rho, 4.0 * std::sqrt((1.0 + rho * rho) / N));
}

TEST(power_price_validation, a_grid_month_across_two_calendar_months_weights_their_shapes_by_its_days) {
  // From 2025-12-31 the first grid month is [Dec 31, Jan 31): one December day (0.9) and thirty January days (1.2).
  auto document = power_deal(0.0);
  document["deal"]["valuation_date"] = "2025-12-31";
  document["deal"]["fleet"][0]["acquired"] = "2025-12-31";
  const auto plan = test_support::calibrate_json(document);
  EXPECT_NEAR(plan.power.hub().forward_factor[1], (0.9 * 1.0 + 1.2 * 30.0) / 31.0, 1e-15);
  // [Jan 31, Feb 28): one January day and 27 February days (1.1), escalated over a month.
  EXPECT_NEAR(plan.power.hub().forward_factor[2], (1.2 + 1.1 * 27.0) / 28.0 * std::pow(1.03, plan.grid.times[1]),
              1e-15);
}

TEST(power_price_validation, a_deterministic_price_and_a_ppa_computed_by_hand) {
  // The lease does not pass power through: 100 GPUs x 1 kW x PUE 1.5 x 24 h a day at 100/MWh x the forward factor.
  auto document = power_deal(0.0);
  const auto without = test_support::run_one_path(document, {99});
  document["deal"]["counterparties"].push_back({{"id", "generator"}});
  document["assumptions"]["credit"]["generator"] = {{"hazard_rate", 0.0}};
  document["deal"]["power_purchase_agreements"] = {{{"id", "PPA"},
                                                    {"counterparty", "generator"},
                                                    {"volume_mwh_per_month", 50.0},
                                                    {"price_per_mwh", 80.0},
                                                    {"start_date", "2026-02-15"},
                                                    {"end_date", "2026-06-01"}}};
  const auto plan = test_support::calibrate_json(document);
  const auto with = test_support::run_one_path(document, {99, 99});
  // By hand: the shape of each month escalated at 3% a year from t0; February from the 15th (14 of 28 days).
  const double shape[] = {1.2, 1.1, 1.0, 0.9, 0.9};
  double settlement = 0.0, energy = 0.0;
  for (std::size_t k = 1; k <= 5; ++k) {
    const double forward = 100.0 * shape[k - 1] * std::pow(1.03, plan.grid.times[k - 1]);
    const double days = (k == 1 || k == 3 || k == 5) ? 31.0 : (k == 2 ? 28.0 : 30.0);
    const double share = k == 1 ? 0.0 : (k == 2 ? 14.0 / 28.0 : 1.0);
    settlement += 50.0 * share * (80.0 - forward);
    if (k <= 3) energy += 100.0 * 1.5 * 24.0 * days / 1000.0 * forward;
  }
  double first_quarter = 0.0;
  for (std::size_t m = 1; m <= 1; ++m) first_quarter += without.energy_cost[m];
  EXPECT_NEAR(first_quarter, energy, 1e-6);
  double total_with = 0.0, total_without = 0.0;
  for (double x : with.energy_cost) total_with += x;
  for (double x : without.energy_cost) total_without += x;
  EXPECT_NEAR(total_with - total_without, settlement, 1e-6);
  EXPECT_NEAR(with.collections, test_support::cash_paid_out(with), 1e-9 * with.collections);
  // The generator defaults in March (month 3): the PPA settles January and February only.
  const auto defaulted = test_support::run_one_path(document, {99, 3});
  double total_defaulted = 0.0;
  for (double x : defaulted.energy_cost) total_defaulted += x;
  const double february = 50.0 * 0.5 * (80.0 - 100.0 * 1.1 * std::pow(1.03, plan.grid.times[1]));
  EXPECT_NEAR(total_defaulted - total_without, february, 1e-6);
}

TEST(power_price_validation, losses_rise_with_volatility_when_the_spv_pays_the_power_and_not_when_customers_do) {
  std::vector<double> junior_loss;
  for (const double volatility : {0.0, 0.6, 1.5}) {
    auto document = io::read_json_file(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
    for (auto& contract : document["deal"]["contracts"]) contract["power_pass_through"] = false;
    document["assumptions"]["power_market"] = {{"mean_reversion", 1.0}, {"volatility", volatility}};
    const auto priced = test_support::priced_document(test_support::calibrate_json(document), 8192, 4, 2);
    junior_loss.push_back(priced["tranches"][1]["expected_loss"].get<double>());
  }
  EXPECT_LT(junior_loss[0], junior_loss[1]);
  EXPECT_LT(junior_loss[1], junior_loss[2]);
  // Every lease passes power through and no GPU is re-leased: the SPV buys no power, whatever its price does.
  std::vector<nlohmann::ordered_json> documents;
  for (const double volatility : {0.0, 1.5}) {
    auto document = io::read_json_file(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
    for (auto& contract : document["deal"]["contracts"]) contract["power_pass_through"] = true;
    document["assumptions"]["operations"]["re_lease"]["enabled"] = false;
    document["assumptions"]["power_market"] = {{"mean_reversion", 1.0}, {"volatility", volatility}};
    auto priced = test_support::priced_document(test_support::calibrate_json(document), 4096, 4, 2);
    priced.erase("warnings");
    documents.push_back(priced["tranches"]);
  }
  EXPECT_EQ(documents[0], documents[1]);
}

TEST(power_price_validation, losses_rise_with_volatility_when_capacity_leases_include_power_and_not_when_passed) {
  // Two 60 MW hyperscaler leases at 120/kW-month over the blended fleet; the GPU leases pass power through and no
  // GPU is re-leased, so the capacity leases carry all the power the SPV may buy.
  const auto deal = [](const char* power, double volatility) {
    auto document = io::read_json_file(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
    for (auto& contract : document["deal"]["contracts"]) contract["power_pass_through"] = true;
    document["assumptions"]["operations"]["re_lease"]["enabled"] = false;
    for (const char* tenant : {"hyperscaler_a", "hyperscaler_b"})
      document["deal"]["contracts"].push_back({{"id", std::string("CAP-") + tenant},
                                               {"counterparty", tenant},
                                               {"megawatts", 60.0},
                                               {"price_per_kw_month", 120.0},
                                               {"power", power},
                                               {"start_date", "2026-01-01"},
                                               {"end_date", "2036-01-01"}});
    document["assumptions"]["power_market"] = {{"mean_reversion", 1.0}, {"volatility", volatility}};
    return test_support::calibrate_json(document);
  };
  std::vector<double> junior_loss;
  for (const double volatility : {0.0, 0.6, 1.5}) {
    const auto priced = test_support::priced_document(deal("included", volatility), 8192, 4, 2);
    junior_loss.push_back(priced["tranches"][1]["expected_loss"].get<double>());
  }
  EXPECT_LT(junior_loss[0], junior_loss[1]);
  EXPECT_LT(junior_loss[1], junior_loss[2]);
  auto calm = test_support::priced_document(deal("pass_through", 0.0), 4096, 4, 2);
  auto wild = test_support::priced_document(deal("pass_through", 1.5), 4096, 4, 2);
  EXPECT_EQ(calm["tranches"], wild["tranches"]);
}

}  // namespace computedebt
