// Rate indices on the grid (docs/methodology.md section 5.5): QuantLib's bootstrapped curve reprices the quotes, the
// plan's projected fixings are its forwards, and the Hull-White bond coefficients are QuantLib's.

#include <gtest/gtest.h>
#include <computedebt/calibration/month_grid.hpp>
#include <computedebt/calibration/rate_plan.hpp>

#include <cmath>

#include "calibration/quantlib_bridge.hpp"

#include <ql/indexes/ibor/estr.hpp>
#include <ql/indexes/ibor/sofr.hpp>
#include <ql/indexes/ibor/sonia.hpp>
#include <ql/instruments/makeois.hpp>
#include <ql/models/shortrate/onefactormodels/hullwhite.hpp>
#include <ql/time/daycounters/actual360.hpp>

using namespace computedebt;
using namespace std::chrono;

namespace {

const Date t0 = year{2026} / January / 2;

assumptions::RateIndex sofr(std::optional<assumptions::HullWhiteModel> model = std::nullopt) {
  assumptions::RateIndex index;
  index.deposits = {{{1, false}, 0.0370}, {{3, false}, 0.0368}};
  index.ois_swaps = {{{6, false}, 0.0366}, {{1, true}, 0.0360}, {{2, true}, 0.0356}, {{3, true}, 0.0359},
                     {{5, true}, 0.0371},  {{7, true}, 0.0386}, {{10, true}, 0.0403}};
  index.hull_white = std::move(model);
  return index;
}

calibration::RatePlan plan(const assumptions::RateIndex& index, int months = 120, int frequency = 3) {
  assumptions::Assumptions assumptions;
  assumptions.rate_indices["SOFR"] = index;
  return calibration::plan_rates(calibration::make_month_grid(t0, months), frequency, {"SOFR", "SOFR"}, {"SOFR"},
                                 assumptions);
}

}  // namespace

TEST(rate_plan, the_curve_reprices_every_deposit_and_swap_under_each_conventions) {
  using namespace QuantLib;
  using assumptions::OvernightIndex;
  for (const auto conventions : {OvernightIndex::sofr, OvernightIndex::sonia, OvernightIndex::estr}) {
    calibration::detail::QuantLibSession session(t0);
    auto index = sofr();
    index.conventions = conventions;
    const Handle<YieldTermStructure> curve(calibration::detail::bootstrap_index_curve(t0, index));
    ext::shared_ptr<QuantLib::OvernightIndex> overnight = ext::make_shared<Sofr>(curve);
    if (conventions == OvernightIndex::sonia) overnight = ext::make_shared<Sonia>(curve);
    if (conventions == OvernightIndex::estr) overnight = ext::make_shared<Estr>(curve);
    const Natural settlement = conventions == OvernightIndex::sonia ? 0 : 2;
    for (const auto& deposit : index.deposits) {
      const auto start = overnight->fixingCalendar().advance(calibration::detail::to_quantlib(t0),
                                                             static_cast<Integer>(overnight->fixingDays()), Days);
      const auto end = overnight->fixingCalendar().advance(start, deposit.tenor.length, Months, ModifiedFollowing);
      const double simple =
          (curve->discount(start) / curve->discount(end) - 1.0) / overnight->dayCounter().yearFraction(start, end);
      EXPECT_NEAR(simple, deposit.rate, 1e-12) << overnight->name() << " " << deposit.tenor.months() << " months";
    }
    for (const auto& swap : index.ois_swaps) {
      const ext::shared_ptr<OvernightIndexedSwap> ois =
          MakeOIS(Period(swap.tenor.length, swap.tenor.in_years ? Years : Months), overnight)
              .withSettlementDays(settlement);
      EXPECT_NEAR(ois->fairRate(), swap.rate, 1e-10) << overnight->name() << " " << swap.tenor.months() << " months";
    }
  }
}

TEST(rate_plan, a_projected_index_fixes_at_its_forwards_and_is_planned_once) {
  const auto rates = plan(sofr());
  ASSERT_EQ(rates.indices.size(), 1u);
  EXPECT_FALSE(rates.hull_white);
  const auto& index = rates.indices[0];
  const auto grid = calibration::make_month_grid(t0, 120);
  ASSERT_EQ(index.projected.size(), 41u);
  for (std::size_t m = 1; m <= 40; ++m) {
    const double alpha = calibration::year_fraction(grid.dates[3 * m - 3], grid.dates[3 * m]);
    EXPECT_DOUBLE_EQ(1.0 + alpha * index.projected[m], index.discount[3 * m - 3] / index.discount[3 * m]);
  }
  // Quotes near 3.6-4%: so are the forwards.
  for (std::size_t m = 1; m <= 40; ++m) EXPECT_GT(index.projected[m], 0.03);
}

TEST(rate_plan, hull_white_bond_prices_are_quantlibs) {
  const assumptions::HullWhiteModel model{0.05, 0.012, {}};
  const auto rates = plan(sofr(model));
  ASSERT_TRUE(rates.hull_white);
  EXPECT_FALSE(rates.needs_factor_paths);
  const auto& index = rates.indices[0];
  calibration::detail::QuantLibSession session(t0);
  const QuantLib::Handle<QuantLib::YieldTermStructure> curve(calibration::detail::bootstrap_index_curve(t0, sofr()));
  const QuantLib::HullWhite hull_white(curve, model.mean_reversion, model.volatility);
  const auto grid = calibration::make_month_grid(t0, 120);
  for (std::size_t m = 1; m <= 40; ++m)
    for (double r : {-0.01, 0.0, 0.035, 0.08}) {
      const double start = grid.times[3 * m - 3], end = grid.times[3 * m];
      EXPECT_NEAR(index.bond_a[m] * std::exp(-index.bond_b[m] * r), hull_white.discountBond(start, end, r), 1e-14);
    }
  for (std::size_t m = 0; m <= 40; ++m) {
    const double t = grid.times[3 * m];
    EXPECT_DOUBLE_EQ(index.forward[m], curve->forwardRate(t, t, QuantLib::Continuous, QuantLib::NoFrequency));
    EXPECT_NEAR(index.variance[m],
                model.volatility * model.volatility * (1.0 - std::exp(-2.0 * model.mean_reversion * t)) /
                    (2.0 * model.mean_reversion),
                1e-16);
  }
}

TEST(rate_plan, with_vanishing_volatility_hull_white_fixes_at_the_forwards) {
  const auto rates = plan(sofr(assumptions::HullWhiteModel{0.05, 1e-12, {}}));
  const auto& index = rates.indices[0];
  const auto grid = calibration::make_month_grid(t0, 120);
  for (std::size_t m = 1; m <= 40; ++m) {
    const double alpha = calibration::year_fraction(grid.dates[3 * m - 3], grid.dates[3 * m]);
    const double r = index.forward[m - 1] - index.bond_b[m] * index.variance[m - 1];
    const double bond = index.bond_a[m] * std::exp(-index.bond_b[m] * r);
    EXPECT_NEAR((1.0 / bond - 1.0) / alpha, index.projected[m], 1e-12);
  }
}
