#include <gtest/gtest.h>
#include <computedebt/calibration/survival_curve.hpp>

#include <cmath>

#include "calibration/quantlib_bridge.hpp"

#include <ql/instruments/makecds.hpp>
#include <ql/pricingengines/credit/midpointcdsengine.hpp>
#include <ql/termstructures/credit/defaultprobabilityhelpers.hpp>
#include <ql/termstructures/credit/flathazardrate.hpp>
#include <ql/time/daycounters/actual360.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>

using namespace computedebt;
using namespace std::chrono;

namespace {
const Date t0 = year{2026} / January / 31;
}

TEST(survival_curve, rating_curve_comes_back_at_its_tenors) {
  const auto grid = calibration::make_month_grid(t0, 180);
  const auto& table = calibration::sp_global_corporate_default_rates();
  for (int r = 0; r < deal::rating_count; ++r) {
    const auto rating = static_cast<deal::Rating>(r);
    const auto survival = calibration::survival_from_rating(grid, rating, table);
    EXPECT_EQ(survival[0], 1.0);
    for (std::size_t n = 1; n <= 10; ++n)
      EXPECT_NEAR(survival[12 * n], 1.0 - table.default_probability(rating, n - 1), 1e-15)
          << deal::to_string(rating) << " year " << n;
  }
}

TEST(survival_curve, rating_curve_is_log_linear_between_nodes_and_continues_the_last_hazard) {
  const auto grid = calibration::make_month_grid(t0, 180);
  const auto& table = calibration::sp_global_corporate_default_rates();
  const auto survival = calibration::survival_from_rating(grid, deal::Rating::B, table);
  // Month 18 lies between the 1- and 2-year nodes.
  const double w = (grid.times[18] - grid.times[12]) / (grid.times[24] - grid.times[12]);
  EXPECT_NEAR(std::log(survival[18]), (1 - w) * std::log(survival[12]) + w * std::log(survival[24]), 1e-14);
  // Beyond 10 years the hazard of year 10 continues.
  const double last_hazard = -std::log(survival[120] / survival[108]) / (grid.times[120] - grid.times[108]);
  EXPECT_NEAR(survival[180], survival[120] * std::exp(-last_hazard * (grid.times[180] - grid.times[120])), 1e-14);
}

TEST(survival_curve, flat_hazard_matches_quantlib) {
  const auto grid = calibration::make_month_grid(t0, 72);
  const auto survival = calibration::survival_from_hazard(grid, 0.035);
  calibration::detail::QuantLibSession session(t0);
  const QuantLib::FlatHazardRate curve(calibration::detail::to_quantlib(t0), 0.035, QuantLib::Actual365Fixed());
  for (std::size_t k = 0; k < grid.dates.size(); ++k)
    EXPECT_NEAR(survival[k], curve.survivalProbability(calibration::detail::to_quantlib(grid.dates[k])), 1e-15);
}

TEST(survival_curve, default_probability_is_met_exactly_at_its_horizon) {
  const auto grid = calibration::make_month_grid(t0, 120);
  const auto survival = calibration::survival_from_default_probability(grid, 0.05, 5.0);
  EXPECT_NEAR(1.0 - survival[60], 0.05, 1e-15);
  // A horizon beyond the grid still sets the hazard from that horizon's grid date.
  const auto short_grid = calibration::make_month_grid(t0, 12);
  const auto short_survival = calibration::survival_from_default_probability(short_grid, 0.05, 5.0);
  EXPECT_NEAR(short_survival[12], survival[12], 1e-15);
}

TEST(survival_curve, pd_multiplier_raises_survival_to_its_power) {
  const auto grid = calibration::make_month_grid(t0, 24);
  auto survival = calibration::survival_from_hazard(grid, 0.02);
  calibration::apply_pd_multiplier(survival, 3.0);
  const auto tripled = calibration::survival_from_hazard(grid, 0.06);
  for (std::size_t k = 0; k < survival.size(); ++k) EXPECT_NEAR(survival[k], tripled[k], 1e-15);
}

