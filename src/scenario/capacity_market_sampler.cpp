#include <computedebt/core/random.hpp>
#include <computedebt/scenario/capacity_market_sampler.hpp>
#include <computedebt/scenario/factor_shock.hpp>

#include <cmath>

namespace computedebt::scenario {

CapacityMarketSampler::CapacityMarketSampler(const calibration::Plan& plan, bool antithetic)
    : plan_(plan), antithetic_(antithetic) {
  const auto& facilities = plan.facilities;
  if (!facilities.any()) return;
  multiplier_.assign(facilities.columns, 1.0);
  if (!facilities.stochastic) return;
  draws_.resize(facilities.columns - 1);
  inverse_sqrt_dt_.assign(facilities.columns, 0.0);
  for (std::size_t k = 1; k < facilities.columns; ++k) inverse_sqrt_dt_[k] = 1.0 / std::sqrt(plan.month_lengths[k]);
}

void CapacityMarketSampler::sample(std::uint32_t seed, std::uint64_t path,
                                   std::span<const double> factor_increments) noexcept {
  const auto& market = plan_.facilities;
  if (!market.stochastic) return;
  const auto draws = path_draws(path, antithetic_);
  normals(RandomStream(seed, Stream::capacity_market, draws.reflected), draws.source, 0, draws_);
  double x = 0.0;
  for (std::size_t k = 1; k < multiplier_.size(); ++k) {
    const double shock = factor_shock(market.independent_weight, draws_[k - 1], market.loaded, market.loadings,
                                      factor_increments, k, inverse_sqrt_dt_[k]);
    x += market.step_sd[k] * shock;
    multiplier_[k] = x - market.half_variance[k];
  }
  const auto months = std::span(multiplier_).subspan(1);
  exps(months, months);
}

}  // namespace computedebt::scenario
