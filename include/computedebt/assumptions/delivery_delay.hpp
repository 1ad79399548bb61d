#pragma once
/// \file
/// Random delays of the fleet's deliveries (docs/methodology.md section 5.8): a delivery arrives a whole number of
/// months late, drawn per path from a discrete distribution.

#include <map>
#include <string>
#include <vector>

namespace computedebt::assumptions {

/// A discrete distribution of delays in months.
struct DelayDistribution {
  std::vector<int> months;            ///< Strictly increasing, each in [0, 120].
  std::vector<double> probabilities;  ///< One per delay, summing to 1.

  bool operator==(const DelayDistribution&) const = default;
};

/// The deliveries' delays: one distribution for every delivery, and overrides by cohort id.
struct DeliveryDelay {
  DelayDistribution delay;
  std::map<std::string, DelayDistribution> cohorts;  ///< By `FleetCohort::id` of a delivery.

  bool operator==(const DeliveryDelay&) const = default;
};

}  // namespace computedebt::assumptions
