#pragma once
/// \file
/// A floating tranche's margin grid resolved for the waterfall (docs/methodology.md section 5.5).

#include <computedebt/calibration/covenant_plan.hpp>

#include <cmath>
#include <cstddef>
#include <vector>

namespace computedebt::calibration {

/// A margin grid: the margin of the period after each payment date, from the metric read on that date.
struct PlannedMarginGrid {
  std::size_t tranche = 0;
  MetricKind metric = MetricKind::ltv;
  bool higher_is_worse = false;   ///< LTV and the rating factor: a level holds at or below its threshold.
  std::vector<double> threshold;  ///< Per level, best first.
  std::vector<double> margin;     ///< Per level, as a rate.
  double otherwise = 0.0;         ///< The tranche's own margin, when no level holds or the metric has no value.
  double initial = 0.0;           ///< The first period's margin, from the metric at `t0`.

  /// The margin for a metric value: the first level that holds; `otherwise` for none, or for NaN.
  double margin_at(double value) const noexcept {
    if (std::isnan(value)) return otherwise;
    for (std::size_t i = 0; i < threshold.size(); ++i)
      if (higher_is_worse ? value <= threshold[i] : value >= threshold[i]) return margin[i];
    return otherwise;
  }
};

}  // namespace computedebt::calibration
