// Floating-rate tranches on Hull-White indices (docs/methodology.md section 5.5), against closed forms at fixed
// seeds: each fixing's mean is its forward, a floored fixing follows Black's formula on the lognormal bond price, the
// state's variance, the correlation with the credit factors, and the loss identity at each path's own coupons.

#include <gtest/gtest.h>

#include <computedebt/engine/simulate.hpp>
#include <computedebt/pricing/results.hpp>
#include <computedebt/scenario/credit_sampler.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>
#include <computedebt/scenario/rate_sampler.hpp>
#include <computedebt/waterfall/cash_waterfall.hpp>
#include <computedebt/waterfall/hedge_value.hpp>

#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <filesystem>

#include "statistical.hpp"
#include "test_deals.hpp"

namespace computedebt {
namespace {

constexpr std::uint32_t seed = 17;
constexpr double mean_reversion = 0.04, volatility = 0.012, loading = 0.5;

/// The floating blended deal with a Hull-White SOFR loading on the global factor; the mezzanine's index is floored.
nlohmann::ordered_json hull_white_deal(double sigma = volatility, double floor = 0.035) {
  auto document = io::read_json_file(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "blended_floating.json");
  document["assumptions"]["rate_indices"]["SOFR"]["hull_white"] = {
      {"mean_reversion", mean_reversion}, {"volatility", sigma}, {"factor_loadings", {{"global", loading}}}};
  document["deal"]["structure"]["tranches"][1]["floating"]["floor"] = floor;
  return document;
}

/// Samples `paths` paths of the plan's credit factors, factor paths and rate index, calling `visit` after each.
template <class Visit>
void sample_rates(const calibration::Plan& plan, std::uint64_t paths, Visit visit) {
  scenario::CreditSampler credit(plan);
  scenario::GpuMarketSampler market(plan);
  scenario::RateSampler rates(plan);
  std::vector<int> default_month(plan.credit.names);
  std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns);
  for (std::uint64_t path = 0; path < paths; ++path) {
    credit.sample(seed, path, default_month);
    market.sample(seed, path, credit.normals(), multipliers);
    rates.sample(seed, path, market.factor_increments());
    visit(credit, rates);
  }
}

struct Moments {
  double sum = 0.0, sum_of_squares = 0.0;
  void add(double x) {
    sum += x;
    sum_of_squares += x * x;
  }
  double mean(double n) const { return sum / n; }
  double standard_error(double n) const { return std::sqrt((sum_of_squares / n - mean(n) * mean(n)) / (n - 1.0)); }
};

}  // namespace

TEST(floating_rate_validation, fixings_match_the_hull_white_closed_forms) {
  const auto plan = test_support::calibrate_json(hull_white_deal());
  const auto& index = plan.rates.indices.at(0);
  const auto& w = plan.waterfall;
  const auto p = static_cast<std::size_t>(w.frequency_months);
  const std::size_t paths = 20000, columns = w.dates + 1;
  std::vector<Moments> growth(columns), floored(columns);
  Moments final_rate;
  std::vector<double> coupons(w.coupon.size()), discount(w.coupon.size());
  sample_rates(plan, paths, [&](const scenario::CreditSampler&, const scenario::RateSampler& rates) {
    w.fix_coupons(rates.fixings(), coupons, discount);
    for (std::size_t m = 1; m < columns; ++m) {
      growth[m].add(1.0 + w.accrual[m] * rates.fixings()[m]);
      floored[m].add(coupons[columns + m] - w.margin[1]);
    }
    final_rate.add(rates.states(0).back());
  });
  const double n = static_cast<double>(paths), a = mean_reversion, s = volatility;
  const double floor = 0.035;
  const boost::math::normal normal;
  for (std::size_t m = 2; m < columns; ++m) {
    const double start = plan.grid.times[(m - 1) * p];
    const double variance = s * s * -std::expm1(-2.0 * a * start) / (2.0 * a);
    // 1 + alpha I is lognormal with mean the forward growth P_I(t_{m-1}) / P_I(t_m) and log variance B^2 v.
    const double expected_growth = index.discount[(m - 1) * p] / index.discount[m * p];
    const double log_sd = index.bond_b[m] * std::sqrt(variance);
    const double mu = std::log(expected_growth) - 0.5 * log_sd * log_sd;
    test_support::expect_within("E[1 + alpha I] at date " + std::to_string(m), growth[m].mean(n), expected_growth,
                                growth[m].standard_error(n), seed);
    // E[max(floor, I)] = floor + E[(Y - (1 + alpha floor))^+] / alpha, by Black's formula.
    const double alpha = w.accrual[m], strike = 1.0 + alpha * floor;
    const double d1 = (mu + log_sd * log_sd - std::log(strike)) / log_sd, d2 = d1 - log_sd;
    const double expected_floored = floor + (expected_growth * cdf(normal, d1) - strike * cdf(normal, d2)) / alpha;
    test_support::expect_within("E[max(floor, I)] at date " + std::to_string(m), floored[m].mean(n), expected_floored,
                                floored[m].standard_error(n), seed);
  }
  // x(t_K) is normal with mean 0 and variance v(t_K): its sample variance has a standard error of about
  // v sqrt(2 / n).
  const double horizon = plan.grid.times.back();
  const double variance = s * s * -std::expm1(-2.0 * a * horizon) / (2.0 * a);
  test_support::expect_within("E[x(t_K)]", final_rate.mean(n), 0.0, final_rate.standard_error(n), seed);
  const double sample_variance = final_rate.sum_of_squares / n - final_rate.mean(n) * final_rate.mean(n);
  test_support::expect_within("Var[x(t_K)]", sample_variance, variance, variance * std::sqrt(2.0 / n), seed);
}

