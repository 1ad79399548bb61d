#pragma once
// The valid deal the assumption and scenario targets vary: the blended waterfall deal of examples/deals/.

#include <computedebt/io/load.hpp>

#include <fstream>
#include <sstream>

namespace computedebt::fuzz {

inline const nlohmann::ordered_json& valid_deal() {
  static const nlohmann::ordered_json deal = [] {
    std::ifstream file(COMPUTEDEBT_EXAMPLE_DEALS "/blended_2026.json");
    std::stringstream text;
    text << file.rdbuf();
    return io::parse_json(text.str(), "blended_2026.json");
  }();
  return deal;
}

}  // namespace computedebt::fuzz
