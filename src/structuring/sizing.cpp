#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/pricing/idealised_loss.hpp>
#include <computedebt/structuring/sizing.hpp>

#include <fmt/format.h>

#include <set>

#include "../io/json_reader.hpp"
#include "tranche_index.hpp"

namespace computedebt::structuring {

namespace {

using io::detail::describe;
using io::detail::element_path;
using io::detail::member_path;

/// A number member in `(low, high]`, or a problem at its path.
std::optional<double> read_bound(const nlohmann::json& object, const std::string& path, const char* key, double low,
                                 double high, std::vector<Problem>& problems) {
  const auto found = object.find(key);
  if (found == object.end()) return std::nullopt;
  if (found->is_number() && found->get<double>() > low && found->get<double>() <= high) return found->get<double>();
  problems.push_back(
      {member_path(path, key), fmt::format("expected a number in ({}, {}], got {}", low, high, describe(*found))});
  return std::nullopt;
}

}  // namespace

SizingRequest read_sizing_request(const nlohmann::json& request) {
  std::vector<Problem> problems;
  SizingRequest sizing;
  if (!request.is_object()) throw InputError({Problem{"", "expected a sizing request {\"tranches\": [...]}"}});
  for (const auto& [key, value] : request.items())
    if (key == "comment" && !value.is_string())
      problems.push_back({"comment", fmt::format("expected a string, got {}", describe(value))});
    else if (key != "tranches" && key != "comment")
      problems.push_back({member_path("", key), "unknown field; expected \"tranches\" (and \"comment\")"});
  const auto tranches = request.find("tranches");
  if (tranches == request.end() || !tranches->is_array() || tranches->empty()) {
    problems.push_back({"tranches",
                        "expected a non-empty array of tranches, each {\"tranche\": name, and "
                        "\"target_rating\", \"dscr\", \"max_ltv\" or \"borrowing_base\"}"});
    throw InputError(std::move(problems));
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < tranches->size(); ++i) {
    const auto& entry = (*tranches)[i];
    const std::string path = element_path("tranches", i);
    if (!entry.is_object()) {
      problems.push_back({path, fmt::format("expected an object, got {}", describe(entry))});
      continue;
    }
    TrancheConstraints constraints;
    for (const auto& [key, value] : entry.items())
      if (key == "comment" && !value.is_string())
        problems.push_back({member_path(path, key), fmt::format("expected a string, got {}", describe(value))});
      else if (key != "tranche" && key != "target_rating" && key != "dscr" && key != "max_ltv" &&
               key != "borrowing_base" && key != "comment")
        problems.push_back({member_path(path, key),
                            "unknown field; expected \"tranche\", \"target_rating\", "
                            "\"dscr\", \"max_ltv\", \"borrowing_base\" (and \"comment\")"});
    if (const auto name = entry.find("tranche"); name != entry.end() && name->is_string()) {
      constraints.tranche = name->get<std::string>();
      if (!names.insert(constraints.tranche).second)
        problems.push_back({member_path(path, "tranche"),
                            fmt::format("tranche \"{}\" is already in the request", constraints.tranche)});
    } else {
      problems.push_back({member_path(path, "tranche"), "expected the name of a waterfall tranche"});
    }
    if (const auto rating = entry.find("target_rating"); rating != entry.end()) {
      if (rating->is_string() && pricing::moodys_idealised_expected_loss().find(rating->get<std::string>()))
        constraints.target_rating = rating->get<std::string>();
      else
        problems.push_back({member_path(path, "target_rating"),
                            fmt::format("expected a Moody's rating, Aaa to Caa3, got {}", describe(*rating))});
    }
    constraints.dscr = read_bound(entry, path, "dscr", 0.0, 100.0, problems);
    constraints.max_ltv = read_bound(entry, path, "max_ltv", 0.0, 10.0, problems);
    if (const auto base = entry.find("borrowing_base"); base != entry.end()) {
      if (base->is_boolean())
        constraints.borrowing_base = base->get<bool>();
      else
        problems.push_back(
            {member_path(path, "borrowing_base"), fmt::format("expected true or false, got {}", describe(*base))});
    }
    if (!entry.contains("target_rating") && !entry.contains("dscr") && !entry.contains("max_ltv") &&
        !constraints.borrowing_base)
      problems.push_back({path,
                          "expected at least one constraint: \"target_rating\", \"dscr\", \"max_ltv\" or "
                          "\"borrowing_base\": true"});
    sizing.tranches.push_back(std::move(constraints));
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return sizing;
}

SizingResult size_deal(const io::DealFile& file, const SizingRequest& request, const engine::SimulationConfig& config) {
  std::vector<Problem> problems;
  for (std::size_t i = 0; i < request.tranches.size(); ++i) try {
      detail::tranche_index(file, request.tranches[i].tranche);
    } catch (const InputError& error) {
      for (const auto& problem : error.problems())
        problems.push_back(
            {problem.path == "tranche" ? member_path(element_path("tranches", i), "tranche") : problem.path,
             problem.message});
    }
  if (!problems.empty()) throw InputError(std::move(problems));

  SizingResult result;
  result.deal = file;
  for (std::size_t i = 0; i < request.tranches.size(); ++i) {
    const auto& constraints = request.tranches[i];
    const std::size_t t = detail::tranche_index(result.deal, constraints.tranche);
    const io::DealFile unsized = result.deal;
    TrancheSizing sizing{constraints};
    const auto& before = std::get<deal::Waterfall>(result.deal.deal.structure);
    const double capital = before.tranches[t].notional + before.equity.investment;
    // As in `size`, the equity keeps 0.1% of the tranche's notional, so that its investment stays positive.
    double cap = capital - 0.001 * before.tranches[t].notional;
    sizing.binding = "capital";
    // A delayed-draw tranche's notional leaves room in its commitment for its draws.
    if (const double room = detail::notional_room(result.deal, t); room < cap) {
      cap = room;
      sizing.binding = "commitment";
    }
    if (constraints.dscr) {
      sizing.sculpt = sculpt_tranche(result.deal, constraints.tranche, *constraints.dscr);
      result.deal = sizing.sculpt->deal;
      if (sizing.sculpt->binding == "maturity" || sizing.sculpt->binding == "interest") {
        cap = sizing.sculpt->notional;
        sizing.binding = "dscr";
      }
    }
    if (constraints.max_ltv) {
      const auto& structure = std::get<deal::Waterfall>(result.deal.deal.structure);
      double senior = 0.0;
      for (std::size_t j = 0; j < t; ++j) senior += structure.tranches[j].notional;
      const double collateral = calibration::calibrate(result.deal).initial_collateral_value();
      sizing.ltv_notional = *constraints.max_ltv * collateral - senior;
      if (!(*sizing.ltv_notional > 0.0))
        throw InputError({Problem{member_path(element_path("tranches", i), "max_ltv"),
                                  fmt::format("an LTV of {} on the collateral's {:.0f} at t0 leaves nothing for \"{}\" "
                                              "after the {:.0f} of the tranches before it",
                                              *constraints.max_ltv, collateral, constraints.tranche, senior)}});
      if (*sizing.ltv_notional < cap) {
        cap = *sizing.ltv_notional;
        sizing.binding = "max_ltv";
      }
    }
    if (constraints.borrowing_base) {
      // The base at t0 does not depend on the notionals: the contracts' values and the fleet's.
      const auto plan = calibration::calibrate(result.deal);
      const auto& base = plan.waterfall.borrowing_base;
      const std::string at = member_path(element_path("tranches", i), "borrowing_base");
      if (!base || !base->facility[t])
        throw InputError(
            {Problem{at, fmt::format("\"{}\" is not a tranche of the deal's borrowing base", constraints.tranche)}});
      const auto& structure = std::get<deal::Waterfall>(result.deal.deal.structure);
      double others = 0.0;
      for (std::size_t j = 0; j < structure.tranches.size(); ++j)
        if (j != t && base->facility[j]) others += structure.tranches[j].notional;
      sizing.borrowing_base_notional = base->initial_base - others;
      if (!(*sizing.borrowing_base_notional > 0.0))
        throw InputError({Problem{at, fmt::format("the borrowing base of {:.0f} at t0 leaves nothing for \"{}\" after "
                                                  "the {:.0f} of the facility's other tranches",
                                                  base->initial_base, constraints.tranche, others)}});
      if (*sizing.borrowing_base_notional < cap) {
        cap = *sizing.borrowing_base_notional;
        sizing.binding = "borrowing_base";
      }
    }
    if (constraints.target_rating) {
      sizing.search = size_tranche(result.deal, constraints.tranche, *constraints.target_rating, config, cap);
      sizing.notional = sizing.search->value;
      if (!sizing.search->at_limit) sizing.binding = "target_rating";
    } else {
      sizing.notional = cap;
    }
    result.tranches.push_back(sizing);
    // No notional meets the rating: the deal keeps the tranche as it was, and the tranches after it are not sized.
    if (sizing.notional <= 0.0) {
      result.deal = unsized;
      result.complete = false;
      break;
    }
    auto& structure = std::get<deal::Waterfall>(result.deal.deal.structure);
    structure.tranches[t].notional = sizing.notional;
    structure.equity.investment = capital - sizing.notional;
  }
  result.equity_investment = std::get<deal::Waterfall>(result.deal.deal.structure).equity.investment;
  return result;
}

nlohmann::ordered_json to_json(const SizingResult& result) {
  using Json = nlohmann::ordered_json;
  Json tranches = Json::array();
  for (const auto& sizing : result.tranches) {
    const auto& c = sizing.constraints;
    Json constraints = Json::object();
    if (c.target_rating) constraints["target_rating"] = *c.target_rating;
    if (c.dscr) constraints["dscr"] = *c.dscr;
    if (c.max_ltv) constraints["max_ltv"] = *c.max_ltv;
    if (c.borrowing_base) constraints["borrowing_base"] = true;
    Json entry{{"tranche", c.tranche},
               {"constraints", constraints},
               {"notional", sizing.notional},
               {"binding", sizing.binding}};
    if (sizing.sculpt) entry["sculpt"] = to_json(*sizing.sculpt);
    if (sizing.ltv_notional) entry["ltv_notional"] = *sizing.ltv_notional;
    if (sizing.borrowing_base_notional) entry["borrowing_base_notional"] = *sizing.borrowing_base_notional;
    if (sizing.search) entry["rating_search"] = to_json(*sizing.search);
    tranches.push_back(entry);
  }
  return {{"tranches", tranches}, {"equity_investment", result.equity_investment}, {"complete", result.complete}};
}

}  // namespace computedebt::structuring
