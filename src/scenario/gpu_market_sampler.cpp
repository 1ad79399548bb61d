#include <computedebt/core/random.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::scenario {

int poisson_inverse(double mean, double u, double no_event) noexcept {
  // Sequential search: the means here (lambda dt, a month's worth of jumps) are small.
  double probability = no_event, cumulative = probability;
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
      independent_increments_(months_ * plan.credit.factors),
      increments_(months_ * plan.credit.factors),
      bridge_weight_(months_ + 1),
      bridge_sd_(months_ + 1),
      sqrt_dt_(months_ + 1),
      draws_(std::max(months_, months_ * plan.credit.factors)),
      growth_(months_) {
  const auto& times = plan.grid.times;
  const double horizon = times[months_];
  for (std::size_t k = 1; k <= months_; ++k) {
    const double remaining = horizon - times[k - 1], dt = times[k] - times[k - 1];
    bridge_weight_[k] = dt / remaining;
    bridge_sd_[k] = std::sqrt(dt * (horizon - times[k]) / remaining);
    sqrt_dt_[k] = std::sqrt(plan.month_lengths[k]);
  }
  for (std::size_t g = 0; g < plan.gpu.types; ++g)
    for (std::size_t k = 0; k <= months_; ++k)
      no_jump_.push_back(portable_exp(-plan.gpu.jump_intensity[g] * plan.month_lengths[k]));
}

void GpuMarketSampler::sample(std::uint32_t seed, std::uint64_t path, std::span<const double> xi,
                              std::span<double> multipliers) noexcept {
  const auto& gpu = plan_.gpu;
  const auto& root = plan_.factor_root;
  const std::size_t K = months_, F = factors_;
  const double horizon = plan_.grid.times[K];

  // Independent bridges W_f from 0 to sqrt(T) xi_f, where Z = L xi; then dB = L dW. Bridge normal of factor f
  // and month k is systematic output F + f (K - 1) + (k - 1).
  const auto draws = path_draws(path, antithetic_);
  const RandomStream systematic(seed, Stream::systematic, draws.reflected);
  const auto bridge_normals = std::span(draws_).first(F * (K - 1));
  normals(systematic, draws.source, F, bridge_normals);
  for (std::size_t f = 0; f < F; ++f) independent_end_[f] = std::sqrt(horizon) * xi[f];
  std::fill(bridge_.begin(), bridge_.end(), 0.0);
  for (std::size_t k = 1; k <= K; ++k) {
    for (std::size_t f = 0; f < F; ++f) {
      double next = independent_end_[f];
      if (k < K) {
        const double mean = bridge_[f] + bridge_weight_[k] * (independent_end_[f] - bridge_[f]);
        next = mean + bridge_sd_[k] * bridge_normals[f * (K - 1) + (k - 1)];
      }
      independent_increments_[(k - 1) * F + f] = next - bridge_[f];  // dW
      bridge_[f] = next;
    }
  }
  // Correlate: dB = L dW, once every month's dW is stored (reading a month's just after writing it stalls the loads).
  for (std::size_t k = 1; k <= K; ++k) {
    const double* dw = independent_increments_.data() + (k - 1) * F;
    double* row = increments_.data() + (k - 1) * F;
    for (std::size_t a = 0; a < F; ++a) {
      double sum = 0.0;
      for (std::size_t b = 0; b < F; ++b) sum += root(a, b) * dw[b];
      row[a] = sum;
    }
  }

  const RandomStream diffusion(seed, Stream::gpu_diffusion, draws.reflected),
      jumps(seed, Stream::jumps, draws.reflected);
  const std::size_t columns = K + 1;
  const auto month_draws = std::span(draws_).first(K);
  for (std::size_t g = 0; g < gpu.types; ++g) {
    double* m_out = multipliers.data() + g * columns;
    m_out[0] = gpu.initial_multiplier[g];
    const double sigma = gpu.volatility[g], u_weight = gpu.independent_weight[g];
    const double* a = gpu.loadings.data() + g * F;
    // Diffusion: m_k = m_{k-1} exp(drift_k + sigma (a . dB_k + u sqrt(dt_k) eps_k)), output g K + (k - 1).
    normals(diffusion, draws.source, g * K, month_draws);
    for (std::size_t k = 1; k <= K; ++k) {
      double systematic_part = 0.0;
      for (std::size_t f = 0; f < F; ++f) systematic_part += a[f] * increments_[(k - 1) * F + f];
      const double own = sqrt_dt_[k] * month_draws[k - 1];
      growth_[k - 1] = gpu.drift[g * columns + k] + sigma * (systematic_part + u_weight * own);
    }
    exps(growth_, growth_);
    double m = m_out[0];
    for (std::size_t k = 1; k <= K; ++k) {
      m *= growth_[k - 1];
      m_out[k] = m;
    }
    // Jumps and launches: N_k ~ Poisson(lambda dt_k) from jumps output g K + (k - 1), applied as (1 - J)^N.
    const bool jumping = gpu.jump_intensity[g] > 0.0;
    if (jumping) jumps.uniforms(draws.source, g * K, month_draws);
    double shock = 1.0;
    for (std::size_t k = 1; k <= K; ++k) {
      if (jumping) {
        const double u = month_draws[k - 1], none = no_jump_[g * columns + k];
        if (u > none) {
          const int n = poisson_inverse(gpu.jump_intensity[g] * plan_.month_lengths[k], u, none);
          for (int j = 0; j < n; ++j) shock *= gpu.jump_factor[g];  // (1 - J)^N, never N ln(1 - J)
        }
      }
      shock *= gpu.launch_factor[g * columns + k];
      m_out[k] *= shock;
    }
  }
}

}  // namespace computedebt::scenario
