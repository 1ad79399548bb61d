#include <computedebt/core/random.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::scenario {

int poisson_inverse(double mean, double u) noexcept {
  // Sequential search: the means here (lambda dt, a month's worth of jumps) are small.
  double probability = std::exp(-mean), cumulative = probability;
  int n = 0;
  while (u > cumulative && n < 1000) {
    ++n;
    probability *= mean / n;
    cumulative += probability;
    if (probability == 0.0) break;
  }
  return n;
}

GpuMarketSampler::GpuMarketSampler(const calibration::Plan& plan, bool antithetic)
    : plan_(plan),
      factors_(plan.credit.factors),
      months_(plan.grid.dates.size() - 1),
      antithetic_(antithetic),
      independent_end_(plan.credit.factors),
      bridge_(plan.credit.factors),
      scratch_(plan.credit.factors),
      increments_(months_ * plan.credit.factors) {}

void GpuMarketSampler::sample(std::uint32_t seed, std::uint64_t path, std::span<const double> xi,
                              std::span<double> multipliers) noexcept {
  const auto& gpu = plan_.gpu;
  const auto& times = plan_.grid.times;
  const auto& root = plan_.factor_root;
  const std::size_t K = months_, F = factors_;
  const double horizon = times[K];

  // Independent bridges W_f from 0 to sqrt(T) xi_f, where Z = L xi; then dB = L dW.
  const auto draws = path_draws(path, antithetic_);
  const RandomStream systematic(seed, Stream::systematic, draws.reflected);
  for (std::size_t f = 0; f < F; ++f) independent_end_[f] = std::sqrt(horizon) * xi[f];
  std::fill(bridge_.begin(), bridge_.end(), 0.0);
  for (std::size_t k = 1; k <= K; ++k) {
    const double t_previous = times[k - 1], t = times[k];
    for (std::size_t f = 0; f < F; ++f) {
      double next = independent_end_[f];
      if (k < K) {
        const double remaining = horizon - t_previous;
        const double mean = bridge_[f] + (t - t_previous) / remaining * (independent_end_[f] - bridge_[f]);
        const double sd = std::sqrt((t - t_previous) * (horizon - t) / remaining);
        next = mean + sd * normal(systematic, draws.source, F + f * (K - 1) + (k - 1));
      }
      increments_[(k - 1) * F + f] = next - bridge_[f];  // dW for now
      bridge_[f] = next;
    }
    // Correlate: dB = L dW.
    double* row = increments_.data() + (k - 1) * F;
    std::copy(row, row + F, scratch_.begin());
    for (std::size_t a = 0; a < F; ++a) {
      double sum = 0.0;
      for (std::size_t b = 0; b < F; ++b) sum += root(a, b) * scratch_[b];
      row[a] = sum;
    }
  }

  const RandomStream diffusion(seed, Stream::gpu_diffusion, draws.reflected),
      jumps(seed, Stream::jumps, draws.reflected);
  const std::size_t columns = K + 1;
  for (std::size_t g = 0; g < gpu.types; ++g) {
    double m = gpu.initial_multiplier[g];
    multipliers[g * columns] = m;
    const double sigma = gpu.volatility[g], u_weight = gpu.independent_weight[g];
    const double* a = gpu.loadings.data() + g * F;
    for (std::size_t k = 1; k <= K; ++k) {
      const double dt = plan_.month_lengths[k];
      double systematic_part = 0.0;
      for (std::size_t f = 0; f < F; ++f) systematic_part += a[f] * increments_[(k - 1) * F + f];
      const double own = std::sqrt(dt) * normal(diffusion, draws.source, g * K + (k - 1));
      m *= std::exp(gpu.drift[g * columns + k] + sigma * (systematic_part + u_weight * own));
      if (gpu.jump_intensity[g] > 0.0) {
        const int n = poisson_inverse(gpu.jump_intensity[g] * dt, jumps.uniform(draws.source, g * K + (k - 1)));
        for (int j = 0; j < n; ++j) m *= gpu.jump_factor[g];  // (1 - J)^N, never N ln(1 - J)
      }
      m *= gpu.launch_factor[g * columns + k];
      multipliers[g * columns + k] = m;
    }
  }
}

}  // namespace computedebt::scenario
