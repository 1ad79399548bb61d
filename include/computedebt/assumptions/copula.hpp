#pragma once
/// \file
/// The copula joining the counterparties' default times.

#include <variant>

namespace computedebt::assumptions {

/// Gaussian factor copula.
struct GaussianCopula {
  bool operator==(const GaussianCopula&) const = default;
};

/// Student-t factor copula: the latent variables share one chi-squared mixing variable.
struct StudentTCopula {
  double degrees_of_freedom;  ///< `nu > 0`.

  bool operator==(const StudentTCopula&) const = default;
};

/// One of the copula types of the deal format.
using Copula = std::variant<GaussianCopula, StudentTCopula>;

}  // namespace computedebt::assumptions
