#include <computedebt/core/random.hpp>
#include <computedebt/scenario/factor_shock.hpp>
#include <computedebt/scenario/power_sampler.hpp>

#include <cmath>

namespace computedebt::scenario {

PowerSampler::PowerSampler(const calibration::Plan& plan, bool antithetic)
    : plan_(plan),
      antithetic_(antithetic),
      columns_(plan.power.markets.empty() ? 0 : plan.power.hub().forward_factor.size()) {
  const auto& power = plan.power;
  if (power.markets.empty()) return;  // not a waterfall deal
  for (const auto& market : power.markets)
    factor_.insert(factor_.end(), market.forward_factor.begin(), market.forward_factor.end());
  deviation_.assign(factor_.size(), 0.0);
  if (power.has_generation()) {
    gas_.assign(columns_, 0.0);
    for (std::size_t k = 0; k < columns_; ++k) gas_[k] = power.gas_price_per_mmbtu * power.gas.forward_factor[k];
    gas_deviation_.assign(columns_, 0.0);
  }
  if (!power.stochastic()) return;
  draws_.resize(columns_ - 1);
  inverse_sqrt_dt_.assign(columns_, 0.0);
  for (std::size_t k = 1; k < columns_; ++k) inverse_sqrt_dt_[k] = 1.0 / std::sqrt(plan.month_lengths[k]);
}

void PowerSampler::step(const calibration::PriceProcess& process, std::span<const double> factor_increments,
                        double level, std::span<double> factor, std::span<double> deviation) noexcept {
  double x = 0.0;
  for (std::size_t k = 1; k < columns_; ++k) {
    const double shock = factor_shock(process.independent_weight, draws_[k - 1], process.loaded, process.loadings,
                                      factor_increments, k, inverse_sqrt_dt_[k]);
    x = x * process.decay[k] + process.step_sd[k] * shock;
    deviation[k] = x;
    factor[k] = x - process.half_variance[k];
  }
  const auto months = factor.subspan(1);
  exps(months, months);
  for (std::size_t k = 1; k < columns_; ++k) {
    factor[k] = process.forward_factor[k] * factor[k];
    // The hub's level is 1, and its factors stay the bits they were before gas existed.
    if (level != 1.0) factor[k] *= level;
  }
}

void PowerSampler::sample(std::uint32_t seed, std::uint64_t path, std::span<const double> factor_increments) noexcept {
  const auto& power = plan_.power;
  if (power.markets.empty() || !power.stochastic()) return;
  const auto draws = path_draws(path, antithetic_);
  for (std::size_t m = 0; m < power.markets.size(); ++m) {
    if (!power.markets[m].stochastic) continue;
    normals(RandomStream(seed, Stream::power, draws.reflected), draws.source, m * (columns_ - 1), draws_);
    step(power.markets[m], factor_increments, 1.0, std::span(factor_).subspan(m * columns_, columns_),
         std::span(deviation_).subspan(m * columns_, columns_));
  }
  if (power.gas.stochastic && !gas_.empty()) {
    normals(RandomStream(seed, Stream::gas, draws.reflected), draws.source, 0, draws_);
    step(power.gas, factor_increments, power.gas_price_per_mmbtu, gas_, gas_deviation_);
  }
}

}  // namespace computedebt::scenario
