#pragma once
/// \file
/// The exact semi-analytic engine for loss-tranche deals (docs/methodology.md section 6.6): the conditional loss
/// distribution by recursion, integrated over the factors (and the Student t mixing variable) by adaptive
/// quadrature. It returns the same `pricing::Results` as the Monte Carlo, with NaN standard errors.

#include <computedebt/calibration/plan.hpp>
#include <computedebt/pricing/results.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace computedebt::analytic {

/// How closely to integrate.
struct SemiAnalyticConfig {
  /// Target of the quadrature's error estimate: the L1 error of the loss and the default-count distributions,
  /// which bounds the error of every tranche's expected loss and `P(L > A)`. In (0, 1e-3].
  double tolerance = 1e-12;
  /// Most lattice points before the losses are bucketed (`loss_lattice`); at least 100.
  std::size_t max_units = 20000;
};

/// The pool's loss distribution at the horizon.
struct LossDistribution {
  double unit = 0.0;                  ///< Lattice step as a fraction of the pool exposure: point `u` is `u unit`.
  std::vector<double> probability;    ///< Of each lattice loss.
  std::vector<double> default_count;  ///< Of each number of defaulted counterparties.
  double achieved_error = 0.0;        ///< The quadrature's error estimate (the tolerance's measure).
  std::uint64_t nodes = 0;            ///< Conditional distributions computed.
  double bucketing_error = 0.0;       ///< Bound on `|lattice loss - L|` on every scenario (`LossLattice`).
  bool bucketed = false;              ///< Whether the losses were bucketed for want of a common unit.

  /// `E[L]`.
  double expected_loss() const;
  /// `E[min(max(L - A, 0), D - A)] / (D - A)`, as the Monte Carlo's tranche loss.
  double tranche_expected_loss(double attachment, double detachment) const;
  /// `P(L > threshold)`.
  double exceedance(double threshold) const;
  /// The smallest loss whose cumulative probability reaches `level` of the total.
  double value_at_risk(double level) const;
  /// Acerbi-Tasche: the mean of the worst `1 - level` of the probability, the atom at VaR split
  /// (docs/methodology.md section 6.4).
  double expected_shortfall(double level) const;
};

/// The loss distribution of `plan`'s loss-tranche pool.
/// \throws InputError for a waterfall deal, a guaranteed contract, more than three factor directions the names
/// load on, or settings out of range (paths `tolerance`, `max_units`).
LossDistribution loss_distribution(const calibration::Plan& plan, const SemiAnalyticConfig& config = {});

/// Prices `plan`'s loss tranches from `loss_distribution`: every statistic the Monte Carlo reports, standard
/// errors NaN, `paths` 0, and `Results::semi_analytic` set. A run whose error estimate exceeds the tolerance
/// carries a warning at `tolerance`.
pricing::Results price(const calibration::Plan& plan, const SemiAnalyticConfig& config = {});

}  // namespace computedebt::analytic
