#include <computedebt/core/random.hpp>
#include <computedebt/scenario/factor_shock.hpp>
#include <computedebt/scenario/power_sampler.hpp>

#include <cmath>

namespace computedebt::scenario {

PowerSampler::PowerSampler(const calibration::Plan& plan, bool antithetic)
    : plan_(plan), antithetic_(antithetic), factor_(plan.power.forward_factor), deviation_(factor_.size(), 0.0) {
  if (!plan.power.stochastic) return;
  draws_.resize(factor_.size() - 1);
  inverse_sqrt_dt_.assign(factor_.size(), 0.0);
  for (std::size_t k = 1; k < factor_.size(); ++k) inverse_sqrt_dt_[k] = 1.0 / std::sqrt(plan.month_lengths[k]);
}

void PowerSampler::sample(std::uint32_t seed, std::uint64_t path, std::span<const double> factor_increments) noexcept {
  const auto& power = plan_.power;
  if (!power.stochastic) return;
  const auto draws = path_draws(path, antithetic_);
  normals(RandomStream(seed, Stream::power, draws.reflected), draws.source, 0, draws_);
  double x = 0.0;
  for (std::size_t k = 1; k < factor_.size(); ++k) {
    const double shock = factor_shock(power.independent_weight, draws_[k - 1], power.loaded, power.loadings,
                                      factor_increments, k, inverse_sqrt_dt_[k]);
    x = x * power.decay[k] + power.step_sd[k] * shock;
    deviation_[k] = x;
    factor_[k] = power.forward_factor[k] * std::exp(x - power.half_variance[k]);
  }
}

}  // namespace computedebt::scenario
