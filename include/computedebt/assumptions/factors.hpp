#pragma once
/// \file
/// Systematic factors, their correlation, and loadings on them.

#include <map>
#include <string>
#include <vector>

namespace computedebt::assumptions {

/// Loadings by factor name; factors left out load 0.
using FactorLoadings = std::map<std::string, double>;

/// The systematic factors and their correlation matrix `Sigma` (symmetric, unit diagonal, PSD).
struct Factors {
  std::vector<std::string> names;
  std::vector<std::vector<double>> correlation;  ///< `names.size()` rows of `names.size()` entries.

  bool operator==(const Factors&) const = default;
};

/// The loadings as a dense vector in the order of `factors.names`.
std::vector<double> dense_loadings(const Factors& factors, const FactorLoadings& loadings);

/// The quadratic form `beta' Sigma beta`: the systematic share of a latent variable's variance.
double systematic_variance(const Factors& factors, const FactorLoadings& loadings);

}  // namespace computedebt::assumptions
