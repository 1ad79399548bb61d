// A path replayed alone equals the same path in a full run, and its trace adds up to the path's values.

#include <computedebt/engine/explain.hpp>
#include <computedebt/engine/simulate.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <numeric>

#include "test_deals.hpp"

using namespace computedebt;

namespace {

calibration::Plan blended() { return test_support::calibrate_example("blended_2026.json"); }

/// The paths on which tranche `t` lost most, worst first.
std::vector<std::uint64_t> worst_paths(const pricing::PathValues& values, std::size_t tranches, std::size_t t,
                                       std::size_t n) {
  std::vector<std::uint64_t> paths(values.portfolio_loss.size());
  std::iota(paths.begin(), paths.end(), 0);
  std::stable_sort(paths.begin(), paths.end(), [&](auto a, auto b) {
    return values.tranche_loss[a * tranches + t] > values.tranche_loss[b * tranches + t];
  });
  paths.resize(n);
  return paths;
}

void expect_replays(const calibration::Plan& plan, engine::SimulationConfig config) {
  config.keep_paths = true;
  const auto results = engine::simulate(plan, config);
  const auto& values = *results.path_values;
  const std::size_t tranches = results.tranches.size();
  auto paths = worst_paths(values, tranches, 0, 3);
  paths.push_back(1);
  paths.push_back(config.paths - 1);
  for (const std::uint64_t path : paths) {
    const auto trace = engine::explain_path(plan, config, path);
    SCOPED_TRACE("path " + std::to_string(path));
    EXPECT_EQ(trace.portfolio_loss, values.portfolio_loss[path]);
    EXPECT_EQ(trace.defaults.size(), values.default_count[path]);
    if (!values.weight.empty()) EXPECT_EQ(trace.weight, values.weight[path]);
    for (std::size_t t = 0; t < tranches; ++t)
      EXPECT_EQ(trace.tranche_loss[t], values.tranche_loss[path * tranches + t]);
    if (!trace.waterfall) continue;
    const auto& w = *trace.waterfall;
    EXPECT_EQ(w.equity_irr, values.equity_irr[path]);
    EXPECT_EQ(w.money_multiple, values.money_multiple[path]);
    EXPECT_EQ(w.collateral_value, values.collateral_value[path]);
    EXPECT_EQ(w.event_of_default.empty(), values.event_of_default[path] == 0);
  }
}

}  // namespace

TEST(explain, a_replayed_path_equals_the_same_path_of_a_full_run) {
  const auto plan = blended();
  engine::SimulationConfig config;
  config.paths = 3000;
  config.seed = 8;
  expect_replays(plan, config);
  config.antithetic = true;
  expect_replays(plan, config);
  config.antithetic = false;
  config.importance_shift.assign(plan.credit.factors, -0.5);
  expect_replays(plan, config);
  config.importance_shift.clear();
  config.quasi_random = true;
  config.paths = 2048;
  expect_replays(plan, config);
}

TEST(explain, loss_tranche_paths_replay_too) {
  const auto plan = test_support::calibrate_json(test_support::homogeneous_pool(40, 0.1, 0.3, 0.4, {{0.0, 0.1}}));
  engine::SimulationConfig config;
  config.paths = 500;
  config.seed = 3;
  expect_replays(plan, config);
  const auto trace = engine::explain_path(plan, config, 0);
  EXPECT_FALSE(trace.waterfall);
  EXPECT_EQ(trace.gpu_dates.size(), 1u);
}

