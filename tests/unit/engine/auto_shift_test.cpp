#include <computedebt/analytic/tail_mode.hpp>
#include <computedebt/engine/auto_shift.hpp>
#include <computedebt/engine/simulate.hpp>

#include <gtest/gtest.h>

#include <cmath>

#include "test_deals.hpp"

using namespace computedebt;

namespace {

/// The path of the first problem `f` throws as an input error, or "" when it throws none.
template <class F>
std::string input_error_path(F&& f) {
  try {
    f();
  } catch (const InputError& error) {
    return error.problems().front().path;
  }
  return "";
}

}  // namespace

TEST(auto_shift, the_default_target_is_the_most_senior_tranche) {
  const auto pool = test_support::calibrate_example("homogeneous_pool.json");
  EXPECT_EQ(pool.loss_tranches[engine::importance_target(pool, "")].name, "Super senior 30-100%");
  EXPECT_EQ(engine::importance_target(pool, "Senior 10-15%"), 3u);
  const auto blended = test_support::calibrate_example("blended_2026.json");
  EXPECT_EQ(engine::importance_target(blended, ""), 0u);
  EXPECT_EQ(engine::importance_target(blended, "Mezzanine B"), 1u);
  EXPECT_EQ(input_error_path([&] { engine::importance_target(blended, "Senior"); }), "importance_target");
}

TEST(auto_shift, loss_tranches_take_the_glasserman_li_mode_of_their_attachment) {
  const auto plan = test_support::calibrate_example("homogeneous_pool.json");
  const auto config = engine::with_auto_shift(plan, {}, "Super senior 15-30%");
  ASSERT_TRUE(config.shift_choice);
  EXPECT_EQ(config.shift_choice->method, "glasserman-li");
  EXPECT_EQ(config.shift_choice->target, "Super senior 15-30%");
  EXPECT_EQ(config.shift_choice->pilot_paths, 0u);
  EXPECT_EQ(config.importance_shift, analytic::glasserman_li_shift(plan, 0.15).shift);
  EXPECT_LT(config.importance_shift[0], 0.0);
}

TEST(auto_shift, the_waterfall_pilot_does_not_depend_on_the_thread_count_but_on_the_seed) {
  const auto plan = test_support::calibrate_example("blended_2026.json");
  engine::SimulationConfig config;
  config.threads = 1;
  const auto one = engine::with_auto_shift(plan, config);
  config.threads = 3;
  const auto three = engine::with_auto_shift(plan, config);
  ASSERT_TRUE(one.shift_choice);
  EXPECT_EQ(one.shift_choice->method, "cross-entropy");
  EXPECT_EQ(one.shift_choice->target, "Senior A");
  EXPECT_GT(one.shift_choice->pilot_paths, 0u);
  EXPECT_EQ(one.shift_choice->pilot_paths % engine::pilot_round_paths, 0u);
  EXPECT_EQ(one.importance_shift, three.importance_shift);
  // Both factors load the names positively: the senior's losses lie where they are low.
  ASSERT_EQ(one.importance_shift.size(), 2u);
  EXPECT_LT(one.importance_shift[0], 0.0);
  EXPECT_LT(one.importance_shift[1], 0.0);
  config.seed = 2;
  EXPECT_NE(engine::with_auto_shift(plan, config).importance_shift, one.importance_shift);
}

TEST(auto_shift, results_report_the_choice_and_are_bit_identical_across_threads) {
  const auto plan = test_support::calibrate_example("blended_2026.json");
  engine::SimulationConfig config;
  config.paths = 8192;
  config.threads = 1;
  const auto one = engine::simulate(plan, engine::with_auto_shift(plan, config, "Mezzanine B"));
  config.threads = 2;
  const auto two = engine::simulate(plan, engine::with_auto_shift(plan, config, "Mezzanine B"));
  ASSERT_TRUE(one.importance_sampling);
  EXPECT_EQ(one.importance_sampling->method, "cross-entropy");
  EXPECT_EQ(one.importance_sampling->target, "Mezzanine B");
  EXPECT_EQ(one.importance_shift, two.importance_shift);
  EXPECT_EQ(to_json(one).dump(), [&] {
    auto document = to_json(two);
    document["threads"] = one.threads;
    document["elapsed_seconds"] = one.elapsed_seconds;
    return document.dump();
  }());
}

TEST(auto_shift, a_shift_of_zero_reduces_no_variance) {
  // With `mu = 0` every weight is 1, and the plain variance of each tranche's loss over the paths, `(n - 1) / n`
  // times the sample variance, is `(n - 1) / n` times `n` squared standard errors.
  const auto plan = test_support::calibrate_example("homogeneous_pool.json");
  engine::SimulationConfig config;
  config.paths = 5000;
  config.importance_shift = {0.0};
  const auto results = engine::simulate(plan, config);
  ASSERT_TRUE(results.importance_sampling);
  EXPECT_EQ(results.importance_sampling->method, "given");
  EXPECT_TRUE(results.importance_sampling->target.empty());
  for (std::size_t t = 0; t < results.tranches.size(); ++t) {
    const double factor = results.importance_sampling->variance_reduction[t];
    // A tranche that never lost has no standard error to compare with.
    if (results.tranches[t].expected_loss == 0.0)
      EXPECT_TRUE(std::isnan(factor)) << t;
    else
      EXPECT_NEAR(factor, (5000.0 - 1.0) / 5000.0, 1e-9) << t;
  }
  config.importance_shift.clear();
  EXPECT_FALSE(engine::simulate(plan, config).importance_sampling);
}
