// GPU market multipliers against their closed forms: mean, log-variance and correlation with the factors,
// with and without obsolescence jumps; and the bridge that ties the factor paths to the copula factors.

#include <computedebt/scenario/credit_sampler.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>

#include <boost/math/distributions/poisson.hpp>

#include "test_deals.hpp"
#include "validation/statistical.hpp"

using namespace computedebt;

namespace {

/// A one-contract deal with two GPU types on two factors correlated 0.5: "H100" diffuses (sigma 0.3, loading
/// 0.6 on f1), "B200" also jumps (lambda 0.5 a year, size 0.2) and has a launch of 0.1 in month 13.
nlohmann::ordered_json gpu_deal() {
  return {{"format_version", 1},
          {"deal",
           {{"name", "gpus"},
            {"valuation_date", "2026-01-01"},
            {"counterparties", {{{"id", "a"}, {"rating", "BB"}}}},
            {"gpu_types",
             {{{"id", "H100"}, {"purchase_price", 27500}, {"power_kw", 0.7}},
              {{"id", "B200"}, {"purchase_price", 42500}, {"power_kw", 1.0}}}},
            {"contracts",
             {{{"id", "c"},
               {"counterparty", "a"},
               {"notional", 1.0},
               {"start_date", "2026-01-01"},
               {"end_date", "2031-01-01"}}}},
            {"structure",
             {{"type", "loss_tranches"},
              {"horizon_years", 3},
              {"tranches", {{{"name", "all"}, {"attachment", 0.0}, {"detachment", 1.0}}}}}}}},
          {"assumptions",
           {{"discount_curve", {{"type", "flat"}, {"rate", 0.03}}},
            {"factors", {{"names", {"f1", "f2"}}, {"correlation", {{1.0, 0.5}, {0.5, 1.0}}}}},
            {"gpu_market",
             {{"H100",
               {{"residual_value", {{"annual_decline", 0.25}}},
                {"rent", {{"initial_per_gpu_hour", 2.2}, {"annual_decline", 0.15}}},
                {"volatility", 0.3},
                {"factor_loadings", {{"f1", 0.6}}},
                {"initial_multiplier", 0.9}}},
              {"B200",
               {{"residual_value", {{"annual_decline", 0.25}}},
                {"rent", {{"initial_per_gpu_hour", 3.5}, {"annual_decline", 0.18}}},
                {"volatility", 0.2},
                {"factor_loadings", {{"f2", 0.5}}},
                {"obsolescence",
                 {{"jump_intensity", 0.5},
                  {"jump_size", 0.2},
                  {"launches", {{{"date", "2027-01-15"}, {"jump_size", 0.1}}}}}}}}}}}}};
}

struct Moments {
  double n = 0, sum = 0, sum_sq = 0;
  void add(double x) {
    ++n;
    sum += x;
    sum_sq += x * x;
  }
  double mean() const { return sum / n; }
  double variance() const { return sum_sq / n - mean() * mean(); }
};

}  // namespace

