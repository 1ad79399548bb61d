// The Glasserman-Li shift (docs/methodology.md section 7.4) against brute-force maximisations of
// `ln P(L > A | z) - |z|^2 / 2` over grids, with the conditional tail from Boost's binomial distribution (not the
// engine's recursion), and for the Student t copula integrated over `ln W` by composite Gauss-Legendre.

#include <computedebt/analytic/tail_mode.hpp>
#include <computedebt/core/error.hpp>

#include <gtest/gtest.h>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/quadrature/gauss.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>

#include "test_deals.hpp"

using namespace computedebt;

namespace {

/// `P(D >= k)` of `n` names defaulting independently with probability `p`.
double at_least(int n, double p, int k) {
  if (k <= 0) return 1.0;
  if (k > n) return 0.0;
  return cdf(complement(boost::math::binomial(n, std::clamp(p, 0.0, 1.0)), k - 1));
}

/// `q(z) = Phi((c v - sqrt(rho) z) / sqrt(1 - rho))`.
double conditional_pd(double c, double rho, double z, double v = 1.0) {
  return cdf(boost::math::normal(), (c * v - std::sqrt(rho) * z) / std::sqrt(1.0 - rho));
}

/// The maximiser over `[low, high]` on a grid of step `step`, refined on a grid of step `step / 100` around it.
double grid_argmax(const std::function<double(double)>& f, double low, double high, double step) {
  double best_z = low, best = f(low);
  for (const double fine : {step, step / 100}) {
    const double from = fine == step ? low : best_z - step, to = fine == step ? high : best_z + step;
    for (double z = from; z <= to; z += fine)
      if (const double value = f(z); value > best) best = value, best_z = z;
  }
  return best_z;
}

// 125 names, 5-year default probability 5%, correlation 0.3, recovery 0.4: each default loses 0.6 / 125, so
// `L > 0.3` is `D >= 63` and `L > 0.1` is `D >= 21`.
constexpr int names = 125;
constexpr double pd = 0.05, rho = 0.3;

}  // namespace

TEST(tail_mode, one_factor_pool_mode_matches_a_brute_force_grid) {
  const auto plan = test_support::calibrate_example("homogeneous_pool.json");
  const double c = quantile(boost::math::normal(), pd);
  for (const auto& [threshold, k] : {std::pair{0.3, 63}, std::pair{0.1, 21}}) {
    const auto objective = [&](double z) {
      return std::log(at_least(names, conditional_pd(c, rho, z), k)) - z * z / 2;
    };
    const double expected = grid_argmax(objective, -8.0, 2.0, 1e-2);
    const auto mode = analytic::glasserman_li_shift(plan, threshold);
    ASSERT_EQ(mode.shift.size(), 1u);
    ASSERT_EQ(mode.reduced.size(), 1u);
    // One factor loaded positively: the reduced coordinate is `xi` itself.
    EXPECT_NEAR(mode.shift[0], expected, 2e-4) << "threshold " << threshold;
    EXPECT_DOUBLE_EQ(mode.shift[0], mode.reduced[0]);
    EXPECT_NEAR(mode.log_probability, std::log(at_least(names, conditional_pd(c, rho, mode.shift[0]), k)), 1e-9);
  }
}

TEST(tail_mode, student_t_pool_integrates_the_mixing_variable_out) {
  const double nu = 5.0;
  const auto plan =
      test_support::calibrate_json(test_support::homogeneous_pool(names, pd, rho, 0.4, {{0.3, 1.0}}, "student_t", nu));
  const double c = quantile(boost::math::students_t(nu), pd);
  // Composite 20-point Gauss-Legendre over `y = ln W` on [-12, 6], pieces 0.25 wide.
  using rule = boost::math::quadrature::gauss<double, 20>;
  std::vector<std::pair<double, double>> mixing;  // (v, weight)
  const double log_norm = std::lgamma(nu / 2) + nu / 2 * std::numbers::ln2;
  for (double from = -12.0; from < 6.0; from += 0.25)
    for (std::size_t i = 0; i < rule::abscissa().size(); ++i)
      for (const double sign : {-1.0, 1.0}) {
        const double y = from + 0.125 + sign * rule::abscissa()[i] * 0.125;
        mixing.emplace_back(std::sqrt(std::exp(y) / nu),
                            rule::weights()[i] * 0.125 * std::exp(nu / 2 * y - std::exp(y) / 2 - log_norm));
      }
  const auto objective = [&](double z) {
    double tail = 0.0;
    for (const auto& [v, weight] : mixing) tail += weight * at_least(names, conditional_pd(c, rho, z, v), 63);
    return std::log(tail) - z * z / 2;
  };
  const double expected = grid_argmax(objective, -6.0, 2.0, 1e-2);
  const auto mode = analytic::glasserman_li_shift(plan, 0.3);
  EXPECT_NEAR(mode.shift[0], expected, 2e-4);
  // No point of the grid beats the mode found.
  EXPECT_GE(objective(mode.shift[0]), objective(expected) - 1e-9);
}

