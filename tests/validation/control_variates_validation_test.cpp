// Control variates (docs/methodology.md section 7.7): unbiased against the exact engine, smaller standard errors,
// the regression as the kept paths give it by hand, and bit-identical across threads and over Dask-style blocks.

#include <computedebt/analytic/control_means.hpp>
#include <computedebt/analytic/semi_analytic.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/scenario/credit_sampler.hpp>
#include <computedebt/stats/mean.hpp>
#include <computedebt/waterfall/loss_tranches.hpp>

#include <cmath>

#include "test_deals.hpp"
#include "validation/statistical.hpp"

using namespace computedebt;

namespace {

/// The example pool's six tranches, which tile [0, 1].
const std::vector<std::pair<double, double>> tiling{{0.0, 0.03},  {0.03, 0.07}, {0.07, 0.10},
                                                    {0.10, 0.15}, {0.15, 0.30}, {0.30, 1.0}};

calibration::Plan pool(const std::vector<std::pair<double, double>>& tranches = tiling) {
  return test_support::calibrate_json(test_support::homogeneous_pool(125, 0.05, 0.3, 0.4, tranches));
}

engine::SimulationConfig controlled(std::uint64_t paths, std::uint32_t seed) {
  engine::SimulationConfig config;
  config.paths = paths;
  config.seed = seed;
  config.control_variates = true;
  return config;
}

}  // namespace

TEST(control_variates, loss_tranches_agree_with_the_exact_engine_with_smaller_errors) {
  const auto plan = pool();
  const auto exact = analytic::price(plan);
  const auto config = controlled(50000, 7);
  const auto results = engine::simulate(plan, config);
  ASSERT_TRUE(results.control_variates);
  EXPECT_EQ(results.control_variates->tranche_loss_means.size(), tiling.size());
  for (std::size_t t = 0; t < tiling.size(); ++t) {
    const auto& tranche = results.tranches[t];
    ASSERT_TRUE(tranche.control_variate);
    test_support::expect_within(tranche.name + " controlled EL", tranche.expected_loss, exact.tranches[t].expected_loss,
                                tranche.expected_loss_stderr, config.seed);
    EXPECT_LT(tranche.expected_loss_stderr, tranche.control_variate->uncontrolled_stderr) << tranche.name;
    EXPECT_GT(tranche.control_variate->variance_reduction, 1.1) << tranche.name;
    // Tiling tranches add up to the pool's loss: the portfolio loss is dropped, else the other tranches and it
    // would reproduce this one exactly; and a tranche never controls itself.
    const auto& controls = tranche.control_variate->controls;
    EXPECT_EQ(controls.size(), tiling.size() - 1) << tranche.name;
    EXPECT_EQ(std::count(controls.begin(), controls.end(), tranche.name), 0);
    EXPECT_EQ(std::count(controls.begin(), controls.end(), "portfolio_loss"), 0);
    test_support::expect_within(tranche.name + " controlled LGD", tranche.loss_given_default,
                                exact.tranches[t].loss_given_default, tranche.loss_given_default_stderr, config.seed);
  }
  // The mezzanine tranches gain most from their neighbours.
  EXPECT_GT(results.tranches[1].control_variate->variance_reduction, 2.0);
  EXPECT_GT(results.tranches[2].control_variate->variance_reduction, 2.0);
}

TEST(control_variates, tranches_that_do_not_tile_keep_the_portfolio_loss) {
  const auto plan = pool({{0.03, 0.07}, {0.10, 0.15}});
  const auto exact = analytic::price(plan);
  const auto results = engine::simulate(plan, controlled(30000, 11));
  for (std::size_t t = 0; t < 2; ++t) {
    const auto& tranche = results.tranches[t];
    EXPECT_EQ(tranche.control_variate->controls.front(), "portfolio_loss");
    EXPECT_EQ(tranche.control_variate->controls.size(), 2u);
    test_support::expect_within(tranche.name + " controlled EL", tranche.expected_loss, exact.tranches[t].expected_loss,
                                tranche.expected_loss_stderr, 11);
  }
}

TEST(control_variates, change_nothing_but_the_expected_loss_and_lgd) {
  const auto plan = pool();
  auto config = controlled(8192, 5);
  const auto with = engine::simulate(plan, config);
  config.control_variates = false;
  const auto without = engine::simulate(plan, config);
  EXPECT_FALSE(without.control_variates);
  EXPECT_EQ(with.portfolio.expected_loss, without.portfolio.expected_loss);
  EXPECT_EQ(with.portfolio.default_count_distribution, without.portfolio.default_count_distribution);
  EXPECT_EQ(with.portfolio.loss_es_999, without.portfolio.loss_es_999);
  for (std::size_t t = 0; t < with.tranches.size(); ++t) {
    EXPECT_EQ(with.tranches[t].default_probability, without.tranches[t].default_probability);
    EXPECT_EQ(with.tranches[t].control_variate->uncontrolled, without.tranches[t].expected_loss);
    EXPECT_EQ(with.tranches[t].control_variate->uncontrolled_stderr, without.tranches[t].expected_loss_stderr);
  }
}

