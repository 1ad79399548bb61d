// The standard bumps of `computedebt sensitivities` (docs/methodology.md section 10.3) for rate indices: a deal with
// floating tranches or hedges gets its index quotes shifted in parallel and its Hull-White volatility bumped; a
// fixed-rate deal gets neither.

#include <gtest/gtest.h>

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>
#include <computedebt/structuring/sensitivities.hpp>

#include <algorithm>
#include <filesystem>
#include <span>

using namespace computedebt;

namespace {

const structuring::Bump* find(const std::vector<structuring::Bump>& bumps, const std::string& input) {
  const auto found =
      std::find_if(bumps.begin(), bumps.end(), [&](const structuring::Bump& b) { return b.input == input; });
  return found == bumps.end() ? nullptr : &*found;
}

}  // namespace

TEST(standard_bumps, a_rate_index_in_use_is_shifted_in_parallel_and_its_volatility_bumped) {
  const auto deals = std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS);
  const auto file = io::load_deal(deals / "blended_2026_swapped.json");
  const auto bumps = structuring::standard_bumps(file);
  const auto* shift = find(bumps, "assumptions.rate_indices.SOFR");
  ASSERT_NE(shift, nullptr);
  EXPECT_EQ(shift->kind, structuring::BumpKind::shift);
  EXPECT_EQ(shift->step, 0.001);
  const auto& quotes = file.assumptions.rate_indices.at("SOFR");
  EXPECT_DOUBLE_EQ(shift->up["rate_indices"]["SOFR"]["ois_swaps"]["5Y"].get<double>(),
                   quotes.ois_swaps[4].rate + 0.001);
  EXPECT_DOUBLE_EQ(shift->down["rate_indices"]["SOFR"]["deposits"]["1M"].get<double>(),
                   quotes.deposits[0].rate - 0.001);
  // Both bumped deals load: the patches give valid assumptions.
  for (const auto* patch : {&shift->up, &shift->down}) {
    auto document = io::to_json(file);
    document["assumptions"] = io::apply_scenarios(document["assumptions"], std::span(patch, 1));
    EXPECT_NO_THROW(io::load_deal_json(document));
  }
  const auto* volatility = find(bumps, "assumptions.rate_indices.SOFR.hull_white.volatility");
  ASSERT_NE(volatility, nullptr);
  EXPECT_DOUBLE_EQ(volatility->step, 0.1 * quotes.hull_white->volatility);

  const auto fixed = structuring::standard_bumps(io::load_deal(deals / "blended_2026.json"));
  EXPECT_TRUE(std::none_of(fixed.begin(), fixed.end(),
                           [](const structuring::Bump& b) { return b.input.starts_with("assumptions.rate_indices"); }));
}

TEST(standard_bumps, the_power_volatility_and_the_ppas_volumes_are_bumped) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "blended_power.json");
  const auto bumps = structuring::standard_bumps(file);
  const auto* volatility = find(bumps, "assumptions.power_market.volatility");
  ASSERT_NE(volatility, nullptr);
  EXPECT_DOUBLE_EQ(volatility->step, 0.1 * file.assumptions.power_market->volatility);
  EXPECT_FALSE(volatility->patches_deal);
  const auto* share = find(bumps, "deal.power_purchase_agreements");
  ASSERT_NE(share, nullptr);
  EXPECT_TRUE(share->patches_deal);
  EXPECT_EQ(share->kind, structuring::BumpKind::scale);
  // Every PPA's volume moves by 10%, and the bumped deals load.
  const double volume = file.deal.power_purchases[0].volume_mwh_per_month;
  EXPECT_DOUBLE_EQ(share->up["power_purchase_agreements"][0]["volume_mwh_per_month"].get<double>(), 1.1 * volume);
  EXPECT_DOUBLE_EQ(share->down["power_purchase_agreements"][0]["volume_mwh_per_month"].get<double>(), 0.9 * volume);
  auto document = io::to_json(file);
  document["deal"].merge_patch(share->up);
  EXPECT_DOUBLE_EQ(io::load_deal_json(document).deal.power_purchases[0].volume_mwh_per_month, 1.1 * volume);
}

TEST(standard_bumps, each_site_markets_and_the_gas_prices_volatility_are_bumped_on_their_own) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "two_sites_gas.json");
  const auto bumps = structuring::standard_bumps(file);
  const auto* site = find(bumps, "assumptions.site_power_markets.river_bend.volatility");
  ASSERT_NE(site, nullptr);
  EXPECT_DOUBLE_EQ(site->step, 0.1 * file.assumptions.site_power_markets.at("river_bend").process.volatility);
  const auto* gas = find(bumps, "assumptions.gas_market.volatility");
  ASSERT_NE(gas, nullptr);
  EXPECT_DOUBLE_EQ(gas->step, 0.1 * file.assumptions.gas_market->process.volatility);
  // The bumped assumptions load, and move only the bumped volatility.
  auto document = io::to_json(file);
  document["assumptions"].merge_patch(gas->up);
  const auto bumped = io::load_deal_json(document);
  EXPECT_DOUBLE_EQ(bumped.assumptions.gas_market->process.volatility,
                   1.1 * file.assumptions.gas_market->process.volatility);
  EXPECT_EQ(bumped.assumptions.site_power_markets, file.assumptions.site_power_markets);
}

TEST(sensitivities, the_ppa_bump_prices_the_deal_with_its_volumes_scaled_on_the_same_paths) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "blended_power.json");
  const auto bumps = structuring::standard_bumps(file);
  const auto* share = find(bumps, "deal.power_purchase_agreements");
  ASSERT_NE(share, nullptr);
  engine::SimulationConfig config;
  config.paths = 1024;
  config.seed = 3;
  const auto result = structuring::sensitivities(file, {*share}, config);
  auto document = io::to_json(file);
  document["deal"].merge_patch(share->up);
  const auto up = engine::simulate(calibration::calibrate(io::load_deal_json(document)), config);
  EXPECT_EQ(result.bumps[0].differences[0].up, up.tranches[0].expected_loss);
  // A volume near the loader's minimum bumps by less, so that both bumped deals load.
  auto tiny = io::to_json(file);
  tiny["deal"]["power_purchase_agreements"][0]["volume_mwh_per_month"] = 0.0105;
  const auto tiny_bumps = structuring::standard_bumps(io::load_deal_json(tiny));
  const auto* capped = find(tiny_bumps, "deal.power_purchase_agreements");
  ASSERT_NE(capped, nullptr);
  EXPECT_NEAR(capped->step, 0.999 * (1.0 - 0.01 / 0.0105), 1e-12);
  auto down = tiny;
  down["deal"].merge_patch(capped->down);
  EXPECT_NO_THROW(io::load_deal_json(down));
}
