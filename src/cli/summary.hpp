#pragma once
// The one-screen summary printed by `computedebt validate`.

#include <computedebt/calibration/plan.hpp>
#include <computedebt/io/deal_file.hpp>

#include <string>

namespace computedebt::cli {

/// Counterparties by sector and rating, contracted revenue by year, GPUs by type, and the tranches.
std::string deal_summary(const io::DealFile& file, const calibration::Plan& plan);

}  // namespace computedebt::cli
