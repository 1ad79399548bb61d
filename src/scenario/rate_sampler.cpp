#include <computedebt/core/random.hpp>
#include <computedebt/scenario/rate_sampler.hpp>

#include <cmath>

namespace computedebt::scenario {

RateSampler::RateSampler(const calibration::Plan& plan, bool antithetic)
    : plan_(plan),
      months_(plan.grid.dates.size() - 1),
      columns_(plan.waterfall.dates + 1),
      antithetic_(antithetic),
      fixings_(plan.rates.indices.size() * columns_),
      states_(plan.rates.indices.size() * (months_ + 1)),
      draws_(months_),
      inverse_sqrt_dt_(months_ + 1, 0.0) {
  for (std::size_t k = 1; k <= months_; ++k) inverse_sqrt_dt_[k] = 1.0 / std::sqrt(plan.month_lengths[k]);
  // A projected index fixes at its forwards on every path.
  for (std::size_t i = 0; i < plan.rates.indices.size(); ++i) {
    const auto& projected = plan.rates.indices[i].projected;
    std::copy(projected.begin(), projected.end(), fixings_.begin() + static_cast<std::ptrdiff_t>(i * columns_));
  }
}

std::span<const double> RateSampler::states(std::size_t i) const noexcept {
  if (!plan_.rates.indices[i].hull_white) return {};
  return std::span(states_).subspan(i * (months_ + 1), months_ + 1);
}

void RateSampler::sample(std::uint32_t seed, std::uint64_t path, std::span<const double> factor_increments) noexcept {
  const auto draws = path_draws(path, antithetic_);
  const RandomStream stream(seed, Stream::rates, draws.reflected);
  const std::size_t K = months_, F = plan_.credit.factors;
  const auto& waterfall = plan_.waterfall;
  const auto p = static_cast<std::size_t>(waterfall.frequency_months);
  for (std::size_t i = 0; i < plan_.rates.indices.size(); ++i) {
    const auto& index = plan_.rates.indices[i];
    if (!index.hull_white) continue;
    normals(stream, draws.source, i * K, draws_);
    double* x = states_.data() + i * (K + 1);
    const bool loaded = index.independent_weight < 1.0;
    x[0] = 0.0;
    for (std::size_t k = 1; k <= K; ++k) {
      double shock = index.independent_weight * draws_[k - 1];
      if (loaded) {
        // a . dB_k, scaled to unit variance: dB_k has variance dt_k per factor.
        double systematic = 0.0;
        for (std::size_t f = 0; f < F; ++f) systematic += index.loadings[f] * factor_increments[(k - 1) * F + f];
        shock += systematic * inverse_sqrt_dt_[k];
      }
      x[k] = x[k - 1] * index.decay[k] + index.step_sd[k] * shock;
    }
    double* fixing = fixings_.data() + i * columns_;
    for (std::size_t m = 1; m < columns_; ++m) {
      const double r = index.forward[m - 1] - index.bond_b[m] * index.variance[m - 1] + x[(m - 1) * p];
      fixing[m] = -index.bond_b[m] * r;
    }
    // The bonds' exponentials in one batch, then each period's simple rate.
    const auto periods = std::span(fixing, columns_).subspan(1);
    exps(periods, periods);
    for (std::size_t m = 1; m < columns_; ++m) {
      const double bond = index.bond_a[m] * fixing[m];
      fixing[m] = (1.0 / bond - 1.0) / waterfall.accrual[m];
    }
  }
}

}  // namespace computedebt::scenario
