#pragma once
/// \file
/// The power price on one path (docs/methodology.md section 4.9).

#include <computedebt/calibration/plan.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace computedebt::scenario {

/// Steps the log price's deviation exactly on the monthly grid, `X_k = X_{k-1} decay_k + step_sd_k (w eps_k + a . dB_k
/// / sqrt(dt_k))`, and gives each month's price as a factor on `operations.power_price_per_mwh`. Random numbers:
/// stream `power` at output `k - 1` for month `k`.
class PowerSampler {
 public:
  /// `antithetic`: odd paths reuse the previous path's draws, reflected (`path_draws`).
  explicit PowerSampler(const calibration::Plan& plan, bool antithetic = false);

  /// Samples the path; `factor_increments` are its `dB_k` (`GpuMarketSampler::factor_increments`), read only when
  /// the price loads on the factors. Nothing to draw without a volatility.
  void sample(std::uint32_t seed, std::uint64_t path, std::span<const double> factor_increments) noexcept;

  /// The last path's price factors `f_k exp(X_k - v_k / 2)`, months `0..K`; the forward factors `f_k` when the price
  /// is not stochastic.
  std::span<const double> price_factor() const noexcept { return factor_; }
  /// The last path's log price deviations `X_k`, months `0..K` (zeros when not stochastic).
  std::span<const double> deviation() const noexcept { return deviation_; }

 private:
  const calibration::Plan& plan_;
  bool antithetic_;
  std::vector<double> factor_, deviation_, draws_, inverse_sqrt_dt_;
};

}  // namespace computedebt::scenario
