#pragma once
/// \file
/// The GPUs the SPV owns, as cohorts acquired on a date.

#include <computedebt/core/date.hpp>

#include <cstdint>
#include <string>

namespace computedebt::deal {

/// GPUs of one type acquired on one date (on or before the valuation date).
struct FleetCohort {
  std::string gpu_type;  ///< A `GpuType::id`.
  std::int64_t count;    ///< Number of GPUs (> 0).
  Date acquired;         ///< Acquisition date; their age counts from it.

  bool operator==(const FleetCohort&) const = default;
};

}  // namespace computedebt::deal
