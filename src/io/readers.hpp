#pragma once
// The readers of the deal file's two parts and the checks that span both. Private to the io stage.

#include <computedebt/assumptions/assumptions.hpp>
#include <computedebt/deal/deal.hpp>

#include "json_reader.hpp"

namespace computedebt::io::detail {

/// Reads `deal`, checking everything that lies within it (ids, references, dates, fleet capacity, grid).
deal::Deal read_deal(const Json& value, const std::string& path, Problems& problems);

/// Reads `assumptions`, checking everything within it (correlation, loadings against the factors).
assumptions::Assumptions read_assumptions(const Json& value, const std::string& path, Problems& problems);

/// Checks between the two parts: sectors the counterparties name, credit keys, curve sources for every
/// counterparty, GPU market entries.
void check_deal_against_assumptions(const deal::Deal& deal, const assumptions::Assumptions& assumptions,
                                    const std::string& assumptions_path, Problems& problems);

}  // namespace computedebt::io::detail
