#pragma once
/// \file
/// The GPUs the SPV owns, as cohorts acquired on a date.

#include <computedebt/core/date.hpp>

#include <cstdint>
#include <string>

namespace computedebt::deal {

/// GPUs of one type acquired on one date; one acquired after the valuation date is a delivery, bought on its funding
/// date (docs/methodology.md section 5.8).
struct FleetCohort {
  std::string gpu_type;  ///< A `GpuType::id`.
  std::int64_t count;    ///< Number of GPUs (> 0).
  Date acquired;         ///< Acquisition date; their age counts from it.
  std::string id{};      ///< Names a delivery for the contracts that need it and the draw that funds it; may be empty.

  bool operator==(const FleetCohort&) const = default;
};

}  // namespace computedebt::deal
