#pragma once
/// \file
/// Partial statistics of a run of leaves, mergeable along the fixed tree, serialisable for other machines.

#include <computedebt/engine/statistics.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace computedebt::engine {

/// The merged statistics of a cash-flow waterfall's paths.
using WaterfallStatistics = BasicWaterfallStatistics<Merged>;
/// The merged sums of the risk contributions.
using ContributionStatistics = BasicContributionStatistics<Merged>;

/// Statistics of the paths of some leaves. Two partials merge with `merge`; an empty partial is its identity.
struct Partial : BasicStatistics<Merged> {
  std::uint64_t first_leaf = 0, last_leaf = 0;  ///< Leaves `[first, last)` covered.

  /// An empty partial shaped for `plan`, with room for the optional statistics asked for.
  static Partial empty(const calibration::Plan& plan, OptionalStatistics optional = {});

  bool operator==(const Partial&) const = default;
};

/// Whether two partials have the same shape: every vector the same length, every histogram the same bins. Partials
/// may come from bytes another machine sent (`partial_from_bytes`), so `merge` and `finish` check all of it.
bool same_shape(const Partial& a, const Partial& b);

/// Merges `right` (the leaves after `left`'s) into `left`; refuses partials of different shapes.
Partial& merge(Partial& left, const Partial& right);

/// Empties `partial` in place: it equals `Partial::empty` of its shape again, and keeps its buffers for reuse.
void clear(Partial& partial);

/// Merges the partials of consecutive aligned blocks of one power-of-two size, in order, along the fixed tree:
/// pairwise, level by level, an odd last partial rising alone (its missing sibling is empty).
Partial merge_blocks(std::vector<Partial> blocks);

/// Bytes that `partial_from_bytes` turns back into an equal partial (same build, any machine).
std::string partial_to_bytes(const Partial& partial);
Partial partial_from_bytes(const std::string& bytes);

}  // namespace computedebt::engine
