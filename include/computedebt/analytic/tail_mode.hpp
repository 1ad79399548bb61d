#pragma once
/// \file
/// The Glasserman-Li importance-sampling shift of the factors for a tail event `L > A` of a loss-tranche pool
/// (docs/methodology.md section 7.4): the mode of `P(L > A | x) phi(x)` over the reduced factors `x`, with the
/// exact conditional loss distribution of the semi-analytic engine (section 6.6).

#include <computedebt/calibration/plan.hpp>

#include <vector>

namespace computedebt::analytic {

/// Whether the conditional model of section 6.6 holds `plan`: loss tranches, no guarantee, and at most
/// `max_dimension` factor directions the names load on.
bool conditional_model_applies(const calibration::Plan& plan);

/// The mode of the tail event's conditional probability times the factor density.
struct TailMode {
  std::vector<double> reduced;   ///< `x*` along the directions of `ConditionalModel` (`dimension` entries).
  std::vector<double> shift;     ///< `mu = D' x*`: the mean shift of each independent factor normal `xi_f`.
  double log_probability = 0.0;  ///< `ln P(L > A | x*)`, integrated over the mixing variable for Student t.
};

/// The mode of `ln P(L > threshold | x) - |x|^2 / 2` over the reduced factors `x` (for the Student t copula,
/// `P(L > threshold | x)` integrates the mixing variable out). A coarse search along the direction in which the
/// names' default probabilities rise, then Brent's method along each coordinate in turn, so the result is
/// deterministic. `|x*|` is capped at 10, the largest shift the sampler takes.
/// \throws InputError where the conditional model does not apply (`loss_lattice`, `conditional_model`), or at
/// `importance_target` when the pool's largest loss does not exceed `threshold`.
TailMode glasserman_li_shift(const calibration::Plan& plan, double threshold);

}  // namespace computedebt::analytic
