#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>
#include <computedebt/structuring/scenario_grid.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "../io/json_reader.hpp"

namespace computedebt::structuring {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view prefix = "assumptions.";

/// The keys of a dotted path below `assumptions`.
std::vector<std::string> keys_of(const std::string& path) {
  std::vector<std::string> keys;
  std::size_t start = prefix.size();
  while (true) {
    const std::size_t dot = path.find('.', start);
    keys.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return keys;
    start = dot + 1;
  }
}

/// Sets `keys` to `value` in the merge patch `patch`.
void set_path(Json& patch, const std::vector<std::string>& keys, double value) {
  Json* node = &patch;
  for (const auto& key : keys) node = &(*node)[key];
  *node = value;
}

/// The patched deal, checked as a `--scenario` is; `name` names the patch in messages.
io::DealFile patched(const Json& document, const Json& patch, const std::string& name) {
  const std::vector<std::string> names{name};
  return io::load_deal_json(document, std::nullopt, std::span(&patch, 1), names);
}

Json estimate(const std::string& name, const GridEstimate& e, Json object) {
  object[name] = e.value;
  object[name + "_stderr"] = e.standard_error;
  return object;
}

}  // namespace

std::vector<GridAxis> read_grid(const Json& grid) {
  std::vector<Problem> problems;
  if (!grid.is_object()) throw InputError({Problem{"", "expected a grid object {\"axes\": {...}}"}});
  for (const auto& [key, value] : grid.items())
    if (key != "axes" && key != "comment")
      problems.push_back({io::detail::member_path("", key), "unknown field; expected \"axes\" (and \"comment\")"});
  const auto axes_field = grid.find("axes");
  if (axes_field == grid.end() || !axes_field->is_object() || axes_field->empty()) {
    problems.push_back({"axes", "expected an object with at least one axis {\"assumptions.dotted.path\": [values]}"});
    throw InputError(std::move(problems));
  }
  std::vector<GridAxis> axes;
  for (const auto& [path, values] : axes_field->items()) {
    const std::string where = io::detail::member_path("axes", path);
    GridAxis axis{path, {}};
    const auto keys = path.starts_with(prefix) ? keys_of(path) : std::vector<std::string>{};
    if (keys.empty() || std::any_of(keys.begin(), keys.end(), [](const auto& k) { return k.empty(); }))
      problems.push_back({where, fmt::format("expected a dotted path into the assumptions, such as "
                                             "\"assumptions.sectors.ai_startup.pd_multiplier\", got \"{}\"",
                                             path)});
    if (!values.is_array() || values.empty()) {
      problems.push_back({where, fmt::format("expected a non-empty array of numbers, got {}",
                                             values.is_array() ? "an empty array" : io::detail::describe(values))});
    } else {
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i].is_number())
          axis.values.push_back(values[i].get<double>());
        else
          problems.push_back({io::detail::element_path(where, i),
                              fmt::format("expected a number, got {}", io::detail::describe(values[i]))});
      }
    }
    for (const auto& other : axes)
      if (path.starts_with(other.path + ".") || other.path.starts_with(path + "."))
        problems.push_back({where, fmt::format("the axis is inside the axis \"{}\", or contains it", other.path)});
    axes.push_back(std::move(axis));
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return axes;
}

std::vector<std::vector<std::size_t>> grid_indices(const std::vector<GridAxis>& axes) {
  std::vector<std::vector<std::size_t>> indices;
  std::vector<std::size_t> index(axes.size(), 0);
  while (true) {
    indices.push_back(index);
    std::size_t a = axes.size();
    while (a > 0 && ++index[a - 1] == axes[a - 1].values.size()) index[--a] = 0;
    if (a == 0) return indices;
  }
}

Json grid_patch(const std::vector<GridAxis>& axes, const std::vector<std::size_t>& index) {
  Json patch = Json::object();
  for (std::size_t a = 0; a < axes.size(); ++a) set_path(patch, keys_of(axes[a].path), axes[a].values[index[a]]);
  return patch;
}