TEST(floating_rate_validation, the_rate_shocks_load_on_the_credit_factors) {
  const auto plan = test_support::calibrate_json(hull_white_deal());
  ASSERT_TRUE(plan.rates.needs_factor_paths);
  const auto& index = plan.rates.indices.at(0);
  const std::size_t K = plan.grid.dates.size() - 1, paths = 20000;
  // Corr(W_r(T), B_global(T)) = (Sigma a)_global = loading, with B(T) = sqrt(T) (L xi)_global.
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  sample_rates(plan, paths, [&](const scenario::CreditSampler& credit, const scenario::RateSampler& rates) {
    const auto x = rates.states(0);
    double w = 0.0;
    for (std::size_t k = 1; k <= K; ++k)
      w += (x[k] - x[k - 1] * index.decay[k]) / index.step_sd[k] * std::sqrt(plan.month_lengths[k]);
    const double global = plan.factor_root(0, 0) * credit.normals()[0] + plan.factor_root(0, 1) * credit.normals()[1];
    sxy += w * global;
    sxx += w * w;
    syy += global * global;
  });
  const double correlation = sxy / std::sqrt(sxx * syy);
  test_support::expect_within("Corr(W_r(T), B_global(T))", correlation, loading,
                              (1.0 - loading * loading) / std::sqrt(static_cast<double>(paths)), seed);
}

TEST(floating_rate_validation, each_path_loses_its_balance_discounted_at_its_own_coupons) {
  auto document = hull_white_deal();
  auto& tranches = document["deal"]["structure"]["tranches"];
  tranches[0]["notional"] = 1.8e9;  // Thin equity: both tranches lose on some paths.
  tranches[1]["notional"] = 2.7e8;
  document["deal"]["structure"]["equity"]["investment"] = 2.3e8;
  const auto plan = test_support::calibrate_json(document);
  const auto& w = plan.waterfall;
  const std::size_t columns = w.dates + 1;
  scenario::CreditSampler credit(plan);
  scenario::GpuMarketSampler market(plan);
  scenario::RateSampler rates(plan);
  cashflow::CollateralCash collateral(plan);
  waterfall::CashWaterfall waterfall(w);
  std::vector<int> default_month(plan.credit.names);
  std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns), coupons(w.coupon.size()),
      discount(w.coupon.size());
  std::vector<int> losses(w.tranches, 0);
  for (std::uint64_t path = 0; path < 3000; ++path) {
    credit.sample(seed, path, default_month);
    market.sample(seed, path, credit.normals(), multipliers);
    rates.sample(seed, path, market.factor_increments());
    w.fix_coupons(rates.fixings(), coupons, discount);
    collateral.start_path(default_month, credit.defaulted(), multipliers);
    const auto& outcome = waterfall.run(collateral, {coupons, {}, {}, {}, {}});
    for (std::size_t t = 0; t < w.tranches; ++t) {
      // sum_m DF_m X_m + DF_M B_M = notional, with DF at the path's coupons.
      double value = discount[t * columns + w.dates] * outcome.balance[t];
      for (std::size_t m = 1; m < columns; ++m)
        value += discount[t * columns + m] *
                 (outcome.interest_paid[t * columns + m] + outcome.principal_paid[t * columns + m]);
      ASSERT_NEAR(value, w.notional[t], 1e-9 * w.notional[t]) << "tranche " << t << ", path " << path;
      losses[t] += outcome.balance[t] > 0.01;
    }
  }
  for (std::size_t t = 0; t < w.tranches; ++t) EXPECT_GT(losses[t], 0) << "tranche " << t;
}

