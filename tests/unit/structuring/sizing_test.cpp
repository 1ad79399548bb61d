// Sizing requests (docs/methodology.md section 10.6): each tranche sized, senior first, to the least its DSCR
// sculpt, LTV limit, borrowing base and target rating allow, on the deal the tranches before it left; the capital stays
// the same.

#include <gtest/gtest.h>

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>
#include <computedebt/structuring/sizing.hpp>

#include <algorithm>
#include <filesystem>

using namespace computedebt;

namespace {

io::DealFile blended() { return io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json"); }

double capital(const io::DealFile& file) {
  const auto& structure = std::get<deal::Waterfall>(file.deal.structure);
  double total = structure.equity.investment;
  for (const auto& t : structure.tranches) total += t.notional;
  return total;
}

engine::SimulationConfig few_paths() {
  engine::SimulationConfig config;
  config.paths = 2048;
  config.seed = 3;
  return config;
}

}  // namespace

TEST(sizing, an_ltv_limit_alone_sizes_to_the_limit_over_the_fleet_at_t0) {
  const auto file = blended();
  const double fleet = calibration::calibrate(file).gpu.initial_fleet_value();
  const auto request =
      structuring::read_sizing_request(nlohmann::json::parse(R"({"tranches": [{"tranche": "Senior A", "max_ltv": 0.5},
                                             {"tranche": "Mezzanine B", "max_ltv": 0.6}]})"));
  const auto result = structuring::size_deal(file, request, few_paths());
  ASSERT_EQ(result.tranches.size(), 2u);
  EXPECT_DOUBLE_EQ(result.tranches[0].notional, 0.5 * fleet);
  EXPECT_EQ(result.tranches[0].binding, "max_ltv");
  // The mezzanine's limit counts the senior before it.
  EXPECT_NEAR(result.tranches[1].notional, 0.6 * fleet - 0.5 * fleet, 1e-6);
  const auto& sized = std::get<deal::Waterfall>(result.deal.deal.structure);
  EXPECT_DOUBLE_EQ(sized.tranches[0].notional, result.tranches[0].notional);
  EXPECT_NEAR(capital(result.deal), capital(file), 1e-3);
  EXPECT_DOUBLE_EQ(sized.equity.investment, result.equity_investment);
}

TEST(sizing, the_borrowing_base_at_t0_caps_the_facility_and_only_the_facility) {
  // The borrowing base of the blended deal covers Senior A alone.
  const auto file =
      io::load_deal(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "blended_borrowing_base.json");
  const double base = calibration::calibrate(file).waterfall.borrowing_base->initial_base;
  auto request = structuring::read_sizing_request(
      nlohmann::json::parse(R"({"tranches": [{"tranche": "Senior A", "borrowing_base": true, "max_ltv": 1.5}]})"));
  auto result = structuring::size_deal(file, request, few_paths());
  ASSERT_EQ(result.tranches.size(), 1u);
  ASSERT_TRUE(result.tranches[0].borrowing_base_notional);
  EXPECT_DOUBLE_EQ(*result.tranches[0].borrowing_base_notional, base);
  EXPECT_DOUBLE_EQ(result.tranches[0].notional, base);
  EXPECT_EQ(result.tranches[0].binding, "borrowing_base");
  EXPECT_LT(base, 1.5 * calibration::calibrate(file).gpu.initial_fleet_value()) << "the base binds before the LTV";
  EXPECT_NEAR(capital(result.deal), capital(file), 1e-3);
  // The sized deal's base at t0 is exactly used up.
  const auto sized = calibration::calibrate(result.deal).waterfall.borrowing_base;
  EXPECT_NEAR(sized->initial_base - sized->initial_balance, 0.0, 1e-6);
  // A tranche outside the facility is refused at its constraint.
  request = structuring::read_sizing_request(
      nlohmann::json::parse(R"({"tranches": [{"tranche": "Mezzanine B", "borrowing_base": true}]})"));
  try {
    structuring::size_deal(file, request, few_paths());
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].path, "tranches[0].borrowing_base");
  }
  // And false is no constraint at all.
  EXPECT_THROW(structuring::read_sizing_request(
                   nlohmann::json::parse(R"({"tranches": [{"tranche": "Senior A", "borrowing_base": false}]})")),
               InputError);
}