void check_grid(const io::DealFile& file, const std::vector<GridAxis>& axes) {
  const Json document = io::to_json(file);
  std::vector<Problem> problems;
  for (const auto& axis : axes) {
    for (const double value : axis.values) {
      Json patch = Json::object();
      set_path(patch, keys_of(axis.path), value);
      try {
        patched(document, patch, fmt::format("grid axis \"{}\"", axis.path));
      } catch (const InputError& error) {
        for (const auto& problem : error.problems()) {
          const Problem named{problem.path,
                              fmt::format("{} (grid axis \"{}\" = {})", problem.message, axis.path, value)};
          const bool seen = std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
            return p.path == named.path && p.message.starts_with(problem.message);
          });
          if (!seen) problems.push_back(named);
        }
      }
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
}

GridPoint grid_point(const io::DealFile& file, const Json& patch, const engine::SimulationConfig& config) {
  engine::SimulationConfig run_config = config;
  run_config.keep_paths = false;
  run_config.contributions = false;
  const auto results =
      engine::simulate(calibration::calibrate(patched(io::to_json(file), patch, "grid point")), run_config);
  GridPoint point;
  for (const auto& t : results.tranches)
    point.tranches.push_back(
        {t.name, {t.expected_loss, t.expected_loss_stderr}, {t.default_probability, t.default_probability_stderr}});
  if (results.waterfall) {
    point.waterfall = true;
    const auto& w = *results.waterfall;
    point.equity_irr_mean = {w.equity.irr_mean, w.equity.irr_mean_stderr};
    point.event_of_default_probability = {w.events_of_default.probability, w.events_of_default.probability_stderr};
  }
  return point;
}

GridResult scenario_grid(const io::DealFile& file, const std::vector<GridAxis>& axes,
                         const engine::SimulationConfig& config) {
  check_grid(file, axes);
  GridResult result{axes, {}};
  for (const auto& index : grid_indices(axes)) {
    if (config.progress && !config.progress(0, config.paths)) throw engine::Cancelled();
    GridPoint point = grid_point(file, grid_patch(axes, index), config);
    for (std::size_t a = 0; a < axes.size(); ++a) point.values.push_back(axes[a].values[index[a]]);
    result.points.push_back(std::move(point));
  }
  return result;
}

Json to_json(const GridPoint& point) {
  Json tranches = Json::array();
  for (const auto& t : point.tranches)
    tranches.push_back(estimate("default_probability", t.default_probability,
                                estimate("expected_loss", t.expected_loss, Json{{"name", t.name}})));
  Json document{{"values", point.values}, {"tranches", std::move(tranches)}};
  if (point.waterfall) {
    document = estimate("equity_irr_mean", point.equity_irr_mean, std::move(document));
    document = estimate("event_of_default_probability", point.event_of_default_probability, std::move(document));
  }
  return document;
}

Json to_json(const GridResult& result) {
  Json axes = Json::array();
  for (const auto& axis : result.axes) axes.push_back({{"path", axis.path}, {"values", axis.values}});
  Json points = Json::array();
  for (const auto& point : result.points) points.push_back(to_json(point));
  return {{"axes", std::move(axes)}, {"points", std::move(points)}};
}

std::string to_csv(const GridResult& result) {
  // A path with a quote or comma is quoted, its quotes doubled (RFC 4180).
  const auto field = [](const std::string& text) {
    if (text.find_first_of("\",\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  };
  const auto number = [](double x) { return std::isnan(x) ? std::string() : fmt::format("{}", x); };
  std::string csv;
  for (const auto& axis : result.axes) csv += field(axis.path) + ",";
  csv += "tranche,expected_loss,expected_loss_stderr,default_probability,default_probability_stderr";
  const bool waterfall = !result.points.empty() && result.points.front().waterfall;
  if (waterfall)
    csv += ",equity_irr_mean,equity_irr_mean_stderr,event_of_default_probability,event_of_default_probability_stderr";
  csv += "\n";
  for (const auto& point : result.points) {
    for (const auto& t : point.tranches) {
      for (const double value : point.values) csv += number(value) + ",";
      csv += fmt::format("{},{},{},{},{}", field(t.name), number(t.expected_loss.value),
                         number(t.expected_loss.standard_error), number(t.default_probability.value),
                         number(t.default_probability.standard_error));
      if (waterfall)
        csv +=
            fmt::format(",{},{},{},{}", number(point.equity_irr_mean.value),
                        number(point.equity_irr_mean.standard_error), number(point.event_of_default_probability.value),
                        number(point.event_of_default_probability.standard_error));
      csv += "\n";
    }
  }
  return csv;
}

}  // namespace computedebt::structuring
