#pragma once
/// \file
/// The power prices and the gas price on one path (docs/methodology.md sections 4.9 and 4.12).

#include <computedebt/calibration/plan.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace computedebt::scenario {

/// Steps each price's log deviation exactly on the monthly grid, `X_k = X_{k-1} decay_k + step_sd_k (w eps_k + a .
/// dB_k / sqrt(dt_k))`, and gives each month's price as a factor on its base price. Random numbers: stream `power`
/// at output `m K + k - 1` for market `m` (the hub is 0) and month `k`, stream `gas` at output `k - 1`.
class PowerSampler {
 public:
  /// `antithetic`: odd paths reuse the previous path's draws, reflected (`path_draws`).
  explicit PowerSampler(const calibration::Plan& plan, bool antithetic = false);

  /// Samples the path; `factor_increments` are its `dB_k` (`GpuMarketSampler::factor_increments`), read only when
  /// a price loads on the factors. Nothing to draw for a price without a volatility.
  void sample(std::uint32_t seed, std::uint64_t path, std::span<const double> factor_increments) noexcept;

  /// The last path's power price factors on `operations.power_price_per_mwh`, `f_k exp(X_k - v_k / 2)`, months
  /// `0..K` of each market in turn (`PowerPlan::markets`); the forward factors when a market is not stochastic.
  std::span<const double> price_factors() const noexcept { return factor_; }
  /// The hub's price factors, months `0..K`.
  std::span<const double> price_factor() const noexcept { return market_factor(0); }
  /// Market `m`'s price factors, months `0..K`.
  std::span<const double> market_factor(std::size_t m) const noexcept {
    return std::span(factor_).subspan(m * columns_, columns_);
  }
  /// The last path's gas price per MMBtu, months `0..K`; empty without a gas market.
  std::span<const double> gas_price() const noexcept { return gas_; }
  /// The last path's log gas price deviations, months `0..K`; empty without a gas market.
  std::span<const double> gas_deviation() const noexcept { return gas_deviation_; }
  /// The last path's log price deviations `X_k` of market `m`, months `0..K` (zeros when not stochastic).
  std::span<const double> deviation(std::size_t m = 0) const noexcept {
    return std::span(deviation_).subspan(m * columns_, columns_);
  }

 private:
  /// Steps `process` from draws `draws_` into `factor` (times `level`) and `deviation`.
  void step(const calibration::PriceProcess& process, std::span<const double> factor_increments, double level,
            std::span<double> factor, std::span<double> deviation) noexcept;

  const calibration::Plan& plan_;
  bool antithetic_;
  std::size_t columns_;
  std::vector<double> factor_, deviation_, gas_, gas_deviation_, draws_, inverse_sqrt_dt_;
};

}  // namespace computedebt::scenario
