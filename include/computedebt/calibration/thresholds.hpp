#pragma once
/// \file
/// Default thresholds of the factor copula: `c_k = Phi^{-1}(1 - S(t_k))` (Student t: `t_nu^{-1}`).

#include <computedebt/assumptions/copula.hpp>

#include <span>
#include <vector>

namespace computedebt::calibration {

/// The latent-variable thresholds for a survival curve: `-inf` where `S = 1` (set directly, not through a
/// quantile function) and `+inf` where `S = 0`.
std::vector<double> default_thresholds(std::span<const double> survival, const assumptions::Copula& copula);

}  // namespace computedebt::calibration
