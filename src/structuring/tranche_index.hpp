#pragma once
// Finding a waterfall tranche by name for the structuring searches. Private to the structuring stage.

#include <computedebt/core/error.hpp>
#include <computedebt/io/deal_file.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <string>

namespace computedebt::structuring::detail {

/// The index of waterfall tranche `name`; `InputError` for a loss-tranche deal or an unknown name, listing the
/// deal's tranches.
inline std::size_t tranche_index(const io::DealFile& file, const std::string& name) {
  const auto* waterfall = std::get_if<deal::Waterfall>(&file.deal.structure);
  if (!waterfall) throw InputError({Problem{"deal.structure.type", "structuring searches need a waterfall deal"}});
  const auto& tranches = waterfall->tranches;
  const auto found = std::find_if(tranches.begin(), tranches.end(), [&](const auto& t) { return t.name == name; });
  if (found == tranches.end()) {
    std::string names;
    for (const auto& t : tranches) names += (names.empty() ? "" : ", ") + fmt::format("\"{}\"", t.name);
    throw InputError({Problem{"tranche", fmt::format("no tranche named \"{}\"; the deal has {}", name, names)}});
  }
  return static_cast<std::size_t>(found - tranches.begin());
}

}  // namespace computedebt::structuring::detail
