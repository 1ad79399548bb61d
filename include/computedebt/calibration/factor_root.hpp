#pragma once
/// \file
/// A square root `L` of the factor correlation, `L L' = Sigma`, so that `Z = L xi`.

#include <computedebt/assumptions/factors.hpp>

#include <cstddef>
#include <vector>

namespace computedebt::calibration {

/// `L` in row-major order: Cholesky when `Sigma` is positive definite, a spectral pseudo square root when
/// it is only semi-definite.
struct FactorRoot {
  std::size_t factors = 0;
  std::vector<double> matrix;  ///< `factors x factors`, row-major.
  bool cholesky = true;        ///< False when the pseudo square root was needed.

  double operator()(std::size_t row, std::size_t column) const { return matrix[row * factors + column]; }
};

/// Computes `L` for `factors.correlation` (validated: symmetric, unit diagonal, PSD to -1e-10).
FactorRoot factor_root(const assumptions::Factors& factors);

}  // namespace computedebt::calibration
