#include <gtest/gtest.h>
#include <computedebt/core/philox_blocks.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/pricing/provenance.hpp>
#include <computedebt/scenario/credit_sampler.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "test_deals.hpp"

using namespace computedebt;

namespace {

calibration::Plan pool() {
  return test_support::calibrate_json(
      test_support::homogeneous_pool(60, 0.08, 0.3, 0.4, {{0.0, 0.03}, {0.03, 0.07}, {0.07, 0.15}, {0.15, 1.0}}));
}

/// The results document without the fields that may differ between equal runs.
nlohmann::ordered_json comparable(pricing::Results results) {
  auto document = pricing::to_json(results);
  document.erase("elapsed_seconds");
  document.erase("threads");
  return document;
}

}  // namespace

TEST(simulate, results_are_bit_identical_for_any_thread_count_and_block_size) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 20 * 1024 + 300;  // not a whole number of leaves
  config.seed = 99;
  config.threads = 1;
  config.block_leaves = 1;
  const auto reference = comparable(engine::simulate(plan, config));
  for (unsigned threads : {1u, 2u, 3u})
    for (std::uint64_t block : {1u, 2u, 8u, 64u}) {
      config.threads = threads;
      config.block_leaves = block;
      EXPECT_EQ(comparable(engine::simulate(plan, config)), reference) << threads << " threads, blocks of " << block;
    }
}

TEST(simulate, every_simd_target_prices_a_deal_to_the_same_bits) {
  // The random numbers are drawn on SIMD lanes of whatever instruction set the machine has (philox_blocks): the
  // pool and the waterfall deal must come out the same on each one compiled in and available here.
  const auto waterfall = test_support::calibrate_example("blended_2026.json");
  engine::SimulationConfig config;
  config.paths = 2048;
  config.seed = 12;
  const auto pool_reference = comparable(engine::simulate(pool(), config));
  const auto waterfall_reference = comparable(engine::simulate(waterfall, config));
  for (const auto& target : simd_targets()) {
    restrict_simd_target(target);
    EXPECT_EQ(comparable(engine::simulate(pool(), config)), pool_reference) << target;
    EXPECT_EQ(comparable(engine::simulate(waterfall, config)), waterfall_reference) << target;
  }
  restrict_simd_target("");
}

TEST(simulate, blocks_merged_along_the_tree_equal_the_whole_run) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 8 * 1024;
  config.seed = 4;
  const auto whole = engine::simulate_blocks(plan, config, 0, 8);
  // Two machines, each an aligned half; the halves merge into the root.
  auto left = engine::simulate_blocks(plan, config, 0, 4);
  const auto right = engine::simulate_blocks(plan, config, 4, 8);
  engine::merge(left, right);
  EXPECT_EQ(left, whole);
  EXPECT_EQ(comparable(engine::finish(plan, config, left)), comparable(engine::simulate(plan, config)));
}

TEST(simulate, partials_survive_serialisation_bit_for_bit) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 3000;
  const auto partial = engine::simulate_blocks(plan, config, 0, engine::leaf_count(config.paths));
  EXPECT_EQ(engine::partial_from_bytes(engine::partial_to_bytes(partial)), partial);
  EXPECT_THROW(engine::partial_from_bytes("nonsense"), ModelError);
}

TEST(simulate, kept_paths_agree_with_the_summary_statistics) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 5000;
  config.keep_paths = true;
  const auto results = engine::simulate(plan, config);
  ASSERT_TRUE(results.path_values.has_value());
  const auto& values = *results.path_values;
  ASSERT_EQ(values.portfolio_loss.size(), config.paths);
  const double mean = std::accumulate(values.portfolio_loss.begin(), values.portfolio_loss.end(), 0.0) / config.paths;
  EXPECT_NEAR(mean, results.portfolio.expected_loss, 1e-12);
  const std::size_t tranches = results.tranches.size();
  for (std::size_t t = 0; t < tranches; ++t) {
    double sum = 0;
    for (std::size_t p = 0; p < config.paths; ++p) sum += values.tranche_loss[p * tranches + t];
    EXPECT_NEAR(sum / config.paths, results.tranches[t].expected_loss, 1e-12);
  }
  const double defaults = std::accumulate(values.default_count.begin(), values.default_count.end(), 0.0) / config.paths;
  EXPECT_NEAR(defaults, results.portfolio.expected_defaults, 1e-12);
}

