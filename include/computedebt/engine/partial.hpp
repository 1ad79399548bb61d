#pragma once
/// \file
/// Partial statistics of a run of leaves, mergeable along the fixed tree, serialisable for other machines.

#include <computedebt/calibration/plan.hpp>
#include <computedebt/stats/histogram.hpp>
#include <computedebt/stats/mean.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace computedebt::engine {

/// Statistics of the paths of some leaves. Two partials merge with `merge`; an empty partial is its identity.
/// Every path enters with its likelihood-ratio weight `w` (1 without importance sampling): means accumulate
/// `w x`, histograms and counts accumulate `w`.
struct Partial {
  std::uint64_t first_leaf = 0, last_leaf = 0;  ///< Leaves `[first, last)` covered.
  stats::Mean portfolio_loss;
  stats::Histogram loss_distribution;     ///< Portfolio loss, bins of 1e-4 over [0, 1].
  stats::Mean defaults;                   ///< Counterparties defaulting by `T`.
  std::vector<double> default_counts;     ///< Paths with exactly `n` counterparty defaults.
  std::vector<stats::Mean> tranche_loss;  ///< Loss fraction per tranche.
  std::vector<double> tranche_hit;        ///< Paths on which the tranche loses anything.

  /// An empty partial shaped for `plan`.
  static Partial empty(const calibration::Plan& plan);

  bool operator==(const Partial&) const = default;
};

/// Merges `right` (the leaves after `left`'s) into `left`.
Partial& merge(Partial& left, const Partial& right);

/// Bytes that `partial_from_bytes` turns back into an equal partial (same build, any machine).
std::string partial_to_bytes(const Partial& partial);
Partial partial_from_bytes(const std::string& bytes);

}  // namespace computedebt::engine
