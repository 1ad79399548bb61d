#pragma once
// Small deals built in code for tests: a homogeneous pool and a single-lease waterfall.

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/scenario/credit_sampler.hpp>
#include <computedebt/scenario/delivery_delay_sampler.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>
#include <computedebt/waterfall/cash_waterfall.hpp>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

namespace computedebt::test_support {

/// `n` equal names with default probability `pd` at 5 years, one factor with `rho = beta^2`, recovery `r`,
/// each with a notional of 1, and `tranches` as (attachment, detachment) pairs.
inline nlohmann::ordered_json homogeneous_pool(int n, double pd, double rho, double recovery,
                                               const std::vector<std::pair<double, double>>& tranches,
                                               const std::string& copula = "gaussian", double nu = 0.0) {
  nlohmann::ordered_json counterparties = nlohmann::ordered_json::array(), contracts = nlohmann::ordered_json::array(),
                         credit = nlohmann::ordered_json::object(), tranche_list = nlohmann::ordered_json::array();
  for (int i = 0; i < n; ++i) {
    const std::string id = "name_" + std::to_string(i);
    counterparties.push_back({{"id", id}, {"sector", "pool"}});
    contracts.push_back({{"id", "loan_" + std::to_string(i)},
                         {"counterparty", id},
                         {"notional", 1.0},
                         {"start_date", "2026-01-01"},
                         {"end_date", "2036-01-01"}});
    credit[id] = {{"default_probability", pd}, {"horizon_years", 5}};
  }
  for (std::size_t t = 0; t < tranches.size(); ++t)
    tranche_list.push_back(
        {{"name", "t" + std::to_string(t)}, {"attachment", tranches[t].first}, {"detachment", tranches[t].second}});
  nlohmann::ordered_json copula_json{{"type", copula}};
  if (copula == "student_t") copula_json["degrees_of_freedom"] = nu;
  return {{"format_version", 1},
          {"deal",
           {{"name", "pool"},
            {"valuation_date", "2026-01-01"},
            {"counterparties", counterparties},
            {"contracts", contracts},
            {"structure", {{"type", "loss_tranches"}, {"horizon_years", 5}, {"tranches", tranche_list}}}}},
          {"assumptions",
           {{"discount_curve", {{"type", "flat"}, {"rate", 0.04}}},
            {"factors", {{"names", {"market"}}, {"correlation", {{1.0}}}}},
            {"copula", copula_json},
            {"sectors", {{"pool", {{"factor_loadings", {{"market", std::sqrt(rho)}}}, {"recovery_rate", recovery}}}}},
            {"credit", credit}}}};
}

/// Two names on two correlated factors, with a contract each; name "b" may guarantee name "a"'s contract.
inline nlohmann::ordered_json two_names(double pd_a, double pd_b, const std::string& copula, double nu, bool guarantee,
                                        double recovery_a = 0.0, double recovery_b = 0.0) {
  nlohmann::ordered_json contract_a{
      {"id", "ca"}, {"counterparty", "a"}, {"notional", 1.0}, {"start_date", "2026-01-01"}, {"end_date", "2036-01-01"}};
  if (guarantee) contract_a["guarantee"] = {{"guarantor", "b"}};
  nlohmann::ordered_json contracts = nlohmann::ordered_json::array({contract_a});
  if (!guarantee)
    contracts.push_back({{"id", "cb"},
                         {"counterparty", "b"},
                         {"notional", 1.0},
                         {"start_date", "2026-01-01"},
                         {"end_date", "2036-01-01"}});
  nlohmann::ordered_json copula_json{{"type", copula}};
  if (copula == "student_t") copula_json["degrees_of_freedom"] = nu;
  return {{"format_version", 1},
          {"deal",
           {{"name", "pair"},
            {"valuation_date", "2026-01-31"},
            {"counterparties", {{{"id", "a"}}, {{"id", "b"}}}},
            {"contracts", contracts},
            {"structure",
             {{"type", "loss_tranches"},
              {"horizon_years", 5},
              {"tranches", {{{"name", "all"}, {"attachment", 0.0}, {"detachment", 1.0}}}}}}}},
          {"assumptions",
           {{"discount_curve", {{"type", "flat"}, {"rate", 0.03}}},
            {"factors", {{"names", {"f1", "f2"}}, {"correlation", {{1.0, 0.5}, {0.5, 1.0}}}}},
            {"copula", copula_json},
            {"credit",
             {{"a",
               {{"default_probability", pd_a},
                {"horizon_years", 5},
                {"factor_loadings", {{"f1", 0.7}}},
                {"recovery_rate", recovery_a}}},
              {"b",
               {{"default_probability", pd_b},
                {"horizon_years", 5},
                {"factor_loadings", {{"f1", 0.3}, {"f2", 0.6}}},
                {"recovery_rate", recovery_b}}}}}}}};
}

// beta_a' Sigma beta_b for the loadings above.
inline constexpr double pair_correlation = 0.7 * (0.3 + 0.5 * 0.6);

/// 100 GPUs leased to one name that cannot default, from 2026-01-01 to 2026-10-15 without power pass-through,
/// then on the spot market; quarterly payments to a level senior and a bullet junior maturing 2027-01-01.
inline nlohmann::ordered_json single_lease_deal() {
  return {{"format_version", 1},
          {"deal",
           {{"name", "by hand"},
            {"valuation_date", "2026-01-01"},
            {"counterparties", {{{"id", "hyper"}}}},
            {"gpu_types", {{{"id", "G"}, {"purchase_price", 10000.0}, {"power_kw", 1.0}}}},
            {"fleet", {{{"gpu_type", "G"}, {"count", 100}, {"acquired", "2026-01-01"}}}},
            {"contracts",
             {{{"id", "lease"},
               {"counterparty", "hyper"},
               {"gpu_type", "G"},
               {"gpu_count", 100},
               {"price_per_gpu_hour", 1.0},
               {"start_date", "2026-01-01"},
               {"end_date", "2026-10-15"},
               {"power_pass_through", false}}}},
            {"structure",
             {{"type", "waterfall"},
              {"payment_frequency_months", 3},
              {"senior_fees_per_year", 4000.0},
              {"tranches",
               {{{"name", "Senior"},
                 {"notional", 500000.0},
                 {"coupon", 0.08},
                 {"amortization", {{"type", "level"}, {"term_months", 12}}},
                 {"legal_maturity", "2027-01-01"}},
                {{"name", "Junior"},
                 {"notional", 200000.0},
                 {"coupon", 0.12},
                 {"amortization", {{"type", "bullet"}}},
                 {"legal_maturity", "2027-01-01"}}}},
              {"equity", {{"investment", 300000.0}}},
              {"reserve_account", {{"target_months_of_interest", 3}, {"initial_balance", 5000.0}}}}}}},
          {"assumptions",
           {{"discount_curve", {{"type", "flat"}, {"rate", 0.04}}},
            {"factors", {{"names", {"market"}}, {"correlation", {{1.0}}}}},
            {"credit", {{"hyper", {{"hazard_rate", 0.0}}}}},
            {"gpu_market",
             {{"G",
               {{"residual_value", {{"annual_decline", 0.5}}},
                {"rent", {{"initial_per_gpu_hour", 1.5}, {"annual_decline", 0.0}}},
                {"volatility", 0.0}}}}},
            {"operations",
             {{"power_price_per_mwh", 100.0},
              {"pue", 1.5},
              {"fixed_opex_per_gpu_month", 10.0},
              {"re_lease", {{"enabled", true}, {"lag_months", 3}, {"utilisation", 0.5}, {"discount_to_index", 0.2}}},
              {"liquidation", {{"haircut", 0.25}, {"lag_months", 3}}}}}}}};
}

/// Where a path's cash went: costs, fees, step-up interest, the accounts' change, the collection account left,
/// net hedge payments, interest, principal, equity, dated draws' proceeds and deliveries bought, less the equity's
/// cures and delivery funding and the draws. Equals `collections` on every path.
inline double cash_paid_out(const waterfall::WaterfallPath& path) {
  double paid = path.costs + path.fees_paid + path.step_up_paid + path.reserve_change + path.account + path.hedge_paid -
                path.hedge_received;
  for (double x : path.injected) paid -= x;
  for (double x : path.delivery_equity) paid -= x;
  for (double x : path.drawn) paid -= x;
  paid += path.purchases;
  for (double x : path.interest_paid) paid += x;
  for (double x : path.principal_paid) paid += x;
  for (double x : path.equity) paid += x;
  for (double x : path.draw_proceeds) paid += x;
  return paid;
}

/// One Monte Carlo path of a waterfall deal at a time, at projected rates: its credit and GPU market draws, then
/// the collateral started on them, for the waterfall to run (`run`) or a test to run it its own way.
struct MonteCarloPaths {
  explicit MonteCarloPaths(const calibration::Plan& plan)
      : credit(plan),
        market(plan),
        collateral(plan),
        engine(plan.waterfall, plan.rates),
        delays(plan),
        default_month(plan.credit.names),
        multipliers(plan.gpu.types * plan.gpu.columns) {}