TEST(simulate, the_progress_callback_reports_and_can_cancel) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 400 * 1024;
  std::uint64_t last = 0;
  config.progress = [&](std::uint64_t done, std::uint64_t total) {
    EXPECT_LE(done, total);
    last = done;
    return false;  // stop at the first report
  };
  EXPECT_THROW(engine::simulate(plan, config), engine::Cancelled);
  EXPECT_LT(last, config.paths);
}

TEST(simulate, a_finished_run_reports_all_paths_done) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 2048;
  std::uint64_t last = 0;
  config.progress = [&](std::uint64_t done, std::uint64_t) {
    last = done;
    return true;
  };
  engine::simulate(plan, config);
  EXPECT_EQ(last, config.paths);
}

TEST(simulate, a_false_answer_to_the_final_report_cancels) {
  // Runs shorter than the 0.1 s between reports get only the final one: its answer must not be dropped (a
  // Python callback turns Ctrl-C into a False answer there).
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 1024;
  int finals = 0;
  config.progress = [&](std::uint64_t done, std::uint64_t total) {
    if (done == total) ++finals;
    return done != total;
  };
  EXPECT_THROW(engine::simulate(plan, config), engine::Cancelled);
  EXPECT_EQ(finals, 1);
}

TEST(simulate, an_exception_from_the_final_report_propagates) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 1024;
  config.progress = [&](std::uint64_t done, std::uint64_t total) -> bool {
    if (done == total) throw std::runtime_error("interrupted");
    return true;
  };
  EXPECT_THROW(engine::simulate(plan, config), std::runtime_error);
}

TEST(simulate, portfolio_statistics_are_consistent) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 20000;
  const auto results = engine::simulate(plan, config);
  const auto& p = results.portfolio;
  EXPECT_LE(p.loss_var_99, p.loss_es_99);
  EXPECT_LE(p.loss_var_99, p.loss_var_999);
  EXPECT_LE(p.loss_es_99, p.loss_es_999);
  EXPECT_NEAR(std::accumulate(p.default_count_distribution.begin(), p.default_count_distribution.end(), 0.0), 1.0,
              1e-12);
  // A finite pool's losses are multiples of (1 - R) / N, so the VaR is one of them exactly.
  const double unit = 0.6 / 60;
  EXPECT_NEAR(p.loss_var_99 / unit, std::round(p.loss_var_99 / unit), 1e-9);
  // Tranche losses are ordered by seniority.
  for (std::size_t t = 1; t < results.tranches.size(); ++t)
    EXPECT_LT(results.tranches[t].expected_loss, results.tranches[t - 1].expected_loss);
}

TEST(simulate, refuses_bad_settings) {
  const auto plan = pool();
  engine::SimulationConfig config;
  // Each refusal is an input error naming the setting.
  const auto refused_setting = [&] {
    try {
      engine::simulate(plan, config);
    } catch (const InputError& error) {
      return error.problems().front().path;
    }
    return std::string("accepted");
  };
  config.paths = 0;
  EXPECT_EQ(refused_setting(), "paths");
  // Above 2^40 the leaf count (paths + 1023) / 1024 could wrap and a run claim paths it never simulated.
  config.paths = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(refused_setting(), "paths");
  config.paths = engine::max_paths + 1;
  EXPECT_EQ(refused_setting(), "paths");
  EXPECT_THROW(engine::simulate_blocks(plan, config, 0, 1), InputError);
  config.paths = 10;
  config.threads = engine::max_threads + 1;
  EXPECT_EQ(refused_setting(), "threads");
  config.threads = 1;
  config.paths = 10;
  config.block_leaves = 3;
  EXPECT_EQ(refused_setting(), "block_leaves");
  config.block_leaves = 4;
  config.importance_shift = {-1.0, 0.5};  // one factor
  EXPECT_EQ(refused_setting(), "importance_shift");
  config.importance_shift = {11.0};
  EXPECT_EQ(refused_setting(), "importance_shift");
  config.importance_shift = {};
  config.keep_paths = true;
  config.gpu_multiplier_months = {61};
  EXPECT_EQ(refused_setting(), "gpu_multiplier_months");
}

