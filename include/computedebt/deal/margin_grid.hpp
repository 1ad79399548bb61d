#pragma once
/// \file
/// A margin grid: a floating tranche's margin as a step table over a metric of the deal, re-read on each payment
/// date of a path (docs/methodology.md section 5.5).

#include <computedebt/deal/covenant.hpp>
#include <computedebt/deal/rating.hpp>

#include <optional>
#include <vector>

namespace computedebt::deal {

/// One row of a margin grid: its margin applies while the metric is at least `threshold` (at most, for LTV and the
/// rating factor).
struct MarginLevel {
  double threshold = 0.0;
  std::optional<Rating> rating;  ///< For the rating factor: the rating whose factor `threshold` is, when given so.
  double margin_bp = 0.0;

  bool operator==(const MarginLevel&) const = default;
};

/// A step table over a metric: the first level whose condition holds sets the margin; when none holds, the
/// tranche's own `margin_bp` applies.
struct MarginGrid {
  CovenantMetric metric;
  std::vector<MarginLevel> levels;  ///< Best first: thresholds strictly improving no further down the list.

  bool operator==(const MarginGrid&) const = default;
};

}  // namespace computedebt::deal