TEST(tail_mode, the_shift_of_a_pool_loading_on_a_correlated_factor_follows_its_direction_in_xi) {
  // The same pool loading on the second of two factors with correlation 0.5: `Z_b = 0.5 xi_0 + sqrt(0.75) xi_1`,
  // so the mode moves `xi` along (0.5, sqrt(0.75)) by the one-factor mode.
  auto document = test_support::homogeneous_pool(names, pd, rho, 0.4, {{0.3, 1.0}});
  document["assumptions"]["factors"] = {{"names", {"a", "b"}}, {"correlation", {{1.0, 0.5}, {0.5, 1.0}}}};
  document["assumptions"]["sectors"]["pool"]["factor_loadings"] = {{"b", std::sqrt(rho)}};
  const auto one = analytic::glasserman_li_shift(
      test_support::calibrate_json(test_support::homogeneous_pool(names, pd, rho, 0.4, {{0.3, 1.0}})), 0.3);
  const auto two = analytic::glasserman_li_shift(test_support::calibrate_json(document), 0.3);
  ASSERT_EQ(two.shift.size(), 2u);
  EXPECT_NEAR(two.shift[0], 0.5 * one.shift[0], 1e-6);
  EXPECT_NEAR(two.shift[1], std::sqrt(0.75) * one.shift[0], 1e-6);
}

TEST(tail_mode, two_directions_reach_the_maximum_of_a_two_dimensional_grid) {
  // Two halves of the pool loading on two independent factors, 0.6 and 0.4 of the variance: the conditional
  // default count is the sum of two binomials, convolved here directly.
  auto document = test_support::homogeneous_pool(60, pd, rho, 0.4, {{0.15, 1.0}});
  document["assumptions"]["factors"] = {{"names", {"a", "b"}}, {"correlation", {{1.0, 0.0}, {0.0, 1.0}}}};
  document["assumptions"]["sectors"] = {
      {"pool", {{"factor_loadings", {{"a", std::sqrt(0.6)}}}, {"recovery_rate", 0.4}}},
      {"other", {{"factor_loadings", {{"b", std::sqrt(0.4)}}}, {"recovery_rate", 0.4}}}};
  for (int i = 30; i < 60; ++i) document["deal"]["counterparties"][i]["sector"] = "other";
  const auto plan = test_support::calibrate_json(document);
  const double c = quantile(boost::math::normal(), pd);
  // `L > 0.155` with 0.6 / 60 per default: `D >= 16`.
  const auto objective = [&](double za, double zb) {
    const boost::math::binomial a(30, conditional_pd(c, 0.6, za));
    const double qb = conditional_pd(c, 0.4, zb);
    double tail = 0.0;
    for (int da = 0; da <= 30; ++da) tail += pdf(a, da) * at_least(30, qb, 16 - da);
    return std::log(tail) - (za * za + zb * zb) / 2;
  };
  // A grid of step 0.05, then one of step 0.002 around its best point.
  double best = -INFINITY, best_a = -5.0, best_b = -5.0;
  for (const double step : {0.05, 0.002}) {
    const double from_a = step == 0.05 ? -5.0 : best_a - 0.05, from_b = step == 0.05 ? -5.0 : best_b - 0.05;
    const double to_a = step == 0.05 ? 1.0 : best_a + 0.05, to_b = step == 0.05 ? 1.0 : best_b + 0.05;
    for (double za = from_a; za <= to_a; za += step)
      for (double zb = from_b; zb <= to_b; zb += step)
        if (const double value = objective(za, zb); value > best) best = value, best_a = za, best_b = zb;
  }
  const auto mode = analytic::glasserman_li_shift(plan, 0.155);
  ASSERT_EQ(mode.shift.size(), 2u);
  EXPECT_NEAR(mode.shift[0], best_a, 0.002);
  EXPECT_NEAR(mode.shift[1], best_b, 0.002);
  EXPECT_GE(objective(mode.shift[0], mode.shift[1]), best - 1e-9);
}

TEST(tail_mode, applies_only_where_the_conditional_model_holds) {
  EXPECT_TRUE(analytic::conditional_model_applies(test_support::calibrate_example("homogeneous_pool.json")));
  EXPECT_FALSE(analytic::conditional_model_applies(test_support::calibrate_example("blended_2026.json")));
  // Four sectors on four independent factors: four directions, one more than the quadrature takes.
  auto document = test_support::homogeneous_pool(8, pd, rho, 0.4, {{0.1, 1.0}});
  document["assumptions"]["factors"] = {
      {"names", {"a", "b", "c", "d"}},
      {"correlation", {{1.0, 0.0, 0.0, 0.0}, {0.0, 1.0, 0.0, 0.0}, {0.0, 0.0, 1.0, 0.0}, {0.0, 0.0, 0.0, 1.0}}}};
  nlohmann::ordered_json sectors = nlohmann::ordered_json::object();
  for (int s = 0; s < 4; ++s) {
    const std::string factor(1, static_cast<char>('a' + s)), sector = "s" + factor;
    sectors[sector] = {{"factor_loadings", {{factor, 0.5}}}, {"recovery_rate", 0.4}};
    document["deal"]["counterparties"][2 * s]["sector"] = sector;
    document["deal"]["counterparties"][2 * s + 1]["sector"] = sector;
  }
  document["assumptions"]["sectors"] = sectors;
  EXPECT_FALSE(analytic::conditional_model_applies(test_support::calibrate_json(document)));
}

TEST(tail_mode, a_threshold_the_pool_cannot_exceed_is_an_input_error) {
  // Recovery 0.8: the pool loses at most 20%.
  const auto plan = test_support::calibrate_json(test_support::homogeneous_pool(20, pd, rho, 0.8, {{0.3, 1.0}}));
  try {
    analytic::glasserman_li_shift(plan, 0.3);
    FAIL() << "expected an input error";
  } catch (const InputError& error) {
    EXPECT_EQ(error.problems().front().path, "importance_target");
  }
}
