#pragma once
// The readable table printed by `computedebt price`.

#include <computedebt/pricing/results.hpp>

#include <string>

namespace computedebt::cli {

/// Portfolio loss statistics and one row per tranche, each estimate with its standard error.
std::string price_table(const pricing::Results& results);

}  // namespace computedebt::cli
