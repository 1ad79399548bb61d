#pragma once
/// \file
/// GPU market multipliers on one path: factor Brownian paths bridged to the copula factors, diffusion,
/// compensated obsolescence jumps and scheduled launches (docs/methodology.md sections 2.4, 3.2).

#include <computedebt/calibration/plan.hpp>

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace computedebt::scenario {

/// Samples the multipliers `M_g(t_k)` of every GPU type on one path; owns its workspace.
///
/// The factor paths are a Brownian bridge from `B(t0) = 0` to `B(T) = sqrt(T) Z`, with `Z` the path's copula
/// factors, so that a low AI factor means both more defaults and cheaper GPUs. With increments `dB_k`,
/// `ln M_k - ln M_{k-1} = -sigma^2 dt_k / 2 + sigma (a . dB_k + u dW_k) + lambda J dt_k`, then
/// `M_k *= (1 - J)^{N_k}` for `N_k ~ Poisson(lambda dt_k)` and by `1 - f` for each launch in month `k`.
/// Random numbers: stream `systematic` after the `F` copula normals (bridge), `gpu_diffusion` and `jumps`
/// at output `g K + k - 1`.
class GpuMarketSampler {
 public:
  /// `antithetic`: odd paths reuse the previous path's draws, reflected (`path_draws`).
  explicit GpuMarketSampler(const calibration::Plan& plan, bool antithetic = false);

  /// Writes `M_g(t_k)` to `multipliers[g (K + 1) + k]` for `k = 0..K`, given the path's independent factor
  /// normals `xi` (`Z = L xi`, from `CreditSampler::normals`).
  void sample(std::uint32_t seed, std::uint64_t path, std::span<const double> xi,
              std::span<double> multipliers) noexcept;

  /// The factor Brownian increments `dB_k` of the last path, `K x F` (row `k - 1` for month `k`).
  std::span<const double> factor_increments() const noexcept { return increments_; }

 private:
  const calibration::Plan& plan_;
  std::size_t factors_, months_;
  bool antithetic_;
  std::vector<double> independent_end_, bridge_, independent_increments_, increments_;
  // Per month, precomputed: the bridge's weight on the gap to the end and its standard deviation, sqrt(dt_k),
  // and per type and month the probability of no jump, exp(-lambda dt_k).
  std::vector<double> bridge_weight_, bridge_sd_, sqrt_dt_, no_jump_;
  std::vector<double> draws_;   ///< One stream's normals or uniforms for the path.
  std::vector<double> growth_;  ///< A GPU type's monthly log growth, then its exponential.
};

/// The inverse distribution function of the Poisson law with mean `mean` at `u` in (0, 1); `no_event` is
/// `exp(-mean)`.
int poisson_inverse(double mean, double u, double no_event) noexcept;

/// The same, computing `exp(-mean)`.
inline int poisson_inverse(double mean, double u) noexcept { return poisson_inverse(mean, u, std::exp(-mean)); }

}  // namespace computedebt::scenario
