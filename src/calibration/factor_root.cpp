#include <computedebt/calibration/factor_root.hpp>

#include <ql/errors.hpp>
#include <ql/math/matrixutilities/choleskydecomposition.hpp>
#include <ql/math/matrixutilities/pseudosqrt.hpp>

namespace computedebt::calibration {

FactorRoot factor_root(const assumptions::Factors& factors) {
  const std::size_t n = factors.names.size();
  FactorRoot root;
  root.factors = n;
  if (n == 0) return root;
  QuantLib::Matrix sigma(n, n);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b) sigma[a][b] = factors.correlation[a][b];
  QuantLib::Matrix lower;
  try {
    lower = QuantLib::CholeskyDecomposition(sigma, false);
  } catch (const QuantLib::Error&) {
    // Only semi-definite (validation allows eigenvalues down to -1e-10): clip them in the spectral root.
    lower = QuantLib::pseudoSqrt(sigma, QuantLib::SalvagingAlgorithm::Spectral);
    root.cholesky = false;
  }
  root.matrix.assign(lower.begin(), lower.end());
  return root;
}

}  // namespace computedebt::calibration
