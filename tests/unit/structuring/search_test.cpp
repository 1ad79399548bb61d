#include <gtest/gtest.h>

#include <computedebt/core/error.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/structuring/search.hpp>

#include <filesystem>
#include <fstream>

namespace computedebt {
namespace {

/// The blended example with its senior at 1,200m, inside its A2 limit of about 1,350m (the equity takes the
/// difference): sizing finds where A2 binds, and the base case passes with room for a break-even multiplier.
io::DealFile thin_blended() {
  auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json");
  auto& structure = std::get<deal::Waterfall>(file.deal.structure);
  structure.equity.investment += structure.tranches[0].notional - 1.2e9;
  structure.tranches[0].notional = 1.2e9;
  return file;
}

engine::SimulationConfig small_run() {
  engine::SimulationConfig config;
  config.paths = 8192;
  config.seed = 7;
  return config;
}

TEST(size_tranche, finds_the_largest_passing_notional_to_a_thousandth) {
  const auto file = thin_blended();
  const auto& structure = std::get<deal::Waterfall>(file.deal.structure);
  const double start = structure.tranches[0].notional;
  const auto result = structuring::size_tranche(file, "Senior A", "A2", small_run());
  ASSERT_FALSE(result.at_limit);
  EXPECT_TRUE(result.at_value.passes);
  EXPECT_LE(result.at_value.expected_loss, result.at_value.target_expected_loss);
  double smallest_failure = std::numeric_limits<double>::infinity();
  for (const auto& trial : result.trials) {
    if (trial.passes) {
      EXPECT_LE(trial.value, result.value);
    } else {
      smallest_failure = std::min(smallest_failure, trial.value);
    }
  }
  EXPECT_GT(smallest_failure, result.value);
  EXPECT_LE(smallest_failure - result.value, 0.001 * start);
}

TEST(size_tranche, the_progress_callback_is_asked_between_trials_and_can_stop_the_search) {
  // The callback is how Python checks for Ctrl-C: it must still be called during a search, and a False answer
  // must stop the search rather than be dropped.
  const auto file = thin_blended();
  auto config = small_run();
  int calls = 0;
  config.progress = [&](std::uint64_t, std::uint64_t) { return ++calls < 3; };
  // A report from another worker may arrive before the cancellation takes hold: at least the third call stops it.
  EXPECT_THROW(structuring::size_tranche(file, "Senior A", "A2", config), engine::Cancelled);
  EXPECT_GE(calls, 3);
  calls = 0;
  EXPECT_THROW(structuring::break_even_multiplier(file, "Senior A", "A2", {"hyperscaler"}, config), engine::Cancelled);
  EXPECT_GE(calls, 3);
}

TEST(size_tranche, a_stricter_rating_supports_less_debt) {
  const auto file = thin_blended();
  const auto aa2 = structuring::size_tranche(file, "Senior A", "Aa2", small_run());
  const auto a2 = structuring::size_tranche(file, "Senior A", "A2", small_run());
  EXPECT_FALSE(aa2.at_limit);
  EXPECT_LT(aa2.value, a2.value);
}

TEST(break_even_multiplier, brackets_the_multiplier_at_which_the_tranche_fails) {
  const auto file = thin_blended();
  const auto result = structuring::break_even_multiplier(file, "Senior A", "A2", {"ai_startup"}, small_run(), 50.0);
  EXPECT_TRUE(result.at_value.passes);
  EXPECT_GT(result.value, 1.0);  // the base case passes
  ASSERT_FALSE(result.at_limit);
  double smallest_failure = std::numeric_limits<double>::infinity();
  for (const auto& trial : result.trials)
    if (!trial.passes) smallest_failure = std::min(smallest_failure, trial.value);
  EXPECT_GT(smallest_failure, result.value);
  EXPECT_LE(smallest_failure - result.value, 0.002 * result.value);
}

TEST(structuring, refuses_unknown_tranches_ratings_and_sectors) {
  const auto file = thin_blended();
  EXPECT_THROW(structuring::size_tranche(file, "Senior Z", "A2", small_run()), InputError);
  EXPECT_THROW(structuring::size_tranche(file, "Senior A", "AAA", small_run()), InputError);
  EXPECT_THROW(structuring::break_even_multiplier(file, "Senior A", "A2", {"banks"}, small_run()), InputError);
}

}  // namespace
}  // namespace computedebt