TEST(simulate, kept_gpu_multipliers_are_the_market_paths) {
  auto document = test_support::homogeneous_pool(10, 0.05, 0.3, 0.4, {{0.0, 1.0}});
  document["deal"]["gpu_types"] = {{{"id", "H100"}, {"purchase_price", 27500}, {"power_kw", 0.7}}};
  document["assumptions"]["gpu_market"] = {{"H100",
                                            {{"residual_value", {{"annual_decline", 0.25}}},
                                             {"rent", {{"initial_per_gpu_hour", 2.2}, {"annual_decline", 0.15}}},
                                             {"volatility", 0.3},
                                             {"factor_loadings", {{"market", 0.5}}}}}};
  const auto plan = test_support::calibrate_json(document);
  engine::SimulationConfig config;
  config.paths = 300;
  config.keep_paths = true;
  config.gpu_multiplier_months = {0, 12, 60};
  const auto results = engine::simulate(plan, config);
  const auto& values = *results.path_values;
  ASSERT_EQ(values.gpu_multiplier.size(), 300u * 3);
  for (std::size_t p = 0; p < 300; ++p) EXPECT_EQ(values.gpu_multiplier[p * 3], 1.0);  // M(t0)
  // Path 123 again, sampled directly.
  scenario::CreditSampler credit(plan);
  scenario::GpuMarketSampler market(plan);
  std::vector<int> months(plan.credit.names);
  std::vector<double> m(plan.gpu.columns);
  credit.sample(config.seed, 123, months);
  market.sample(config.seed, 123, credit.normals(), m);
  EXPECT_EQ(values.gpu_multiplier[123 * 3 + 1], m[12]);
  EXPECT_EQ(values.gpu_multiplier[123 * 3 + 2], m[60]);
  config.gpu_multiplier_months = {61};
  EXPECT_THROW(engine::simulate(plan, config), InputError);
}

TEST(simulate, partials_merge_only_in_leaf_order_and_within_one_run) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 4 * 1024;
  const auto left = engine::simulate_blocks(plan, config, 0, 2);
  auto right = engine::simulate_blocks(plan, config, 2, 4);
  EXPECT_THROW(engine::merge(right, left), ModelError);
  auto other_run = engine::Partial::empty(
      test_support::calibrate_json(test_support::homogeneous_pool(5, 0.05, 0.3, 0.4, {{0.0, 1.0}})));
  EXPECT_THROW(engine::merge(other_run, left), ModelError);
}

namespace {

calibration::Plan blended() { return test_support::calibrate_example("blended_2026.json"); }

}  // namespace

TEST(simulate, waterfall_results_are_bit_identical_for_any_thread_count_and_block_size) {
  const auto plan = blended();
  engine::SimulationConfig config;
  config.paths = 6 * 1024 + 77;
  config.seed = 5;
  config.threads = 1;
  config.block_leaves = 1;
  const auto reference = comparable(engine::simulate(plan, config));
  ASSERT_TRUE(reference.contains("fan_charts"));
  for (unsigned threads : {2u, 3u})
    for (std::uint64_t block : {1u, 4u}) {
      config.threads = threads;
      config.block_leaves = block;
      EXPECT_EQ(comparable(engine::simulate(plan, config)), reference) << threads << " threads, blocks of " << block;
    }
}