namespace {

assumptions::CdsSpreads sample_quotes() {
  assumptions::CdsSpreads cds;
  cds.quotes = {{{6, false}, 310.0}, {{1, true}, 330.0}, {{3, true}, 420.0}, {{5, true}, 480.0}, {{7, true}, 500.0}};
  cds.cds_recovery = 0.4;
  return cds;
}

const assumptions::DiscountCurve zero_curve =
    assumptions::ZeroCurve{{0.5, 1, 2, 5, 10}, {0.037, 0.036, 0.035, 0.037, 0.04}};

}  // namespace

TEST(cds_bootstrap, reprices_its_input_spreads_to_a_hundredth_of_a_basis_point) {
  const auto cds = sample_quotes();
  calibration::detail::QuantLibSession session(t0);
  const QuantLib::Handle<QuantLib::YieldTermStructure> discount(
      calibration::detail::make_discount_curve(t0, zero_curve));
  const auto bootstrap = calibration::detail::bootstrap_cds_curve(t0, cds, discount);
  const QuantLib::Handle<QuantLib::DefaultProbabilityTermStructure> probability(bootstrap.curve);
  auto engine = QuantLib::ext::make_shared<QuantLib::MidPointCdsEngine>(probability, cds.cds_recovery, discount);
  QuantLib::DayCounter act360 = QuantLib::Actual360(), act360_last = QuantLib::Actual360(true);
  for (const auto& quote : cds.quotes) {
    // An independent standard swap traded at t0, priced on the bootstrapped curve. Its protection starts a
    // day after the bootstrap's (t0 + 1 rather than t0), worth a few thousandths of a basis point.
    const QuantLib::Period tenor(quote.tenor.length, quote.tenor.in_years ? QuantLib::Years : QuantLib::Months);
    QuantLib::ext::shared_ptr<QuantLib::CreditDefaultSwap> swap =
        QuantLib::MakeCreditDefaultSwap(tenor, quote.spread_bp / 1e4)
            .withDateGenerationRule(QuantLib::DateGeneration::CDS2015)
            .withDayCounter(act360)
            .withLastPeriodDayCounter(act360_last)
            .withCashSettlementDays(0)
            .withPricingEngine(engine);
    EXPECT_NEAR(swap->fairSpread() * 1e4, quote.spread_bp, 0.05)
        << quote.tenor.length << (quote.tenor.in_years ? "Y" : "M");
  }
  // The bootstrap's own swaps, with exactly its conventions, reprice to a hundredth of a basis point.
  ASSERT_EQ(bootstrap.helpers.size(), cds.quotes.size());
  for (std::size_t i = 0; i < cds.quotes.size(); ++i)
    EXPECT_NEAR(bootstrap.helpers[i]->impliedQuote() * 1e4, cds.quotes[i].spread_bp, 0.01) << i;
}

TEST(cds_bootstrap, grid_curve_is_the_quantlib_curve_sampled_and_obeys_the_credit_triangle) {
  const auto grid = calibration::make_month_grid(t0, 120);
  assumptions::CdsSpreads flat;
  flat.quotes = {{{1, true}, 300.0}, {{3, true}, 300.0}, {{5, true}, 300.0}};
  flat.cds_recovery = 0.4;
  const auto survival = calibration::survival_from_cds(grid, flat, zero_curve);
  EXPECT_EQ(survival[0], 1.0);
  // Flat spreads: hazard about s / (1 - R) = 5% a year.
  const double hazard = -std::log(survival[60]) / grid.times[60];
  EXPECT_NEAR(hazard, 0.03 / 0.6, 0.002);
  for (std::size_t k = 1; k < survival.size(); ++k) EXPECT_LT(survival[k], survival[k - 1]);
}

TEST(cds_bootstrap, refuses_quotes_that_no_curve_reprices) {
  const auto grid = calibration::make_month_grid(t0, 60);
  assumptions::CdsSpreads impossible;
  // A very high short spread then a tiny long one needs a negative hazard rate.
  impossible.quotes = {{{1, true}, 5000.0}, {{5, true}, 1.0}};
  EXPECT_THROW(calibration::survival_from_cds(grid, impossible, zero_curve), std::exception);
}