TEST(sizing, a_delayed_draw_tranche_stays_within_its_commitment) {
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "blended_delayed_draw.json");
  const auto request =
      structuring::read_sizing_request(nlohmann::json::parse(R"({"tranches": [{"tranche": "DDTL", "max_ltv": 5.0}]})"));
  const auto result = structuring::size_deal(file, request, few_paths());
  // The commitment of 2,000m less the draws, 80% of 260m and 75% of 195m.
  EXPECT_NEAR(result.tranches[0].notional, 2.0e9 - 208e6 - 146.25e6, 1e-3);
  EXPECT_EQ(result.tranches[0].binding, "commitment");
  EXPECT_NO_THROW(io::load_deal_json(io::to_json(result.deal))) << "the sized deal loads";
}

TEST(sizing, a_rating_search_under_a_cap_never_tries_above_it_and_the_next_tranche_sees_the_first_sized) {
  const auto file = blended();
  const double fleet = calibration::calibrate(file).gpu.initial_fleet_value();
  const auto request = structuring::read_sizing_request(
      nlohmann::json::parse(R"({"tranches": [{"tranche": "Senior A", "target_rating": "A2", "max_ltv": 0.1},
                                             {"tranche": "Mezzanine B", "dscr": 1.35}]})"));
  const auto result = structuring::size_deal(file, request, few_paths());
  const auto& senior = result.tranches[0];
  ASSERT_TRUE(senior.search.has_value());
  for (const auto& trial : senior.search->trials) EXPECT_LE(trial.value, 0.1 * fleet);
  // 10% of the fleet passes A2 easily: the limit binds.
  EXPECT_EQ(senior.binding, "max_ltv");
  EXPECT_DOUBLE_EQ(senior.notional, 0.1 * fleet);
  // The mezzanine is sculpted with the senior at its sized notional: its debt service is counted.
  const auto& mezzanine = result.tranches[1];
  ASSERT_TRUE(mezzanine.sculpt.has_value());
  const auto& sculpted = std::get<deal::Waterfall>(mezzanine.sculpt->deal.deal.structure);
  EXPECT_DOUBLE_EQ(sculpted.tranches[0].notional, senior.notional);
  EXPECT_EQ(mezzanine.binding, "dscr");
  EXPECT_NEAR(capital(result.deal), capital(file), 1e-3);
}

TEST(sizing, a_request_is_refused_with_every_problem_at_its_path) {
  try {
    structuring::read_sizing_request(nlohmann::json::parse(
        R"({"tranches": [{"tranche": "Senior A"}, {"tranche": "Senior A", "dscr": 0, "max_ltv": "a"},
                         {"target_rating": "AAA", "extra": 1}], "other": 2})"));
    FAIL() << "the request loaded";
  } catch (const InputError& error) {
    std::vector<std::string> paths;
    for (const auto& problem : error.problems()) paths.push_back(problem.path);
    std::sort(paths.begin(), paths.end());
    EXPECT_EQ(paths, (std::vector<std::string>{"other", "tranches[0]", "tranches[1].dscr", "tranches[1].max_ltv",
                                               "tranches[1].tranche", "tranches[2].extra", "tranches[2].target_rating",
                                               "tranches[2].tranche"}));
  }
  const auto request = structuring::read_sizing_request(
      nlohmann::json::parse(R"({"tranches": [{"tranche": "Senior X", "dscr": 1.3}]})"));
  try {
    structuring::size_deal(blended(), request, few_paths());
    FAIL() << "an unknown tranche was sized";
  } catch (const InputError& error) {
    EXPECT_EQ(error.problems().at(0).path, "tranches[0].tranche");
  }
}

TEST(sizing, a_rating_no_notional_meets_stops_the_sizing_and_leaves_that_tranche_as_it_was) {
  // Behind a senior with a 40% balloon, the mezzanine's bullet, repaid from the final sale, loses about 3% at any
  // size: no notional meets Baa2.
  const auto file = blended();
  const auto request =
      structuring::read_sizing_request(nlohmann::json::parse(R"({"tranches": [{"tranche": "Senior A", "max_ltv": 0.6},
                                             {"tranche": "Mezzanine B", "max_ltv": 0.9, "target_rating": "Baa2"}]})"));
  const auto result = structuring::size_deal(file, request, few_paths());
  EXPECT_FALSE(result.complete);
  ASSERT_EQ(result.tranches.size(), 2u);
  EXPECT_EQ(result.tranches[1].notional, 0.0);
  // The senior keeps its size; the mezzanine stays as it was.
  const auto& given = std::get<deal::Waterfall>(file.deal.structure);
  const auto& sized = std::get<deal::Waterfall>(result.deal.deal.structure);
  EXPECT_DOUBLE_EQ(sized.tranches[0].notional, result.tranches[0].notional);
  EXPECT_EQ(sized.tranches[1], given.tranches[1]);
  EXPECT_NEAR(capital(result.deal), capital(file), 1e-3);
  EXPECT_EQ(structuring::to_json(result)["complete"], false);
}