TEST(simulate, waterfall_partials_merge_and_serialise_bit_for_bit) {
  const auto plan = blended();
  engine::SimulationConfig config;
  config.paths = 4 * 1024;
  const auto whole = engine::simulate_blocks(plan, config, 0, 4);
  auto left = engine::simulate_blocks(plan, config, 0, 2);
  engine::merge(left,
                engine::partial_from_bytes(engine::partial_to_bytes(engine::simulate_blocks(plan, config, 2, 4))));
  EXPECT_EQ(left, whole);
  EXPECT_EQ(engine::partial_from_bytes(engine::partial_to_bytes(whole)), whole);
}

TEST(simulate, a_cleared_partial_is_empty_again) {
  // The engine reuses merged-away partials for later leaves: clearing one must leave nothing of its paths.
  const auto plan = blended();
  engine::SimulationConfig config;
  config.paths = 2 * 1024;
  config.control_variates = true;
  auto partial = engine::simulate_blocks(plan, config, 0, 2);
  const auto empty = engine::Partial::empty(plan, engine::optional_statistics(config));
  ASSERT_NE(partial, empty);
  engine::clear(partial);
  EXPECT_EQ(partial, empty);
}

TEST(simulate, kept_waterfall_paths_agree_with_the_summary_statistics) {
  const auto plan = blended();
  engine::SimulationConfig config;
  config.paths = 3000;
  config.keep_paths = true;
  const auto results = engine::simulate(plan, config);
  const auto& values = *results.path_values;
  ASSERT_EQ(values.equity_irr.size(), config.paths);
  const double n = static_cast<double>(config.paths);
  double irr = 0, multiple = 0, collateral = 0, defaulted = 0, senior = 0;
  for (std::size_t p = 0; p < config.paths; ++p) {
    irr += values.equity_irr[p];
    multiple += values.money_multiple[p];
    collateral += values.collateral_value[p];
    defaulted += values.event_of_default[p] > 0;
    senior += values.tranche_loss[p * results.tranches.size()];
  }
  const auto& w = *results.waterfall;
  EXPECT_NEAR(irr / n, w.equity.irr_mean, 1e-12);
  EXPECT_NEAR(multiple / n, w.equity.money_multiple, 1e-12);
  EXPECT_NEAR(collateral / n, w.collateral_value_at_maturity, 1e-12 * w.collateral_value_at_maturity);
  EXPECT_NEAR(defaulted / n, w.events_of_default.probability, 1e-12);
  EXPECT_NEAR(senior / n, results.tranches[0].expected_loss, 1e-12);
}

TEST(simulate, merge_blocks_follows_the_fixed_tree_for_any_number_of_blocks) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 7 * 1024 - 5;
  const auto whole = engine::simulate_blocks(plan, config, 0, 7);
  std::vector<engine::Partial> blocks;
  for (std::uint64_t first = 0; first < 7; first += 2)
    blocks.push_back(engine::simulate_blocks(plan, config, first, std::min<std::uint64_t>(first + 2, 7)));
  EXPECT_EQ(engine::merge_blocks(std::move(blocks)), whole);
  EXPECT_THROW(engine::merge_blocks({}), ModelError);
}

TEST(simulate, a_tranche_that_receives_no_principal_has_its_promised_wal) {
  auto document = test_support::single_lease_deal();
  // A junior so large that its interest takes every unit of cash: no path ever pays it principal.
  document["deal"]["structure"]["tranches"][1]["notional"] = 1e9;
  const auto plan = test_support::calibrate_json(document);
  engine::SimulationConfig config;
  config.paths = 2048;
  config.seed = 3;
  const auto results = engine::simulate(plan, config);
  const auto& junior = results.tranches[1];
  for (double principal : junior.expected_principal) ASSERT_EQ(principal, 0.0);
  // A bullet repaid on 2027-01-01: 365 days after t0, Actual/365.
  EXPECT_DOUBLE_EQ(junior.wal_years, 1.0);
  EXPECT_EQ(junior.wal_years_stderr, 0.0);
}

