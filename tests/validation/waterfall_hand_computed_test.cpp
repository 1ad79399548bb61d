// A deal with no randomness (no defaults, no GPU volatility or jumps) whose flows are computed here by hand
// from docs/methodology.md sections 4-6, independently of the library, and compared to the cent.

#include <gtest/gtest.h>

#include <computedebt/engine/simulate.hpp>

#include <array>
#include <cmath>
#include <numeric>

#include "test_deals.hpp"

namespace computedebt {
namespace {

/// The flows of each quarter, by hand.
struct Quarter {
  double fees, senior_interest, senior_principal, junior_interest, junior_principal, equity;
};

std::array<Quarter, 4> flows_by_hand() {
  // Days of each month of 2026; the lease covers 14 days of October.
  const std::array<double, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::array<double, 12> leased = days;
  leased[9] = 14;
  leased[10] = leased[11] = 0;
  std::array<double, 4> net{};
  for (int k = 0; k < 12; ++k) {
    const double contract = 24 * leased[k] * 100 * 1.0;
    const double contract_power = 1.0 * 1.5 * 24 * leased[k] * 100 * 0.1;
    const double spot_gpus = 100 * (1 - leased[k] / days[k]);
    const double spot = spot_gpus * 0.5 * (1 - 0.2) * 1.5 * 24 * days[k];
    const double spot_power = spot_gpus * 0.5 * 1.0 * 1.5 * 24 * days[k] * 0.1;
    net[k / 3] += contract + spot - contract_power - spot_power - 100 * 10.0;
  }
  // The fleet is sold at t_K = 2027-01-01, one year old: 10000 exp(-0.5) each, less the 25% haircut.
  net[3] += 100 * 10000 * std::exp(-0.5) * 0.75;

  const std::array<double, 4> alpha{90 / 365.0, 91 / 365.0, 92 / 365.0, 92 / 365.0};
  std::array<Quarter, 4> quarters{};
  double senior = 500000, junior = 200000, reserve = 5000;
  for (int m = 0; m < 4; ++m) {
    Quarter& q = quarters[m];
    double cash = net[m];
    if (m == 3) cash += reserve, reserve = 0;  // the reserve joins the collection account on the final date
    q.fees = 4000 * alpha[m];
    q.senior_interest = senior * 0.08 * alpha[m];
    q.junior_interest = junior * 0.12 * alpha[m];
    cash -= q.fees + q.senior_interest + q.junior_interest;
    if (m < 3) {
      const double target = 0.25 * 0.08 * senior;  // three months of senior interest on the opening balance
      cash -= target - reserve;
      reserve = target;
    }
    q.senior_principal = 125000;  // level over 12 months: a quarter of the notional each date
    q.junior_principal = m == 3 ? 200000 : 0;
    senior -= q.senior_principal;
    junior -= q.junior_principal;
    q.equity = cash - q.senior_principal - q.junior_principal;
  }
  return quarters;
}

TEST(waterfall_by_hand, tranche_and_equity_flows_match_to_the_cent) {
  const auto plan = test_support::calibrate_json(test_support::single_lease_deal());
  engine::SimulationConfig config;
  config.paths = 2048;
  const auto results = engine::simulate(plan, config);
  const auto quarters = flows_by_hand();
  ASSERT_EQ(results.tranches.size(), 2u);
  const auto& senior = results.tranches[0];
  const auto& junior = results.tranches[1];
  const auto& w = *results.waterfall;
  ASSERT_EQ(w.payment_dates, (std::vector<std::string>{"2026-04-01", "2026-07-01", "2026-10-01", "2027-01-01"}));
  for (std::size_t m = 0; m < 4; ++m) {
    SCOPED_TRACE(m);
    EXPECT_NEAR(senior.expected_interest[m], quarters[m].senior_interest, 0.005);
    EXPECT_NEAR(senior.expected_principal[m], quarters[m].senior_principal, 0.005);
    EXPECT_NEAR(junior.expected_interest[m], quarters[m].junior_interest, 0.005);
    EXPECT_NEAR(junior.expected_principal[m], quarters[m].junior_principal, 0.005);
    EXPECT_NEAR(w.equity.expected_distributions[m], quarters[m].equity, 0.005);
  }
  EXPECT_EQ(senior.expected_loss, 0.0);
  EXPECT_EQ(senior.default_probability, 0.0);
  EXPECT_EQ(junior.expected_loss, 0.0);
  EXPECT_EQ(w.events_of_default.probability, 0.0);

  // WAL: the senior repays a quarter at each date, the junior all at the last.
  const double senior_wal = (90 + 181 + 273 + 365) / 365.0 / 4;
  EXPECT_NEAR(senior.wal_years, senior_wal, 1e-12);
  EXPECT_NEAR(junior.wal_years, 1.0, 1e-12);
  EXPECT_EQ(senior.fair_spread_bp, 0.0);

  // The equity IRR solves -300000 + sum D_m (1 + IRR)^-t_m = 0; bisection here, Newton in the library.
  const std::array<double, 4> times{90 / 365.0, 181 / 365.0, 273 / 365.0, 1.0};
  const auto pv = [&](double irr) {
    double value = -300000;
    for (int m = 0; m < 4; ++m) value += quarters[m].equity * std::pow(1 + irr, -times[m]);
    return value;
  };
  double low = -0.99, high = 10;
  for (int i = 0; i < 200; ++i) (pv(0.5 * (low + high)) > 0 ? low : high) = 0.5 * (low + high);
  EXPECT_NEAR(w.equity.irr_mean, low, 1e-9);
  double distributed = 0;
  for (const auto& q : quarters) distributed += q.equity;
  EXPECT_NEAR(w.equity.money_multiple, distributed / 300000, 1e-12);
  EXPECT_NEAR(w.collateral_value_at_maturity, 100 * 10000 * std::exp(-0.5), 1e-6);
}

}  // namespace
}  // namespace computedebt
