#pragma once
// Finding a waterfall tranche by name for the structuring searches, and how large its notional may be. Private to
// the structuring stage.

#include <computedebt/core/error.hpp>
#include <computedebt/io/deal_file.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <limits>
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

/// The most tranche `t`'s notional may be: its commitment less its draws at their advance rates for a delayed-draw
/// tranche (docs/methodology.md section 5.8), else unbounded.
inline double notional_room(const io::DealFile& file, std::size_t t) {
  const auto& tranche = std::get<deal::Waterfall>(file.deal.structure).tranches[t];
  if (!tranche.delayed_draw) return std::numeric_limits<double>::infinity();
  double room = tranche.delayed_draw->commitment;
  for (const auto& draw : tranche.delayed_draw->draws) {
    room -= draw.amount;
    if (draw.cohort.empty()) continue;
    for (const auto& cohort : *file.deal.fleet)
      if (cohort.id == draw.cohort)
        for (const auto& type : file.deal.gpu_types)
          if (type.id == cohort.gpu_type)
            room -= draw.advance_rate * type.purchase_price * static_cast<double>(cohort.count);
  }
  return room;
}

}  // namespace computedebt::structuring::detail