TEST(simulate, the_fair_spread_standard_error_divides_by_the_duration_at_the_expected_spread) {
  auto document = test_support::single_lease_deal();
  document["assumptions"]["credit"]["hyper"]["hazard_rate"] = 0.5;
  const auto plan = test_support::calibrate_json(document);
  engine::SimulationConfig config;
  config.paths = 4096;
  config.seed = 8;
  const auto partial = engine::simulate_blocks(plan, config, 0, engine::leaf_count(config.paths));
  const auto results = engine::finish(plan, config, partial);
  const auto& w = plan.waterfall;
  // The flat spread over the curve of `flows` (dates 1..M) by bisection: value falls as the spread rises.
  const auto value = [&](const std::vector<double>& flows, double s) {
    double total = 0.0;
    for (std::size_t m = 1; m <= w.dates; ++m)
      total += flows[m - 1] * w.date_discount[m] * std::exp(-s * w.date_time[m]);
    return total;
  };
  const auto solve = [&](const std::vector<double>& flows, double notional) {
    double low = -1.0, high = 1.0;
    for (int i = 0; i < 200; ++i) (value(flows, 0.5 * (low + high)) > notional ? low : high) = 0.5 * (low + high);
    return 0.5 * (low + high);
  };
  int checked = 0;
  for (std::size_t t = 0; t < w.tranches; ++t) {
    const auto& tranche = results.tranches[t];
    if (tranche.default_probability == 0.0) continue;
    std::vector<double> promised, expected;
    for (std::size_t m = 1; m <= w.dates; ++m) {
      promised.push_back(w.at(w.promised_flow, t, m));
      expected.push_back(tranche.expected_principal[m - 1] + tranche.expected_interest[m - 1]);
    }
    const double s_p = solve(promised, w.notional[t]), s_e = solve(expected, w.notional[t]);
    ASSERT_NEAR(tranche.fair_spread_bp, (s_p - s_e) * 1e4, 1e-6);
    // Delta method: ds = dV / |dV/ds| at s_E, the derivative by central differences.
    const double h = 1e-5;
    const double slope = (value(expected, s_e + h) - value(expected, s_e - h)) / (2 * h);
    const double stderr_bp = partial.waterfall.received_value[t].standard_error() / std::abs(slope) * 1e4;
    EXPECT_NEAR(tranche.fair_spread_bp_stderr, stderr_bp, 1e-6 * stderr_bp) << tranche.name;
    // A spread large enough that a duration at s_P would differ measurably.
    checked += s_p - s_e > 0.005;
  }
  EXPECT_GT(checked, 0);
}

namespace {

/// The paths of the warnings of `results`.
std::vector<std::string> warning_paths(const pricing::Results& results) {
  std::vector<std::string> paths;
  for (const auto& warning : results.warnings) paths.push_back(warning.path);
  return paths;
}

}  // namespace

TEST(simulate, the_effective_sample_size_is_that_of_the_kept_weights) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 3000;
  config.seed = 5;
  config.importance_shift = {-2.0};
  config.keep_paths = true;
  const auto results = engine::simulate(plan, config);
  const auto& weight = results.path_values->weight;
  ASSERT_EQ(weight.size(), config.paths);
  double sum = 0.0, squares = 0.0;
  for (const double w : weight) {
    sum += w;
    squares += w * w;
  }
  const double ess = sum * sum / squares;
  EXPECT_NEAR(results.effective_sample_size, ess, 1e-10 * ess);
  EXPECT_LT(results.effective_sample_size, 0.9 * config.paths);  // the weights do vary
  EXPECT_GT(results.effective_sample_size, 1.0);
  EXPECT_NEAR(results.mean_weight, sum / config.paths, 1e-12);
  // Each path is its own group: the standard error is that of the weights' sample.
  double deviations = 0.0;
  for (const double w : weight) deviations += (w - sum / config.paths) * (w - sum / config.paths);
  EXPECT_NEAR(results.mean_weight_stderr, std::sqrt(deviations / (config.paths - 1) / config.paths), 1e-12);
}