TEST(floating_rate_validation, a_vanishing_volatility_prices_as_the_projected_index_on_any_thread_count) {
  auto projected = hull_white_deal();
  projected["assumptions"]["rate_indices"]["SOFR"].erase("hull_white");
  engine::SimulationConfig config;
  config.paths = 8192;
  config.seed = seed;
  const auto base = engine::simulate(test_support::calibrate_json(projected), config);
  const auto quiet = engine::simulate(test_support::calibrate_json(hull_white_deal(1e-10)), config);
  for (std::size_t t = 0; t < base.tranches.size(); ++t) {
    EXPECT_NEAR(quiet.tranches[t].expected_loss, base.tranches[t].expected_loss, 1e-9);
    EXPECT_NEAR(quiet.tranches[t].expected_coupon, base.tranches[t].expected_coupon, 1e-9);
  }
  // With volatility the floor is worth something: the mezzanine's coupon rises above the projected one.
  const auto plan = test_support::calibrate_json(hull_white_deal());
  config.threads = 1;
  const auto one = engine::simulate(plan, config);
  config.threads = 2;
  const auto two = engine::simulate(plan, config);
  EXPECT_EQ(one.tranches[1].expected_coupon, two.tranches[1].expected_coupon);
  EXPECT_EQ(one.tranches[0].expected_loss, two.tranches[0].expected_loss);
  EXPECT_GT(one.tranches[1].expected_coupon,
            base.tranches[1].expected_coupon + 4.0 * one.tranches[1].expected_coupon_stderr);
}

TEST(floating_rate_validation, hull_white_paths_agree_under_every_variance_reduction) {
  const auto plan = test_support::calibrate_json(hull_white_deal());
  engine::SimulationConfig config;
  config.paths = 16384;
  config.seed = seed;
  const auto plain = engine::simulate(plan, config);
  std::vector<std::pair<std::string, engine::SimulationConfig>> variants{
      {"antithetic", config}, {"quasi-random", config}, {"importance", config}};
  variants[0].second.antithetic = true;
  variants[1].second.quasi_random = true;
  variants[2].second.importance_shift = {-0.3, -0.5};
  for (const auto& [name, variant] : variants) {
    const auto results = engine::simulate(plan, variant);
    for (std::size_t t = 0; t < plain.tranches.size(); ++t) {
      const auto &a = plain.tranches[t], &b = results.tranches[t];
      const double se = std::hypot(a.expected_coupon_stderr, b.expected_coupon_stderr);
      test_support::expect_within(name + " expected coupon of " + a.name, b.expected_coupon, a.expected_coupon, se,
                                  seed, 5.0);
      test_support::expect_within(name + " expected loss of " + a.name, b.expected_loss, a.expected_loss,
                                  std::hypot(a.expected_loss_stderr, b.expected_loss_stderr), seed, 5.0);
    }
  }
}

TEST(floating_rate_validation, simulated_bond_prices_and_a_cap_match_the_curve_and_quantlib) {
  // The swapped deal: its Hull-White SOFR is hedged, so its bond prices between payment dates are planned.
  const auto plan = test_support::calibrate_example("blended_2026_swapped.json");
  const auto& index = plan.rates.indices.at(0);
  const auto& w = plan.waterfall;
  const std::size_t paths = 20000, columns = w.dates + 1;
  const double strike = 0.04;
  calibration::PlannedHedge cap{"cap",  deal::HedgeKind::cap, 0, 0, strike, 0.0, std::vector<double>(columns, 1.0),
                                w.dates};
  cap.notional[0] = 0.0;
  // Per date m: the bond price P(t_m, t_{m+4}) seen from the path's state, and the discounted caplet payoff.
  std::vector<Moments> bonds(columns), caplets(columns);
  const auto p = static_cast<std::size_t>(w.frequency_months);
  sample_rates(plan, paths, [&](const scenario::CreditSampler&, const scenario::RateSampler& rates) {
    const auto x = rates.states(0);
    for (std::size_t m = 0; m + 4 < columns; ++m) bonds[m].add(waterfall::date_bond(index, w, m, m + 4, x[m * p]));
    for (std::size_t m = 2; m < columns; ++m)
      caplets[m].add(waterfall::hedge_flow(cap, w, m, rates.fixings()[m]) *
                     index.discount[static_cast<std::size_t>(w.date_month[m])]);
  });
  const double n = static_cast<double>(paths);
  for (std::size_t m = 1; m + 4 < columns; ++m) {
    const double forward = index.discount[static_cast<std::size_t>(w.date_month[m + 4])] /
                           index.discount[static_cast<std::size_t>(w.date_month[m])];
    test_support::expect_within("E[P(t_m, t_m+4)] at date " + std::to_string(m), bonds[m].mean(n), forward,
                                bonds[m].standard_error(n), seed);
  }
  // The caplets after the first, priced by the simulation, against QuantLib's Hull-White zero-bond puts at t0.
  auto later = cap;
  later.notional[1] = 0.0;
  const double analytic = waterfall::hedge_value(later, index, w, 0, 0.0, index.projected);
  double simulated = 0.0, variance = 0.0;
  for (std::size_t m = 2; m < columns; ++m) {
    simulated += caplets[m].mean(n);
    variance += caplets[m].standard_error(n) * caplets[m].standard_error(n);
  }
  // The caplets share paths, so their errors are correlated: summing variances would understate the error; the
  // sum of the errors bounds it.
  double error = 0.0;
  for (std::size_t m = 2; m < columns; ++m) error += caplets[m].standard_error(n);
  EXPECT_GT(analytic, 0.0);
  test_support::expect_within("cap price", simulated, analytic, std::max(error, std::sqrt(variance)), seed);
}

}  // namespace computedebt
