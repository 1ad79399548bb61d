#pragma once
/// \file
/// Rate index fixings on one path (docs/methodology.md section 5.5).

#include <computedebt/calibration/plan.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace computedebt::scenario {

/// Fixes every rate index of the plan on one path, period by period. A projected index fixes at its forward
/// rates. A Hull-White index steps its state exactly on the monthly grid, `x_k = x_{k-1} e^{-a dt_k} +
/// sd_k (a . dB_k / sqrt(dt_k) + u eps_k)`, and fixes each period at its start from QuantLib's bond price at the
/// short rate of the period's payment-date forward measure, `r = f(0, t_{m-1}) - B_m v(t_{m-1}) + x`, so that each
/// fixing's mean is its forward. Random numbers: stream `rates` at output `i K + k - 1` for index `i` and month `k`.
class RateSampler {
 public:
  /// `antithetic`: odd paths reuse the previous path's draws, reflected (`path_draws`).
  explicit RateSampler(const calibration::Plan& plan, bool antithetic = false);

  /// Samples the path; `factor_increments` are its `dB_k` (`GpuMarketSampler::factor_increments`), read only when
  /// an index loads on the factors.
  void sample(std::uint32_t seed, std::uint64_t path, std::span<const double> factor_increments) noexcept;

  /// The last path's fixings, `indices x (dates + 1)`: entry `m` is the rate of the period ending on date `m`.
  std::span<const double> fixings() const noexcept { return fixings_; }
  /// The last path's state `x` of index `i` on the grid, `K + 1` values; empty for a projected index.
  std::span<const double> states(std::size_t i) const noexcept;
  /// Every index's states, `indices x (K + 1)` (zeros for a projected index).
  std::span<const double> states() const noexcept { return states_; }

 private:
  const calibration::Plan& plan_;
  std::size_t months_, columns_;
  bool antithetic_;
  std::vector<double> fixings_, states_, draws_, inverse_sqrt_dt_;
};

}  // namespace computedebt::scenario