TEST(simulate, the_effective_sample_size_is_bit_identical_for_any_thread_count) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 9 * 1024 + 77;
  config.importance_shift = {-1.5};
  config.threads = 1;
  config.block_leaves = 1;
  const auto reference = engine::simulate(plan, config);
  for (unsigned threads : {2u, 3u})
    for (std::uint64_t block : {1u, 4u}) {
      config.threads = threads;
      config.block_leaves = block;
      const auto results = engine::simulate(plan, config);
      EXPECT_EQ(results.effective_sample_size, reference.effective_sample_size);
      EXPECT_EQ(results.mean_weight, reference.mean_weight);
      EXPECT_EQ(results.mean_weight_stderr, reference.mean_weight_stderr);
    }
  const auto partial = engine::simulate_blocks(plan, config, 0, engine::leaf_count(config.paths));
  const auto restored = engine::partial_from_bytes(engine::partial_to_bytes(partial));
  EXPECT_EQ(restored.weight_sum, partial.weight_sum);
  EXPECT_EQ(restored.weight_square_sum, partial.weight_square_sum);
  EXPECT_EQ(restored.weight, partial.weight);
}

TEST(simulate, without_importance_sampling_the_effective_sample_size_is_the_path_count) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 4321;
  const auto results = engine::simulate(plan, config);
  EXPECT_EQ(results.effective_sample_size, 4321.0);
  EXPECT_EQ(results.mean_weight, 1.0);
  EXPECT_EQ(results.mean_weight_stderr, 0.0);
  EXPECT_TRUE(results.warnings.empty());
  EXPECT_EQ(pricing::to_json(results)["effective_sample_size"], 4321.0);
}

TEST(simulate, collapsed_weights_and_a_single_group_are_warned_of) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 4000;
  config.importance_shift = {-1.5};
  EXPECT_TRUE(engine::simulate(plan, config).warnings.empty());
  config.importance_shift = {-10.0};
  const auto collapsed = engine::simulate(plan, config);
  EXPECT_LT(collapsed.effective_sample_size, 0.01 * config.paths);
  EXPECT_EQ(warning_paths(collapsed), std::vector<std::string>{"importance_shift"});
}

TEST(simulate, one_path_has_no_standard_error_and_the_run_warns) {
  const auto plan = pool();
  engine::SimulationConfig config;
  config.paths = 1;
  const auto results = engine::simulate(plan, config);
  EXPECT_TRUE(std::isnan(results.portfolio.expected_loss_stderr));
  EXPECT_TRUE(std::isnan(results.tranches[0].expected_loss_stderr));
  // JSON has no NaN: the document says null.
  EXPECT_NE(pricing::to_json(results).dump().find("\"expected_loss_stderr\":null"), std::string::npos);
  const auto warned_at_paths = [&](const engine::SimulationConfig& c) {
    const auto warnings = pricing::run_provenance(plan, c, {}).warnings;
    return std::count_if(warnings.begin(), warnings.end(), [](const Problem& w) { return w.path == "paths"; });
  };
  EXPECT_EQ(warned_at_paths(config), 1);
  config.paths = 2;
  EXPECT_EQ(warned_at_paths(config), 0);
  EXPECT_FALSE(std::isnan(engine::simulate(plan, config).portfolio.expected_loss_stderr));
  config.antithetic = true;  // one pair is one independent group
  EXPECT_EQ(warned_at_paths(config), 1);
  EXPECT_TRUE(std::isnan(engine::simulate(plan, config).portfolio.expected_loss_stderr));
}
