#pragma once
/// \file
/// Scenario grids on common random numbers (docs/methodology.md section 10.4): the Cartesian product of values of
/// dotted paths into the assumptions, each point a merge patch of the assumptions priced on the same paths.

#include <computedebt/engine/simulation_config.hpp>
#include <computedebt/io/deal_file.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace computedebt::structuring {

/// One axis: a dotted path into the assumptions (`assumptions.sectors.ai_startup.pd_multiplier`) and its values.
struct GridAxis {
  std::string path;
  std::vector<double> values;
};

/// The axes of a grid file, `{"axes": {"dotted.path": [numbers...]}}` (schema/grid.schema.json). Throws `InputError`
/// listing every problem: a grid that is not an object with exactly `axes`, no axis, a path that does not start with
/// `assumptions.` or has an empty key, an axis that is empty or not an array, a value that is not a number, an axis
/// inside another.
std::vector<GridAxis> read_grid(const nlohmann::ordered_json& grid);

/// The index of every grid point, one entry per axis, the last axis varying fastest.
std::vector<std::vector<std::size_t>> grid_indices(const std::vector<GridAxis>& axes);

/// The merge patch of the assumptions at one grid point: each axis's path set to its value at `index`.
nlohmann::ordered_json grid_patch(const std::vector<GridAxis>& axes, const std::vector<std::size_t>& index);

/// Checks every value of every axis alone against `file` (each as a merge patch, validated as a `--scenario` is) and
/// throws `InputError` with every problem, each naming its axis: an unknown field, sector, counterparty or GPU type,
/// or a value out of range.
void check_grid(const io::DealFile& file, const std::vector<GridAxis>& axes);

/// An estimate and its standard error.
struct GridEstimate {
  double value = 0.0, standard_error = 0.0;
};

/// One tranche at one grid point.
struct GridTranche {
  std::string name;
  GridEstimate expected_loss, default_probability;
};

/// The results of one grid point.
struct GridPoint {
  std::vector<double> values;  ///< One per axis.
  std::vector<GridTranche> tranches;
  bool waterfall = false;
  GridEstimate equity_irr_mean, event_of_default_probability;  ///< Waterfall deals only.
};

/// Prices `file` with `patch` applied to its assumptions on the paths of `config` (`keep_paths` ignored): exactly
/// the run of `computedebt price --scenario` with that patch.
GridPoint grid_point(const io::DealFile& file, const nlohmann::ordered_json& patch,
                     const engine::SimulationConfig& config);

/// The axes and every point, the last axis varying fastest.
struct GridResult {
  std::vector<GridAxis> axes;
  std::vector<GridPoint> points;
};

/// Checks the grid (`check_grid`) and prices every point on the same paths. `config.progress` is asked before each
/// point, as in the searches.
GridResult scenario_grid(const io::DealFile& file, const std::vector<GridAxis>& axes,
                         const engine::SimulationConfig& config);

/// A grid point as JSON: `values`, `tranches` (name, expected loss, default probability, their standard errors) and,
/// for waterfall deals, the equity's mean IRR and the event-of-default probability with their standard errors.
nlohmann::ordered_json to_json(const GridPoint& point);

/// The document of `computedebt grid` (docs/deal_format.md section 11.3): `axes` (`path`, `values`) and `points`.
nlohmann::ordered_json to_json(const GridResult& result);

/// The grid as CSV: one row per point and tranche, a column per axis (headed by its path), then the tranche and its
/// estimates, and the waterfall's equity IRR and event-of-default columns.
std::string to_csv(const GridResult& result);

}  // namespace computedebt::structuring