TEST(explain, the_trace_adds_up_to_the_path) {
  const auto plan = blended();
  engine::SimulationConfig config;
  config.paths = 3000;
  config.seed = 8;
  config.keep_paths = true;
  const auto results = engine::simulate(plan, config);
  const std::size_t tranches = results.tranches.size();
  const auto path = worst_paths(*results.path_values, tranches, tranches - 1, 1).front();
  const auto trace = engine::explain_path(plan, config, path);
  ASSERT_TRUE(trace.waterfall);
  const auto& w = *trace.waterfall;
  const auto& p = plan.waterfall;
  ASSERT_GT(trace.tranche_loss[tranches - 1], 0.0) << "the worst mezzanine path loses";
  for (std::size_t t = 0; t < tranches; ++t) {
    // The balance left after the last date, discounted at the coupon, is the tranche's loss; it never exceeds the
    // notional less the principal paid by more than the interest capitalised.
    EXPECT_EQ(trace.tranche_loss[t], w.balance[t].back() * p.at(p.coupon_discount, t, p.dates) / p.notional[t]);
    const double principal = std::accumulate(w.principal[t].begin(), w.principal[t].end(), 0.0);
    EXPECT_GE(w.balance[t].back(), p.notional[t] - principal - 1e-6 * p.notional[t]);
  }
  // Distributions over the equity invested and cured give the money multiple.
  const double distributed = std::accumulate(w.distributions.begin(), w.distributions.end(), 0.0);
  const double cured = std::accumulate(w.cures_paid_in.begin(), w.cures_paid_in.end(), 0.0);
  EXPECT_NEAR(w.money_multiple, distributed / (p.equity_investment + cured), 1e-12);
  // Every date runs its list of steps; what the equity step took is the date's distribution.
  for (std::size_t m = 0; m < w.payment_dates.size(); ++m) {
    double equity = 0.0;
    for (const auto& step : w.steps)
      if (step.date == w.payment_dates[m] && step.step == "equity") equity += step.amount;
    EXPECT_NEAR(equity, w.distributions[m], 1e-6) << w.payment_dates[m];
  }
  EXPECT_FALSE(w.event_of_default.empty()) << "the mezzanine loses after an event of default here";
}

TEST(explain, refuses_a_path_outside_the_run) {
  const auto plan = blended();
  engine::SimulationConfig config;
  config.paths = 100;
  EXPECT_THROW(engine::explain_path(plan, config, 100), InputError);
  EXPECT_NO_THROW(engine::explain_path(plan, config, 99));
}

TEST(explain, a_swapped_floating_path_shows_its_coupons_and_hedge_payments) {
  const auto plan = test_support::calibrate_example("blended_2026_swapped.json");
  engine::SimulationConfig config;
  config.paths = 2048;
  config.seed = 5;
  expect_replays(plan, config);
  const auto trace = engine::explain_path(plan, config, 7);
  ASSERT_TRUE(trace.waterfall);
  const auto& w = *trace.waterfall;
  const auto& p = plan.waterfall;
  // The tranche's loss is its balance discounted at the path's own coupons.
  for (std::size_t t = 0; t < w.tranches.size(); ++t) {
    double discount = 1.0;
    for (std::size_t m = 0; m < w.coupon[t].size(); ++m) discount /= 1.0 + w.coupon[t][m] * p.accrual[m + 1];
    EXPECT_NEAR(trace.tranche_loss[t], w.balance[t].back() * discount / p.notional[t], 1e-12);
  }
  // The first coupon is fixed at t0; later ones move with the path's SOFR.
  EXPECT_EQ(w.coupon[0].front(), p.at(p.coupon, 0, 1));
  EXPECT_NE(w.coupon[0][5], p.at(p.coupon, 0, 6));
  // The swap pays the index less its fixed rate on the senior's scheduled balance.
  ASSERT_EQ(w.hedges, (std::vector<std::string>{"Senior swap", "Mezzanine cap"}));
  const auto& swap = p.hedges[0];
  const double first = swap.notional[1] * p.accrual[1] * (plan.rates.indices[0].projected[1] - swap.rate);
  EXPECT_DOUBLE_EQ(w.hedge_payment[0].front(), first);
  for (double payment : w.hedge_payment[1]) EXPECT_GE(payment, 0.0);  // A cap only pays the SPV.
}