TEST(control_variates, are_bit_identical_across_threads_blocks_and_distributed_merges) {
  const auto plan = test_support::calibrate_example("blended_2026.json");
  auto config = controlled(6 * 1024, 3);
  config.threads = 1;
  config.block_leaves = 1;
  const auto one = engine::simulate(plan, config);
  config.threads = 2;
  config.block_leaves = 4;
  const auto two = engine::simulate(plan, config);
  // Dask's way: aligned blocks on their own, merged along the tree, finished once.
  std::vector<engine::Partial> blocks;
  for (std::uint64_t first = 0; first < 6; first += 2)
    blocks.push_back(engine::simulate_blocks(plan, config, first, first + 2));
  const auto merged = engine::finish(plan, config, engine::merge_blocks(std::move(blocks)));
  for (const auto* other : {&two, &merged})
    for (std::size_t t = 0; t < one.tranches.size(); ++t) {
      EXPECT_EQ(one.tranches[t].expected_loss, other->tranches[t].expected_loss);
      EXPECT_EQ(one.tranches[t].expected_loss_stderr, other->tranches[t].expected_loss_stderr);
      EXPECT_EQ(one.tranches[t].control_variate->variance_reduction,
                other->tranches[t].control_variate->variance_reduction);
      EXPECT_EQ(one.tranches[t].loss_given_default_stderr, other->tranches[t].loss_given_default_stderr);
    }
  // The partial carries the co-moments through its bytes.
  const auto partial = engine::simulate_blocks(plan, config, 0, 2);
  EXPECT_EQ(engine::partial_from_bytes(engine::partial_to_bytes(partial)), partial);
  EXPECT_EQ(partial.control_variates.dimension(), engine::control_dimension(plan.tranche_count()));
}

TEST(control_variates, waterfall_estimate_is_the_regression_on_the_kept_paths) {
  const auto plan = test_support::calibrate_example("blended_2026.json");
  auto config = controlled(20000, 9);
  config.keep_paths = true;
  const auto results = engine::simulate(plan, config);
  const auto& v = *results.path_values;
  const double mu = results.control_variates->portfolio_loss_mean, n = static_cast<double>(config.paths);
  const std::size_t tranches = results.tranches.size();
  for (std::size_t t = 0; t < tranches; ++t) {
    // Two passes over the paths, each its own group: means, then covariances.
    double mean_y = 0.0, mean_c = 0.0;
    for (std::size_t p = 0; p < config.paths; ++p) {
      mean_y += v.tranche_loss[p * tranches + t] / n;
      mean_c += v.portfolio_loss[p] / n;
    }
    double cov = 0.0, var_c = 0.0, var_y = 0.0;
    for (std::size_t p = 0; p < config.paths; ++p) {
      const double dy = v.tranche_loss[p * tranches + t] - mean_y, dc = v.portfolio_loss[p] - mean_c;
      cov += dy * dc / (n - 1);
      var_c += dc * dc / (n - 1);
      var_y += dy * dy / (n - 1);
    }
    const double beta = cov / var_c, residual = var_y - beta * cov;
    const auto& tranche = results.tranches[t];
    EXPECT_EQ(tranche.control_variate->controls, std::vector<std::string>{"portfolio_loss"});
    EXPECT_NEAR(tranche.expected_loss, mean_y - beta * (mean_c - mu), 1e-12 * mean_y);
    EXPECT_NEAR(tranche.expected_loss_stderr, std::sqrt(residual * (n - 1) / (n - 2) / n), 1e-9 * mean_y);
    EXPECT_NEAR(tranche.control_variate->variance_reduction, var_y / residual, 1e-8);
    EXPECT_GT(tranche.control_variate->variance_reduction, 1.0);
  }
}

TEST(control_variates, the_exact_portfolio_loss_mean_holds_capped_and_expiring_guarantees) {
  // The blended deal's start-up lease is guaranteed up to a cap, until an expiry before the lease ends.
  const auto plan = test_support::calibrate_example("blended_2026.json");
  const double exact = analytic::control_means(plan).portfolio_loss;
  scenario::CreditSampler sampler(plan);
  std::vector<int> months(plan.credit.names);
  stats::Mean loss;
  const std::uint32_t seed = 17;
  for (std::uint64_t path = 0; path < 400000; ++path) {
    sampler.sample(seed, path, months);
    loss.add(waterfall::portfolio_loss(plan.contracts, plan.credit.recovery_rates, months, sampler.defaulted(), {}));
  }
  test_support::expect_within("blended portfolio loss mean", loss.mean(), exact, loss.standard_error(), seed);
  // The guarantees matter at this precision: the mean without their double defaults is far outside the band.
  double unguaranteed = 0.0;
  for (std::size_t j = 0; j < plan.contracts.contracts; ++j) {
    const std::uint32_t i = plan.contracts.counterparty[j];
    for (std::size_t k = 1; k < plan.contracts.columns; ++k)
      unguaranteed += (plan.credit.survival_at(i, k - 1) - plan.credit.survival_at(i, k)) *
                      plan.contracts.exposure_at(j, static_cast<int>(k)) * (1.0 - plan.credit.recovery_rates[i]);
  }
  EXPECT_GT(unguaranteed / plan.contracts.total_exposure - loss.mean(), 6.0 * loss.standard_error());
}

TEST(control_variates, combine_with_importance_sampling_antithetic_pairs_and_quasi_random_factors) {
  const auto plan = pool({{0.03, 0.07}, {0.15, 0.30}});
  const auto exact = analytic::price(plan);
  for (int mode = 0; mode < 3; ++mode) {
    auto config = controlled(32 * 1024, 13);
    if (mode == 0) config.importance_shift = {-1.0};
    if (mode == 1) config.antithetic = true;
    if (mode == 2) config.quasi_random = true;
    const auto results = engine::simulate(plan, config);
    for (std::size_t t = 0; t < 2; ++t)
      test_support::expect_within("mode " + std::to_string(mode) + " " + results.tranches[t].name,
                                  results.tranches[t].expected_loss, exact.tranches[t].expected_loss,
                                  results.tranches[t].expected_loss_stderr, config.seed);
  }
}
