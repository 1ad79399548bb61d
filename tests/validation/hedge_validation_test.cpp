// Hedges in the waterfall (docs/methodology.md section 5.6), on the swapped example deal: cash is conserved with
// hedge payments and close-outs on every path; a counterparty's default closes the swap out at its payment plus its
// value, recovered at the counterparty's recovery rate or owed in full; the SPV's event of default closes it out at
// its value, which on a projected index is its remaining payments at the forwards.

#include <gtest/gtest.h>

#include <computedebt/scenario/credit_sampler.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>
#include <computedebt/scenario/rate_sampler.hpp>
#include <computedebt/waterfall/cash_waterfall.hpp>
#include <computedebt/waterfall/hedge_value.hpp>

#include <filesystem>
#include <functional>

#include "test_deals.hpp"

namespace computedebt {
namespace {

constexpr std::uint32_t seed = 23;

nlohmann::ordered_json swapped() {
  return io::read_json_file(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026_swapped.json");
}

/// Thin equity, so that events of default come early enough to close the swap out.
void thin_equity(nlohmann::ordered_json& document) {
  auto& structure = document["deal"]["structure"];
  structure["tranches"][0]["notional"] = 1.8e9;
  structure["tranches"][1]["notional"] = 2.7e8;
  structure["equity"]["investment"] = 2.3e8;
}

/// Runs `paths` paths of the plan's waterfall and calls `visit` with each.
void run_paths(const calibration::Plan& plan, std::uint64_t paths,
               const std::function<void(const waterfall::WaterfallPath&)>& visit) {
  scenario::CreditSampler credit(plan);
  scenario::GpuMarketSampler market(plan);
  scenario::RateSampler rates(plan);
  cashflow::CollateralCash collateral(plan);
  waterfall::CashWaterfall waterfall(plan.waterfall, plan.rates);
  const auto& w = plan.waterfall;
  std::vector<int> default_month(plan.credit.names);
  std::vector<double> multipliers(plan.gpu.types * plan.gpu.columns), coupons(w.coupon.size()),
      discount(w.coupon.size());
  for (std::uint64_t path = 0; path < paths; ++path) {
    credit.sample(seed, path, default_month);
    market.sample(seed, path, credit.normals(), multipliers);
    rates.sample(seed, path, market.factor_increments());
    w.fix_coupons(rates.fixings(), coupons, discount);
    collateral.start_path(default_month, credit.defaulted(), multipliers);
    visit(waterfall.run(collateral, {coupons, rates.fixings(), rates.states(), default_month, {}}));
  }
}

/// The swap's remaining payments after date `m` at the forwards, discounted on the index curve to `t_m`.
double payments_at_forwards(const calibration::Plan& plan, std::size_t m) {
  const auto& w = plan.waterfall;
  const auto& swap = w.hedges.at(0);
  const auto& index = plan.rates.indices.at(swap.index);
  double value = 0.0;
  for (std::size_t j = m + 1; j <= swap.end; ++j)
    value += swap.notional[j] * w.accrual[j] * (index.projected[j] - swap.rate) *
             index.discount[static_cast<std::size_t>(w.date_month[j])] /
             index.discount[static_cast<std::size_t>(w.date_month[m])];
  return value;
}

}  // namespace

TEST(hedge_validation, cash_is_conserved_with_hedge_payments_and_close_outs) {
  auto document = swapped();
  thin_equity(document);
  document["assumptions"]["credit"]["hedge_bank"] = {{"hazard_rate", 0.05}};  // Some counterparty defaults too.
  const auto plan = test_support::calibrate_json(document);
  int counterparty_defaults = 0, cap_payments = 0;
  run_paths(plan, 3000, [&](const waterfall::WaterfallPath& path) {
    ASSERT_NEAR(path.collections, test_support::cash_paid_out(path), 1e-9 * path.collections);
    counterparty_defaults += path.hedge_counterparty_default[0];
    for (std::size_t m = 1; m <= plan.waterfall.dates; ++m)
      cap_payments += path.hedge_flow[(plan.waterfall.dates + 1) + m] > 0.0;
  });
  EXPECT_GT(counterparty_defaults, 0);
  EXPECT_GT(cap_payments, 0);
}

TEST(hedge_validation, a_counterparty_default_closes_the_swap_out_at_its_payment_plus_its_value) {
  for (const double fixed_rate : {0.02, 0.05}) {  // The SPV is owed, then owes.
    auto document = swapped();
    auto& hedges = document["deal"]["structure"]["hedges"];
    hedges.erase(1);
    hedges[0]["fixed_rate"] = fixed_rate;
    document["assumptions"]["rate_indices"]["SOFR"].erase("hull_white");
    document["assumptions"]["credit"]["hedge_bank"] = {{"hazard_rate", 10.0}, {"recovery_rate", 0.4}};
    const auto plan = test_support::calibrate_json(document);
    const auto& swap = plan.waterfall.hedges.at(0);
    const auto& index = plan.rates.indices.at(0);
    const auto at_date = [&](std::size_t m) {  // The swap's payment on date m plus its value then.
      return payments_at_forwards(plan, m - 1) *
             index.discount[static_cast<std::size_t>(plan.waterfall.date_month[m - 1])] /
             index.discount[static_cast<std::size_t>(plan.waterfall.date_month[m])];
    };
    const double close_out = at_date(1);
    ASSERT_EQ(close_out > 0.0, fixed_rate < 0.03);
    int checked = 0;
    run_paths(plan, 400, [&](const waterfall::WaterfallPath& path) {
      if (!path.hedge_counterparty_default[0]) return;  // Survived a hazard rate of 10 past the swap's end.
      const std::size_t m = path.hedge_end[0];
      ASSERT_GE(m, 1u);
      EXPECT_NEAR(path.hedge_close_out[0], at_date(m), 1e-6 * std::abs(close_out));
      if (m == 1 && path.event_of_default == 0) {
        // Before it, the swap paid nothing else: the SPV received its recovery, or paid what it owed in full.
        if (close_out > 0.0)
          EXPECT_NEAR(path.hedge_received, swap.recovery_rate * close_out, 1e-6 * close_out);
        else
          EXPECT_NEAR(path.hedge_paid, -close_out, 1e-6 * -close_out);
        ++checked;
      }
    });
    EXPECT_GT(checked, 100) << "fixed rate " << fixed_rate;
  }
}

TEST(hedge_validation, an_event_of_default_closes_the_swap_out_at_its_remaining_payments_at_the_forwards) {
  auto document = swapped();
  thin_equity(document);
  document["assumptions"]["rate_indices"]["SOFR"].erase("hull_white");
  const auto plan = test_support::calibrate_json(document);
  int checked = 0;
  run_paths(plan, 4000, [&](const waterfall::WaterfallPath& path) {
    if (path.hedge_end[0] == 0 || path.hedge_counterparty_default[0]) return;
    const std::size_t m = path.hedge_end[0];
    EXPECT_EQ(m, path.event_of_default);
    EXPECT_NEAR(path.hedge_close_out[0], payments_at_forwards(plan, m), 1e-6 * plan.waterfall.notional[0]);
    ++checked;
  });
  EXPECT_GT(checked, 0);
}

}  // namespace computedebt