  /// Draws path `path` of `seed` and starts the collateral on it.
  void start(std::uint32_t seed, std::uint64_t path) {
    credit.sample(seed, path, default_month);
    market.sample(seed, path, credit.normals(), multipliers);
    collateral.start_path(default_month, credit.defaulted(), multipliers);
    delays.sample(seed, path);
  }

  /// Draws path `path` of `seed` and runs its waterfall.
  const waterfall::WaterfallPath& run(std::uint32_t seed, std::uint64_t path) {
    start(seed, path);
    return engine.run(collateral, {{}, {}, {}, default_month, credit.defaulted(), delays.outcomes()});
  }

  scenario::CreditSampler credit;
  scenario::GpuMarketSampler market;
  cashflow::CollateralCash collateral;
  waterfall::CashWaterfall engine;
  scenario::DeliveryDelaySampler delays;
  std::vector<int> default_month;
  std::vector<double> multipliers;
};

/// The results document of `paths` paths of `plan` at `seed` on `threads` threads, without the run's elapsed time
/// and thread count: what must not depend on the threads.
inline nlohmann::ordered_json priced_document(const calibration::Plan& plan, std::uint64_t paths, std::uint32_t seed,
                                              unsigned threads) {
  engine::SimulationConfig config;
  config.paths = paths;
  config.seed = seed;
  config.threads = threads;
  auto document = pricing::to_json(engine::simulate(plan, config));
  document.erase("elapsed_seconds");
  document.erase("threads");
  return document;
}

/// An example deal of the repository (`examples/deals/NAME`), calibrated.
inline calibration::Plan calibrate_example(const std::string& name) {
  return calibration::calibrate(io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / name));
}

