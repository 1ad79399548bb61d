#pragma once
/// \file
/// Each name's loss on a common lattice of loss units (docs/methodology.md section 6.6): the greatest common
/// unit of the losses when one exists with few enough units, buckets with a stated error bound otherwise.

#include <computedebt/calibration/plan.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace computedebt::analytic {

/// One way a name can lose by the horizon: `units` loss units if it defaults in a month whose index in the
/// needed months lies in `(lower, upper]`, with probability `q[upper] - q[lower]`.
struct LossOutcome {
  std::uint32_t units = 0;
  std::uint32_t lower = 0, upper = 0;  ///< Indices into `LossLattice::months`.
};

/// The pool's losses on the lattice `0, unit, 2 unit, ...`.
struct LossLattice {
  double unit = 1.0;                          ///< Loss unit in the deal currency.
  double total_exposure = 0.0;                ///< `sum_j E_j`: losses are reported as fractions of it.
  std::size_t max_units = 0;                  ///< The largest loss on the lattice, in units.
  std::vector<int> months;                    ///< Grid months whose default probabilities the outcomes need, ascending.
  std::vector<std::uint32_t> group_of;        ///< Per name.
  std::vector<std::uint32_t> outcomes_start;  ///< Name `i`'s outcomes are `[start[i], start[i + 1])`.
  std::vector<LossOutcome> outcomes;
  /// On every scenario the lattice loss differs from the model's by at most this, as a fraction of the pool
  /// exposure: 0 up to rounding when the unit is a common unit, the buckets' bound otherwise.
  double error_bound = 0.0;
  bool bucketed = false;  ///< Whether no common unit with at most the allowed units exists.
};

/// Largest number of lattice points of an exact lattice before bucketing takes over.
inline constexpr std::size_t default_max_units = 20000;

/// The lattice of `plan`'s loss-tranche pool. A name loses `(1 - R_i) sum_j EAD_j(k)` over its contracts when it
/// defaults in month `k`; months of equal loss form one outcome. The unit is the greatest common divisor of the
/// losses within a relative tolerance of 1e-9 when the largest pool loss is at most `max_units` of it, and else the
/// largest pool loss over `max_units`, each loss rounded to the nearest unit.
/// \throws InputError for a guaranteed contract (a guarantee joins two names' losses, which the recursion over
/// independent names cannot hold).
LossLattice loss_lattice(const calibration::Plan& plan, std::size_t max_units = default_max_units);

}  // namespace computedebt::analytic
