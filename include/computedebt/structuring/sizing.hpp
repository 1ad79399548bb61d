#pragma once
/// \file
/// Sizing to a structurer's constraints (docs/methodology.md section 10.6): each tranche of a request, senior first,
/// is sized to the least of the notionals its constraints allow (a DSCR sculpt, an LTV limit or the borrowing base
/// at `t0`, a target rating), with the tranches before it already sized.

#include <computedebt/engine/simulation_config.hpp>
#include <computedebt/io/deal_file.hpp>
#include <computedebt/structuring/sculpt.hpp>
#include <computedebt/structuring/search.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace computedebt::structuring {

/// One tranche's constraints; at least one is given.
struct TrancheConstraints {
  std::string tranche;
  std::optional<std::string> target_rating;  ///< Moody's, Aaa to Caa3: its EL within the idealised EL at its WAL.
  std::optional<double> dscr;                ///< Sculpted to this DSCR on the base case (section 10.5).
  std::optional<double> max_ltv;             ///< Its notional and the deal's tranches before it over the fleet at t0.
  /// Its notional and the other facility tranches' within the deal's borrowing base at `t0` (the tranche is one of
  /// the facility's).
  bool borrowing_base = false;
};

/// A sizing request: the tranches to size, in the order they are sized.
struct SizingRequest {
  std::vector<TrancheConstraints> tranches;
};

/// Reads a sizing request (`schema/sizing_request.schema.json`); every problem at once, with its JSON path.
SizingRequest read_sizing_request(const nlohmann::json& request);

/// How one tranche was sized.
struct TrancheSizing {
  TrancheConstraints constraints;
  double notional = 0.0;
  /// The constraint that set the notional: "dscr", "max_ltv", "borrowing_base", "target_rating", "commitment" (a
  /// delayed-draw tranche's room for its draws) or "capital".
  std::string binding;
  std::optional<SculptResult> sculpt;             ///< With `dscr`.
  std::optional<double> ltv_notional;             ///< With `max_ltv`: the most its limit allows.
  std::optional<double> borrowing_base_notional;  ///< With `borrowing_base`: the most the base at `t0` allows.
  std::optional<SearchResult> search;  ///< With `target_rating`: the rating search, every trial, under the caps.
};

/// The sized tranches and the deal they make.
struct SizingResult {
  std::vector<TrancheSizing> tranches;
  double equity_investment = 0.0;
  /// False when a tranche met no rating at any notional: the sizing stopped there, and `deal` keeps that tranche and
  /// the ones after it as they were.
  bool complete = true;
  io::DealFile deal;  ///< Every sized tranche at its size; the equity keeps the rest of the capital.
};

/// Sizes the request's tranches in order on `file`, each on the deal the earlier ones left; the rating searches run
/// `config`'s paths in every trial. Refuses an unknown or repeated tranche, a loss-tranche deal and a limit that
/// leaves a tranche nothing with `InputError`.
SizingResult size_deal(const io::DealFile& file, const SizingRequest& request, const engine::SimulationConfig& config);

/// The document `computedebt size --request` (or `--dscr`, `--max-ltv`) prints.
nlohmann::ordered_json to_json(const SizingResult& result);

}  // namespace computedebt::structuring
