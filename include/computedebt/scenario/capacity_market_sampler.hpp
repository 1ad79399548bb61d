#pragma once
/// \file
/// The capacity market's multiplier on one path (docs/methodology.md section 4.11).

#include <computedebt/calibration/plan.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace computedebt::scenario {

/// Steps the log multiplier `ln C(t_k) = sigma W(t_k) - sigma^2 t_k / 2` month by month, its Brownian increments
/// `sqrt(dt_k) (w eps_k + a . dB_k / sqrt(dt_k))`. Random numbers: stream `capacity_market` at output `k - 1` for
/// month `k`.
class CapacityMarketSampler {
 public:
  /// `antithetic`: odd paths reuse the previous path's draws, reflected (`path_draws`).
  explicit CapacityMarketSampler(const calibration::Plan& plan, bool antithetic = false);

  /// Samples the path; `factor_increments` are its `dB_k` (`GpuMarketSampler::factor_increments`), read only when
  /// the market loads on the factors. Nothing to draw without a volatility.
  void sample(std::uint32_t seed, std::uint64_t path, std::span<const double> factor_increments) noexcept;

  /// The last path's multipliers `C(t_k)`, months `0..K`: all 1 when the market is not stochastic; empty without
  /// facilities.
  std::span<const double> multipliers() const noexcept { return multiplier_; }

 private:
  const calibration::Plan& plan_;
  bool antithetic_;
  std::vector<double> multiplier_, draws_, inverse_sqrt_dt_;
};

}  // namespace computedebt::scenario
