// The deal's sites and their behind-the-meter generation (docs/deal_format.md section 3.9).

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "ranges.hpp"
#include "readers.hpp"

namespace computedebt::io::detail {

using namespace computedebt::deal;

namespace {

inline constexpr Range heat_rate{0.0, 30.0, false, true, "a heat rate in (0, 30] MMBtu per MWh"};
inline constexpr Range availability{0.0, 1.0, false, true, "an availability in (0, 1]"};

std::optional<BehindTheMeter> read_behind_the_meter(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  const std::size_t before = problems.size();
  BehindTheMeter generation;
  if (auto megawatts = read_member(object, "megawatts", true, read_number, detail::megawatts))
    generation.megawatts = *megawatts;
  if (auto rate = read_member(object, "heat_rate_mmbtu_per_mwh", true, read_number, heat_rate))
    generation.heat_rate_mmbtu_per_mwh = *rate;
  if (auto cost = read_member(object, "variable_om_per_mwh", false, read_number, non_negative_amount))
    generation.variable_om_per_mwh = *cost;
  if (auto share = read_member(object, "availability", false, read_number, availability))
    generation.availability = *share;
  if (auto dispatch = read_member(object, "dispatch", false, read_string)) {
    if (*dispatch == "economic")
      generation.dispatch = Dispatch::economic;
    else if (*dispatch == "must_run")
      generation.dispatch = Dispatch::must_run;
    else
      problems.add(member_path(field.path, "dispatch"),
                   fmt::format(R"(expected "economic" or "must_run", got "{}")", *dispatch));
  }
  if (problems.size() != before) return std::nullopt;
  return generation;
}

}  // namespace

std::vector<Site> read_sites(const Field& field, Problems& problems) {
  std::vector<Site> sites;
  auto elements = read_array(field, problems);
  if (!elements) return sites;
  std::set<std::string> ids;
  for (const auto& element : *elements) {
    // A refused element stays, without an id, so that the sites keep their elements' positions.
    ObjectReader object(element.value, element.path, problems);
    Site site;
    if (auto id = read_member(object, "id", true, read_id)) {
      site.id = *id;
      if (!ids.insert(*id).second)
        problems.add(member_path(element.path, "id"), fmt::format("duplicate site id \"{}\"", *id));
    }
    if (auto generation = object.optional("behind_the_meter"))
      site.behind_the_meter = read_behind_the_meter(*generation, problems);
    sites.push_back(std::move(site));
  }
  return sites;
}

bool sites_known(const Deal& deal, const std::string& sites_path, const Problems& problems) {
  const bool unread = deal.sites.empty() && problems.any_at_or_under(sites_path);
  return !unread &&
         std::none_of(deal.sites.begin(), deal.sites.end(), [](const Site& site) { return site.id.empty(); });
}

}  // namespace computedebt::io::detail
