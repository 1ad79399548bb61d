// Variance reduction (importance sampling of the factors, antithetic pairs, randomised quasi-random factors):
// each is unbiased through every accumulator and gives smaller standard errors at equal paths.

#include <computedebt/engine/simulate.hpp>

#include <numeric>

#include "test_deals.hpp"
#include "validation/statistical.hpp"

using namespace computedebt;

TEST(importance_sampling, senior_tranches_get_smaller_standard_errors_without_bias) {
  const auto plan = test_support::calibrate_json(
      test_support::homogeneous_pool(125, 0.05, 0.3, 0.4, {{0.0, 0.03}, {0.15, 0.30}, {0.30, 1.0}}));
  engine::SimulationConfig config;
  config.paths = 100000;
  config.seed = 31;
  const auto plain = engine::simulate(plan, config);
  config.importance_shift = {-1.5};
  const auto shifted = engine::simulate(plan, config);
  for (std::size_t t = 0; t < 3; ++t) {
    const auto &a = plain.tranches[t], &b = shifted.tranches[t];
    const double combined = std::hypot(a.expected_loss_stderr, b.expected_loss_stderr);
    test_support::expect_within(a.name + " EL with and without importance sampling", b.expected_loss, a.expected_loss,
                                combined, config.seed);
  }
  // The senior tranches' standard errors fall by at least half.
  EXPECT_LT(shifted.tranches[1].expected_loss_stderr, 0.5 * plain.tranches[1].expected_loss_stderr);
  EXPECT_LT(shifted.tranches[2].expected_loss_stderr, 0.5 * plain.tranches[2].expected_loss_stderr);
  // The weights reach the portfolio statistics too: the mean loss is still p (1 - R).
  test_support::expect_within("portfolio EL under importance sampling", shifted.portfolio.expected_loss, 0.03,
                              shifted.portfolio.expected_loss_stderr, config.seed);
  const auto& distribution = shifted.portfolio.default_count_distribution;
  EXPECT_NEAR(std::accumulate(distribution.begin(), distribution.end(), 0.0), 1.0, 0.05);
  EXPECT_NEAR(shifted.portfolio.loss_var_99, plain.portfolio.loss_var_99, 0.02);
}

TEST(importance_sampling, kept_weights_reproduce_the_estimates) {
  const auto plan = test_support::calibrate_json(test_support::homogeneous_pool(40, 0.05, 0.3, 0.4, {{0.1, 0.2}}));
  engine::SimulationConfig config;
  config.paths = 4000;
  config.keep_paths = true;
  config.importance_shift = {-1.0};
  const auto results = engine::simulate(plan, config);
  const auto& v = *results.path_values;
  ASSERT_EQ(v.weight.size(), config.paths);
  double el = 0.0;
  for (std::size_t p = 0; p < config.paths; ++p) el += v.weight[p] * v.tranche_loss[p];
  EXPECT_NEAR(el / config.paths, results.tranches[0].expected_loss, 1e-12);
  config.importance_shift = {-1.0, 0.5};
  EXPECT_THROW(engine::simulate(plan, config), InputError);
}

TEST(antithetic, pairs_cut_the_standard_error_of_factor_driven_estimates_without_bias) {
  const auto plan = test_support::calibrate_json(
      test_support::homogeneous_pool(125, 0.05, 0.3, 0.4, {{0.0, 0.03}, {0.03, 0.07}, {0.15, 0.30}}));
  engine::SimulationConfig config;
  config.paths = 100000;
  config.seed = 41;
  const auto plain = engine::simulate(plan, config);
  config.antithetic = true;
  const auto paired = engine::simulate(plan, config);
  test_support::expect_within("antithetic portfolio EL", paired.portfolio.expected_loss, 0.03,
                              paired.portfolio.expected_loss_stderr, config.seed);
  for (std::size_t t = 0; t < 3; ++t)
    test_support::expect_within(
        plain.tranches[t].name + " EL, antithetic vs plain", paired.tranches[t].expected_loss,
        plain.tranches[t].expected_loss,
        std::hypot(plain.tranches[t].expected_loss_stderr, paired.tranches[t].expected_loss_stderr), config.seed);
  // The loss is monotone in the factor, so reflected pairs are negatively correlated.
  EXPECT_LT(paired.portfolio.expected_loss_stderr, 0.8 * plain.portfolio.expected_loss_stderr);
  EXPECT_LT(paired.tranches[0].expected_loss_stderr, 0.8 * plain.tranches[0].expected_loss_stderr);
  // Still bit-identical across threads, and an odd path count is refused.
  config.threads = 1;
  const auto one = engine::simulate(plan, config);
  EXPECT_EQ(one.tranches[1].expected_loss, paired.tranches[1].expected_loss);
  EXPECT_EQ(one.portfolio.loss_var_999, paired.portfolio.loss_var_999);
  config.paths = 1001;
  EXPECT_THROW(engine::simulate(plan, config), InputError);
}

TEST(quasi_random, sobol_factors_cut_the_standard_error_without_bias) {
  const auto plan = test_support::calibrate_json(
      test_support::homogeneous_pool(125, 0.05, 0.3, 0.4, {{0.0, 0.03}, {0.03, 0.07}, {0.15, 0.30}}));
  engine::SimulationConfig config;
  config.paths = 100 * 1024;
  config.seed = 43;
  const auto plain = engine::simulate(plan, config);
  config.quasi_random = true;
  const auto sobol = engine::simulate(plan, config);
  test_support::expect_within("quasi-random portfolio EL", sobol.portfolio.expected_loss, 0.03,
                              sobol.portfolio.expected_loss_stderr, config.seed);
  for (std::size_t t = 0; t < 3; ++t) {
    test_support::expect_within(
        plain.tranches[t].name + " EL, quasi-random vs plain", sobol.tranches[t].expected_loss,
        plain.tranches[t].expected_loss,
        std::hypot(plain.tranches[t].expected_loss_stderr, sobol.tranches[t].expected_loss_stderr), config.seed);
    EXPECT_LT(sobol.tranches[t].expected_loss_stderr, 0.7 * plain.tranches[t].expected_loss_stderr)
        << sobol.tranches[t].name;
  }
  EXPECT_LT(sobol.portfolio.expected_loss_stderr, 0.5 * plain.portfolio.expected_loss_stderr);
  // Bit-identical across threads; whole leaves only; not with antithetic pairs.
  config.threads = 1;
  EXPECT_EQ(engine::simulate(plan, config).tranches[1].expected_loss, sobol.tranches[1].expected_loss);
  config.paths = 100 * 1024 + 2;
  EXPECT_THROW(engine::simulate(plan, config), InputError);
  config.paths = 4096;
  config.antithetic = true;
  EXPECT_THROW(engine::simulate(plan, config), InputError);
}
