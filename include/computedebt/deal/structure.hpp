#pragma once
/// \file
/// The deal's liability structure: loss tranches or a cash-flow waterfall.

#include <computedebt/deal/loss_tranches.hpp>
#include <computedebt/deal/waterfall.hpp>

#include <variant>

namespace computedebt::deal {

/// One of the structure types of the deal format.
using Structure = std::variant<LossTranches, Waterfall>;

}  // namespace computedebt::deal
