// Invariants of the cash-flow waterfall on the blended example deal: cash is conserved on every path, seniority
// holds on every path, and tranche losses move the right way with correlation, default probabilities, GPU
// volatility and guarantees (at a fixed seed, so with common random numbers).

#include <gtest/gtest.h>

#include <computedebt/engine/simulate.hpp>
#include <computedebt/scenario/credit_sampler.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>
#include <computedebt/waterfall/cash_waterfall.hpp>

#include <filesystem>
#include <fstream>

#include "test_deals.hpp"

namespace computedebt {
namespace {

nlohmann::ordered_json blended_document() {
  std::ifstream in(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
  return nlohmann::ordered_json::parse(in);
}

/// The blended deal with a thin equity, so that the senior tranche loses on enough paths to compare.
nlohmann::ordered_json thin_equity() {
  auto document = blended_document();
  double capex = 0;
  for (const auto& cohort : document["deal"]["fleet"]) {
    for (const auto& type : document["deal"]["gpu_types"])
      if (type["id"] == cohort["gpu_type"])
        capex += cohort["count"].get<double>() * type["purchase_price"].get<double>();
  }
  auto& structure = document["deal"]["structure"];
  structure["tranches"][0]["notional"] = 0.80 * capex;
  structure["tranches"][1]["notional"] = 0.12 * capex;
  structure["equity"]["investment"] = 0.08 * capex;
  return document;
}

pricing::Results price(const nlohmann::ordered_json& document, std::uint64_t paths = 20000) {
  engine::SimulationConfig config;
  config.paths = paths;
  config.seed = 11;
  return engine::simulate(test_support::calibrate_json(document), config);
}

TEST(waterfall_invariants, cash_is_conserved_and_seniority_holds_on_every_path) {
  const auto plan = test_support::calibrate_json(thin_equity());
  scenario::CreditSampler credit(plan);
  scenario::GpuMarketSampler market(plan);
  cashflow::CollateralCash collateral(plan);
  waterfall::CashWaterfall waterfall(plan.waterfall);
  std::vector<int> default_month(plan.credit.names);
  std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns);
  int junior_losses = 0;
  for (std::uint64_t path = 0; path < 4000; ++path) {
    credit.sample(3, path, default_month);
    market.sample(3, path, credit.normals(), multipliers);
    collateral.start_path(default_month, credit.defaulted(), multipliers);
    const auto& outcome = waterfall.run(collateral);
    ASSERT_NEAR(outcome.collections, test_support::cash_paid_out(outcome), 1e-9 * outcome.collections)
        << "path " << path;
    // Fractions of notional left unpaid: the junior never loses less than the senior.
    const double senior = outcome.balance[0] / plan.waterfall.notional[0];
    const double junior = outcome.balance[1] / plan.waterfall.notional[1];
    ASSERT_GE(junior, senior) << "path " << path;
    junior_losses += junior > 0;
  }
  EXPECT_GT(junior_losses, 0);  // the deal is thin enough for the test to bite
}

TEST(waterfall_invariants, senior_loss_rises_with_correlation_default_probabilities_and_gpu_volatility) {
  const auto base_document = thin_equity();
  const double base = price(base_document).tranches[0].expected_loss;
  ASSERT_GT(base, 0.0);

  auto correlated = base_document;
  for (auto& [sector, entry] : correlated["assumptions"]["sectors"].items())
    for (auto& [factor, loading] : entry["factor_loadings"].items()) loading = loading.get<double>() * 1.4;
  EXPECT_GT(price(correlated).tranches[0].expected_loss, base);

  auto riskier = base_document;
  for (auto& [sector, entry] : riskier["assumptions"]["sectors"].items()) entry["pd_multiplier"] = 2.0;
  EXPECT_GT(price(riskier).tranches[0].expected_loss, base);

  auto volatile_market = base_document;
  for (auto& [type, entry] : volatile_market["assumptions"]["gpu_market"].items())
    entry["volatility"] = entry["volatility"].get<double>() * 1.5;
  EXPECT_GT(price(volatile_market).tranches[0].expected_loss, base);
}

TEST(waterfall_invariants, guarantees_lower_losses) {
  auto unguaranteed = thin_equity();
  auto guaranteed = unguaranteed;
  for (auto& contract : unguaranteed["deal"]["contracts"]) contract.erase("guarantee");
  for (auto& contract : guaranteed["deal"]["contracts"])
    if (contract["counterparty"].get<std::string>().starts_with("startup"))
      contract["guarantee"] = {{"guarantor", "hyperscaler_a"}};
  const auto with = price(guaranteed), without = price(unguaranteed);
  EXPECT_LT(with.portfolio.expected_loss, without.portfolio.expected_loss);
  for (std::size_t t = 0; t < with.tranches.size(); ++t)
    EXPECT_LT(with.tranches[t].expected_loss, without.tranches[t].expected_loss) << with.tranches[t].name;
  EXPECT_GT(with.waterfall->equity.irr_mean, without.waterfall->equity.irr_mean);
}

}  // namespace
}  // namespace computedebt
