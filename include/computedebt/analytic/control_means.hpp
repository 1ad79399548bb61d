#pragma once
/// \file
/// The exact means of the Monte Carlo's control variates (docs/methodology.md section 7.7): the horizon portfolio
/// loss of any deal, and each loss tranche's loss where the semi-analytic engine computes it exactly.

#include <computedebt/calibration/plan.hpp>

#include <vector>

namespace computedebt::analytic {

/// Exact means of the quantities `engine::control_dimension` lays out.
struct ControlMeans {
  double portfolio_loss = 0.0;  ///< `E[L]`, a fraction of the total exposure.
  /// Loss-tranche deals: each tranche's expected loss from the exact loss distribution. Empty for a waterfall
  /// deal, and where the semi-analytic engine does not apply exactly: a guarantee, more than three factor
  /// directions, or losses without a common unit (bucketed).
  std::vector<double> tranche_loss;
  double error = 0.0;  ///< Bound on the quadrature's error in any of the means.
};

/// `E[L]`, `L` the horizon portfolio loss as the Monte Carlo computes it (`waterfall::portfolio_loss`). Contracts
/// without a guarantee need only their counterparty's survival curve; a guaranteed contract's loss depends on
/// both names' default months, which are independent given the factors, so its mean is integrated over the one
/// direction of the pair's model (`pair_model`), and the mixing variable of a Student t copula. `error`, if given,
/// receives the sum of the quadratures' error bounds (0 without guarantees).
double expected_portfolio_loss(const calibration::Plan& plan, double tolerance, double* error = nullptr);

/// The means of every control the deal has, each integrated to `tolerance`.
ControlMeans control_means(const calibration::Plan& plan, double tolerance = 1e-12);

}  // namespace computedebt::analytic