inline calibration::Plan calibrate_json(const nlohmann::ordered_json& document) {
  return calibration::calibrate(io::load_deal_json(document));
}

/// Runs the waterfall of one path of `document` with the given default months (`K + 1` or more: no default),
/// every market multiplier at 1 and every rate index at its projection curve.
inline waterfall::WaterfallPath run_one_path(const nlohmann::ordered_json& document, std::vector<int> default_month) {
  const auto plan = calibrate_json(document);
  std::vector<std::uint32_t> defaulted;
  for (std::uint32_t i = 0; i < default_month.size(); ++i)
    if (default_month[i] <= plan.grid.months()) defaulted.push_back(i);
  const std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns, 1.0);
  cashflow::CollateralCash collateral(plan);
  waterfall::CashWaterfall engine(plan.waterfall, plan.rates);
  collateral.start_path(default_month, defaulted, multipliers);
  // Deliveries are late as path 0 of seed 1 draws them; a single delay per delivery makes that certain.
  scenario::DeliveryDelaySampler delays(plan);
  delays.sample(1, 0);
  return engine.run(collateral, {{}, {}, {}, default_month, {}, delays.outcomes()});
}

/// The collateral's cash and market value month by month on one path of `document` with the given default months
/// (`K + 1` or more: no default), every market multiplier at 1 and the power and capacity markets at their forwards;
/// `liquidate_at` starts a liquidation in that month. Index 0 is unused.
struct CollateralMonths {
  std::vector<cashflow::MonthCash> cash;
  std::vector<double> value;
};

inline CollateralMonths collateral_months(const nlohmann::ordered_json& document, const std::vector<int>& defaults,
                                          int liquidate_at = 0) {
  const auto plan = calibrate_json(document);
  std::vector<std::uint32_t> defaulted;
  for (std::uint32_t i = 0; i < defaults.size(); ++i)
    if (defaults[i] <= plan.grid.months()) defaulted.push_back(i);
  const std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns, 1.0);
  cashflow::CollateralCash collateral(plan);
  collateral.start_path(defaults, defaulted, multipliers);
  CollateralMonths months{{{}}, {0.0}};
  for (int k = 1; k <= plan.grid.months(); ++k) {
    if (k == liquidate_at) collateral.start_liquidation(k);
    months.cash.push_back(collateral.month(k, liquidate_at > 0));
    months.value.push_back(collateral.market_value());
  }
  return months;
}

}  // namespace computedebt::test_support
