#pragma once
// The readable trace printed by `computedebt explain`.

#include <computedebt/engine/explain.hpp>

#include <string>

namespace computedebt::cli {

/// The path's defaults and losses, then per payment date the collateral's cash by source, what each tranche was
/// paid, the accounts, DSCR, LTV and breached covenants, then every step's payment.
std::string trace_table(const engine::PathTrace& trace);

}  // namespace computedebt::cli
