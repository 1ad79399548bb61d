// A hedge's payments and value (docs/methodology.md section 5.6): a swap at its par rate is worth nothing, a swap's
// value is its remaining payments at the forwards, Hull-White bond prices are QuantLib's at the forward-centred
// short rate, and caplets are QuantLib's zero-bond puts.

#include <gtest/gtest.h>

#include <computedebt/waterfall/hedge_value.hpp>

#include <cmath>
#include <filesystem>

#include "calibration/quantlib_bridge.hpp"
#include "test_deals.hpp"

#include <ql/models/shortrate/onefactormodels/hullwhite.hpp>

using namespace computedebt;

namespace {

/// The swapped example deal; `hull_white` keeps its Hull-White SOFR, else the index is projected.
calibration::Plan swapped(bool hull_white) {
  auto document = io::read_json_file(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026_swapped.json");
  if (!hull_white) document["assumptions"]["rate_indices"]["SOFR"].erase("hull_white");
  return test_support::calibrate_json(document);
}

}  // namespace

TEST(hedge_value, a_swap_at_its_par_rate_is_worth_nothing_and_its_value_is_its_payments_at_the_forwards) {
  const auto plan = swapped(false);
  const auto& w = plan.waterfall;
  auto swap = w.hedges.at(0);
  ASSERT_EQ(swap.kind, deal::HedgeKind::swap);
  const auto& index = plan.rates.indices.at(swap.index);
  double floating = 0.0, annuity = 0.0;
  for (std::size_t j = 1; j <= swap.end; ++j) {
    const double bond = waterfall::date_bond(index, w, 0, j, 0.0);
    floating += swap.notional[j] * w.accrual[j] * index.projected[j] * bond;
    annuity += swap.notional[j] * w.accrual[j] * bond;
  }
  swap.rate = floating / annuity;
  EXPECT_NEAR(waterfall::hedge_value(swap, index, w, 0, 0.0, index.projected), 0.0, 1e-12 * annuity);
  // At any date, the value is the remaining payments at the forwards, discounted on the index curve.
  swap.rate = 0.0362;
  for (std::size_t m = 0; m < swap.end; ++m) {
    double expected = 0.0;
    for (std::size_t j = m + 1; j <= swap.end; ++j)
      expected += waterfall::hedge_flow(swap, w, j, index.projected[j]) * waterfall::date_bond(index, w, m, j, 0.0);
    EXPECT_NEAR(waterfall::hedge_value(swap, index, w, m, 0.0, index.projected), expected, 1e-9 * annuity)
        << "date " << m;
  }
}

TEST(hedge_value, hull_white_bond_prices_and_caplets_are_quantlibs) {
  const auto plan = swapped(true);
  const auto& w = plan.waterfall;
  const auto& cap = w.hedges.at(1);
  ASSERT_EQ(cap.kind, deal::HedgeKind::cap);
  const auto& index = plan.rates.indices.at(cap.index);
  ASSERT_TRUE(index.hull_white);
  const auto file = io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026_swapped.json");
  calibration::detail::QuantLibSession session(file.deal.valuation_date);
  const QuantLib::Handle<QuantLib::YieldTermStructure> curve(
      calibration::detail::bootstrap_index_curve(file.deal.valuation_date, file.assumptions.rate_indices.at("SOFR")));
  const QuantLib::HullWhite model(curve, index.mean_reversion, index.volatility);
  for (std::size_t m : {0u, 3u, 10u})
    for (double x : {-0.02, 0.0, 0.015})
      for (std::size_t j = m + 1; j <= w.dates; j += 4) {
        const double r = index.forward[m] + x;
        EXPECT_NEAR(waterfall::date_bond(index, w, m, j, x), model.discountBond(w.date_time[m], w.date_time[j], r),
                    1e-14);
      }
  // At t0 the caplets after the first are QuantLib's zero-bond puts on the curve.
  auto later = cap;
  later.notional[1] = 0.0;
  double expected = 0.0;
  for (std::size_t j = 2; j <= later.end; ++j) {
    const double growth = 1.0 + w.accrual[j] * later.rate;
    expected += later.notional[j] * growth *
                model.discountBondOption(QuantLib::Option::Put, 1.0 / growth, w.date_time[j - 1], w.date_time[j]);
  }
  EXPECT_GT(expected, 0.0);
  EXPECT_NEAR(waterfall::hedge_value(later, index, w, 0, 0.0, index.projected), expected, 1e-9 * expected);
}
