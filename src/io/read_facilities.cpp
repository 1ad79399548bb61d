// Data-centre facilities and the capacity leases in them (docs/deal_format.md section 3.8).

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "ranges.hpp"
#include "readers.hpp"

namespace computedebt::io::detail {

using namespace computedebt::deal;

namespace {

inline constexpr Range cap_rate{0.0, 1.0, false, true, "a cap rate in (0, 1]"};

std::optional<FacilityValue> read_facility_value(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  const auto type = read_member(object, "type", true, read_string);
  if (!type) {
    object.ignore_rest();
    return std::nullopt;
  }
  if (*type == "depreciation") {
    DepreciatedCost cost;
    const auto life = read_member(object, "useful_life_years", true, read_number, horizon);
    if (life) cost.useful_life_years = *life;
    if (auto residual = read_member(object, "residual_fraction", false, read_number, fraction))
      cost.residual_fraction = *residual;
    if (!life) return std::nullopt;
    return cost;
  }
  if (*type == "cap_rate") {
    const auto rate = read_member(object, "cap_rate", true, read_number, cap_rate);
    if (!rate) return std::nullopt;
    return CapRate{*rate};
  }
  problems.add(member_path(field.path, "type"),
               fmt::format(R"(expected "depreciation" or "cap_rate", got "{}")", *type));
  object.ignore_rest();
  return std::nullopt;
}

}  // namespace

std::vector<Facility> read_facilities(const Field& field, Problems& problems, const std::vector<Site>* sites) {
  std::vector<Facility> facilities;
  auto elements = read_array(field, problems);
  if (!elements) return facilities;
  std::set<std::string> ids;
  for (const auto& element : *elements) {
    ObjectReader object(element.value, element.path, problems);
    if (!object.valid()) continue;
    Facility facility;
    if (auto id = read_member(object, "id", true, read_id)) {
      facility.id = *id;
      if (!ids.insert(*id).second)
        problems.add(member_path(element.path, "id"), fmt::format("duplicate facility id \"{}\"", *id));
    }
    if (auto megawatts = read_member(object, "megawatts", true, read_number, detail::megawatts))
      facility.megawatts = *megawatts;
    if (auto date = read_member(object, "commissioned", true, read_date)) facility.commissioned = *date;
    if (auto cost = read_member(object, "build_cost_per_mw", true, read_number, positive_amount))
      facility.build_cost_per_mw = *cost;
    if (auto opex = read_member(object, "opex_per_mw_month", false, read_number, non_negative_amount))
      facility.opex_per_mw_month = *opex;
    if (auto value = object.required("value"))
      if (auto read = read_facility_value(*value, problems)) facility.value = *read;
    if (auto haircut = read_member(object, "liquidation_haircut", false, read_number, fraction))
      facility.liquidation_haircut = *haircut;
    if (auto site = read_member(object, "site", false, read_id)) {
      facility.site = *site;
      if (sites && std::none_of(sites->begin(), sites->end(), [&](const Site& s) { return s.id == *site; })) {
        std::string known;
        for (const auto& s : *sites) known += (known.empty() ? "" : ", ") + s.id;
        problems.add(member_path(element.path, "site"),
                     fmt::format("unknown site \"{}\"; the deal has: {}", *site, known.empty() ? "none" : known));
      }
    }
    facilities.push_back(std::move(facility));
  }
  return facilities;
}

void check_facilities(const Deal& deal, const std::string& path, Problems& problems) {
  const std::string contracts_path = member_path(path, "contracts");
  std::map<std::string, std::size_t> index;
  for (std::size_t f = 0; f < deal.facilities.size(); ++f) index.emplace(deal.facilities[f].id, f);
  std::string known;
  for (const auto& facility : deal.facilities) known += (known.empty() ? "" : ", ") + facility.id;
  // Per facility, the change in leased megawatts on each day a lease starts or ends.
  std::vector<std::map<long, double>> change(deal.facilities.size());
  for (std::size_t i = 0; i < deal.contracts.size(); ++i) {
    const auto& contract = deal.contracts[i];
    if (!contract.capacity || problems.any_at_or_under(element_path(contracts_path, i))) continue;
    const std::string at = member_path(element_path(contracts_path, i), "facility");
    const std::string& name = contract.capacity->facility;
    if (deal.facilities.empty()) {
      if (!name.empty()) problems.add(at, "the deal has no facilities");
      continue;
    }
    if (name.empty()) {
      problems.add(at, fmt::format("required field is missing (the deal has facilities: {})", known));
      continue;
    }
    const auto found = index.find(name);
    if (found == index.end()) {
      problems.add(at, fmt::format("unknown facility \"{}\"; the deal has: {}", name, known));
      continue;
    }
    const auto& facility = deal.facilities[found->second];
    if (contract.start_date < facility.commissioned && contract.end_date > deal.valuation_date)
      problems.add(member_path(element_path(contracts_path, i), "start_date"),
                   fmt::format("the lease starts on {}, before its facility \"{}\" is commissioned on {}",
                               format_date(contract.start_date), name, format_date(facility.commissioned)));
    const long start =
        std::chrono::sys_days{std::max(contract.start_date, deal.valuation_date)}.time_since_epoch().count();
    const long end = std::chrono::sys_days{contract.end_date}.time_since_epoch().count();
    if (end <= start) continue;
    change[found->second][start] += contract.capacity->megawatts;
    change[found->second][end] -= contract.capacity->megawatts;
  }
  for (std::size_t f = 0; f < deal.facilities.size(); ++f) {
    double leased = 0.0;
    for (const auto& [day, delta] : change[f]) {
      leased += delta;
      // A thousandth of a watt of slack for the sums' rounding.
      if (leased > deal.facilities[f].megawatts + 1e-9) {
        problems.add(member_path(element_path(member_path(path, "facilities"), f), "megawatts"),
                     fmt::format("on {}, capacity leases hold {} MW but the facility has {} MW",
                                 format_date(Date{std::chrono::sys_days{std::chrono::days{day}}}), leased,
                                 deal.facilities[f].megawatts));
        break;
      }
    }
  }
}

}  // namespace computedebt::io::detail
