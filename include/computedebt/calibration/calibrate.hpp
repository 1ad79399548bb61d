#pragma once
/// \file
/// Calibration: the deal file turned into a `Plan`. All QuantLib work happens here.

#include <computedebt/calibration/plan.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/io/deal_file.hpp>

namespace computedebt::calibration {

/// The last grid month `K`: the loss-tranche horizon, or the last legal maturity's payment date.
int last_month(const deal::Deal& deal);

/// Calibrates a validated deal. Throws `InputError` listing every curve that cannot be built (a CDS
/// curve QuantLib cannot bootstrap), with its JSON path, and `ModelError` for any other QuantLib failure: no
/// QuantLib exception leaves it. Safe to call from several threads.
Plan calibrate(const io::DealFile& file);

}  // namespace computedebt::calibration
