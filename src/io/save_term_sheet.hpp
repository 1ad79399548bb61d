#pragma once
// Writing the term-sheet parts of a waterfall back to JSON. Private to the io stage.

#include <computedebt/deal/waterfall.hpp>

#include <nlohmann/json.hpp>

namespace computedebt::io::detail {

/// Adds `accounts`, `priority_of_payments`, `covenants` and `borrowing_base` to the waterfall's `object` when the deal
/// has them.
void put_term_sheet(nlohmann::ordered_json& object, const deal::Waterfall& waterfall);

/// A floating tranche's margin grid as the deal file writes it.
nlohmann::ordered_json to_json(const deal::MarginGrid& grid);

/// A tranche's amortisation as the deal file writes it.
nlohmann::ordered_json to_json(const deal::Amortization& amortization);

/// A tranche's delayed-draw terms as the deal file writes them.
nlohmann::ordered_json to_json(const deal::DelayedDraw& terms);

/// A tranche's anticipated repayment date as the deal file writes it.
nlohmann::ordered_json to_json(const deal::AnticipatedRepayment& repayment);

}  // namespace computedebt::io::detail