TEST(gpu_market, multipliers_match_their_closed_forms) {
  const auto plan = test_support::calibrate_json(gpu_deal());
  scenario::CreditSampler credit(plan);
  scenario::GpuMarketSampler market(plan);
  const std::size_t K = static_cast<std::size_t>(plan.grid.months()), columns = K + 1;
  const double T = plan.grid.times[K];
  std::vector<int> months(plan.credit.names);
  std::vector<double> m(plan.gpu.types * columns);
  Moments h100_level, h100_log, b200_level_12, b200_level_end, b200_log, z1, z2;
  double h100_z1 = 0, h100_z2 = 0;
  const std::uint32_t seed = 17;
  const std::uint64_t paths = 60000;
  for (std::uint64_t path = 0; path < paths; ++path) {
    credit.sample(seed, path, months);
    market.sample(seed, path, credit.normals(), m);
    const auto z = credit.factors();
    const double log_h100 = std::log(m[K] / 0.9);
    h100_level.add(m[K]);
    h100_log.add(log_h100);
    b200_level_12.add(m[columns + 12]);
    b200_level_end.add(m[columns + K]);
    b200_log.add(std::log(m[columns + K]));
    z1.add(z[0]);
    z2.add(z[1]);
    h100_z1 += log_h100 * z[0];
    h100_z2 += log_h100 * z[1];
  }
  const double n = static_cast<double>(paths);
  // E[M(t)] = M0 times the launches so far; the jumps are compensated.
  test_support::expect_within("E[M_H100(T)]", h100_level.mean(), 0.9, std::sqrt(h100_level.variance() / n), seed);
  test_support::expect_within("E[M_B200(t_12)]", b200_level_12.mean(), 1.0, std::sqrt(b200_level_12.variance() / n),
                              seed);
  test_support::expect_within("E[M_B200(T)] after the launch", b200_level_end.mean(), 0.9,
                              std::sqrt(b200_level_end.variance() / n), seed);
  // Var[ln M(T)] = sigma^2 T (+ lambda T ln(1 - J)^2 with jumps); the variance's s.e. is about var sqrt(2 / n).
  const double h100_variance = 0.09 * T;
  test_support::expect_within("Var[ln M_H100(T)]", h100_log.variance(), h100_variance,
                              h100_variance * std::sqrt(2.0 / n), seed);
  const double b200_variance = 0.04 * T + 0.5 * T * std::pow(std::log(0.8), 2);
  test_support::expect_within("Var[ln M_B200(T)]", b200_log.variance(), b200_variance,
                              b200_variance * std::sqrt(3.0 / n), seed);
  // Corr(ln M(T), Z_f) = (Sigma a)_f sigma sqrt(T) / sd(ln M): 0.6 with f1 and 0.3 with f2 for the H100.
  const auto correlation = [&](double cross, const Moments& x, const Moments& z) {
    return (cross / n - x.mean() * z.mean()) / std::sqrt(x.variance() * z.variance());
  };
  test_support::expect_within("Corr(ln M_H100, Z_1)", correlation(h100_z1, h100_log, z1), 0.6,
                              (1 - 0.36) / std::sqrt(n), seed);
  test_support::expect_within("Corr(ln M_H100, Z_2)", correlation(h100_z2, h100_log, z2), 0.3,
                              (1 - 0.09) / std::sqrt(n), seed);
}

TEST(gpu_market, factor_paths_end_at_the_copula_factors) {
  const auto plan = test_support::calibrate_json(gpu_deal());
  scenario::CreditSampler credit(plan);
  scenario::GpuMarketSampler market(plan);
  const std::size_t K = static_cast<std::size_t>(plan.grid.months());
  std::vector<int> months(plan.credit.names);
  std::vector<double> m(plan.gpu.types * (K + 1));
  for (std::uint64_t path = 0; path < 20; ++path) {
    credit.sample(3, path, months);
    market.sample(3, path, credit.normals(), m);
    for (std::size_t f = 0; f < 2; ++f) {
      double end = 0.0;
      for (std::size_t k = 0; k < K; ++k) end += market.factor_increments()[k * 2 + f];
      EXPECT_NEAR(end, std::sqrt(plan.grid.times[K]) * credit.factors()[f], 1e-12);
    }
  }
}

TEST(gpu_market, without_volatility_or_jumps_the_multiplier_is_deterministic) {
  auto document = gpu_deal();
  document["assumptions"]["gpu_market"]["H100"]["volatility"] = 0.0;
  const auto plan = test_support::calibrate_json(document);
  scenario::CreditSampler credit(plan);
  scenario::GpuMarketSampler market(plan);
  const std::size_t K = static_cast<std::size_t>(plan.grid.months());
  std::vector<int> months(plan.credit.names);
  std::vector<double> m(plan.gpu.types * (K + 1));
  credit.sample(1, 0, months);
  market.sample(1, 0, credit.normals(), m);
  for (std::size_t k = 0; k <= K; ++k) EXPECT_DOUBLE_EQ(m[k], 0.9);
}

TEST(gpu_market, poisson_inverse_is_the_poisson_quantile) {
  for (double mean : {0.01, 0.04, 0.5, 3.0})
    for (double u : {0.001, 0.3, 0.6, 0.95, 0.999, 0.999999}) {
      const boost::math::poisson poisson(mean);
      // The smallest n with F(n) >= u.
      int expected = 0;
      while (cdf(poisson, expected) < u) ++expected;
      EXPECT_EQ(scenario::poisson_inverse(mean, u), expected) << mean << " " << u;
    }
}
