#pragma once
// The readers of the deal file's two parts and the checks that span both. Private to the io stage.

#include <computedebt/assumptions/assumptions.hpp>
#include <computedebt/deal/deal.hpp>

#include "json_reader.hpp"

namespace computedebt::io::detail {

/// Reads `deal`, checking everything that lies within it (ids, references, dates, fleet capacity, grid).
deal::Deal read_deal(const Json& value, const std::string& path, Problems& problems);

/// Reads a tranche's anticipated repayment date, which must fall on or before its legal maturity.
std::optional<deal::AnticipatedRepayment> read_anticipated_repayment(const Field& field, Date legal_maturity,
                                                                     Problems& problems);

/// Reads the waterfall's accounts, priority of payments and covenants into `structure`, whose tranches and
/// payment frequency are already read, and checks every name they refer to.
void read_term_sheet(ObjectReader& object, deal::Waterfall& structure);

/// Reads `assumptions`, checking everything within it (correlation, loadings against the factors).
assumptions::Assumptions read_assumptions(const Json& value, const std::string& path, Problems& problems);

/// Checks between the two parts: sectors the counterparties name, credit keys, curve sources for every
/// counterparty, GPU market entries.
void check_deal_against_assumptions(const deal::Deal& deal, const assumptions::Assumptions& assumptions,
                                    const std::string& assumptions_path, Problems& problems);

}  // namespace computedebt::io::detail
