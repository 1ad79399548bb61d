#pragma once
/// \file
/// A monthly shock of unit variance that loads on the systematic factors (docs/methodology.md sections 4.9, 4.11).

#include <cstddef>
#include <span>

namespace computedebt::scenario {

/// `w z + a . dB_k / sqrt(dt_k)`: the independent normal `z` at weight `w`, plus the loadings `a` on the factors'
/// Brownian increments of month `k` (`dB_k`, `F` per month, each of variance `dt_k`), scaled to unit variance.
/// `loaded`: some loading is not 0; otherwise the increments are not read.
inline double factor_shock(double independent_weight, double z, bool loaded, std::span<const double> loadings,
                           std::span<const double> factor_increments, std::size_t k, double inverse_sqrt_dt) noexcept {
  double shock = independent_weight * z;
  if (loaded) {
    const std::size_t factors = loadings.size();
    double systematic = 0.0;
    for (std::size_t f = 0; f < factors; ++f) systematic += loadings[f] * factor_increments[(k - 1) * factors + f];
    shock += systematic * inverse_sqrt_dt;
  }
  return shock;
}

}  // namespace computedebt::scenario
