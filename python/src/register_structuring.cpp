// Structuring searches from Python, with the GIL released; their documents carry the same provenance as the
// command line's.
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/pricing/provenance.hpp>
#include <computedebt/structuring/scenario_grid.hpp>
#include <computedebt/structuring/sculpt.hpp>
#include <computedebt/structuring/search.hpp>
#include <computedebt/structuring/sensitivities.hpp>
#include <computedebt/structuring/sizing.hpp>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <exception>

namespace py = pybind11;

namespace computedebt::python {

namespace {

/// `search` led by the provenance of the run, with the command's own `options` added.
std::string with_provenance(const io::DealFile& file, const engine::SimulationConfig& config,
                            std::optional<std::filesystem::path> assumptions,
                            std::vector<std::filesystem::path> scenarios, const nlohmann::ordered_json& search,
                            const nlohmann::ordered_json& options) {
  auto provenance = pricing::run_provenance(calibration::calibrate(file), config,
                                            io::LoadOptions{std::move(assumptions), std::move(scenarios)});
  provenance.options.update(options);
  return pricing::with_provenance(provenance, search).dump();
}

/// Runs `search(config)` without the GIL, checking for Ctrl-C before each trial and every 0.1 s within one (as
/// `simulate` does): a KeyboardInterrupt, or any exception the signal handler raises, stops the search and leaves.
template <class Search>
auto interruptible(engine::SimulationConfig config, Search search) {
  std::exception_ptr python_error;
  config.progress = [&](std::uint64_t, std::uint64_t) {
    py::gil_scoped_acquire gil;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    } catch (...) {
      python_error = std::current_exception();
      return false;
    }
    return true;
  };
  try {
    py::gil_scoped_release release;
    return search(config);
  } catch (const engine::Cancelled&) {
    if (python_error) std::rethrow_exception(python_error);
    throw;
  }
}

}  // namespace

void register_structuring(py::module_& module) {
  module.def(
      "sculpt_tranche",
      [](const io::DealFile& file, const std::string& tranche, double dscr,
         std::optional<std::filesystem::path> assumptions, std::vector<std::filesystem::path> scenarios) {
        auto result = structuring::sculpt_tranche(file, tranche, dscr);
        const auto plan = calibration::calibrate(result.deal);
        pricing::Provenance provenance;
        provenance.options = pricing::source_options(io::LoadOptions{std::move(assumptions), std::move(scenarios)});
        provenance.options.update({{"tranche", tranche}, {"dscr", dscr}});
        provenance.deal = plan.deal_name;
        provenance.warnings = plan.warnings;
        return py::make_tuple(pricing::with_provenance(provenance, structuring::to_json(result)).dump(),
                              std::move(result.deal));
      },
      py::arg("deal"), py::arg("tranche"), py::arg("dscr"), py::arg("assumptions") = py::none(),
      py::arg("scenarios") = std::vector<std::filesystem::path>{},
      "A tranche sculpted to a target DSCR on the base case: the document of `computedebt sculpt` and the deal.");

  module.def(
      "size_tranche",
      [](const io::DealFile& file, const std::string& tranche, const std::string& rating,
         const engine::SimulationConfig& config, std::optional<std::filesystem::path> assumptions,
         std::vector<std::filesystem::path> scenarios) {
        const auto result = interruptible(config, [&](const engine::SimulationConfig& checked) {
          return structuring::size_tranche(file, tranche, rating, checked);
        });
        return with_provenance(file, config, std::move(assumptions), std::move(scenarios), structuring::to_json(result),
                               {{"tranche", tranche}, {"target_rating", rating}});
      },
      py::arg("deal"), py::arg("tranche"), py::arg("target_rating"), py::arg("config"),
      py::arg("assumptions") = py::none(), py::arg("scenarios") = std::vector<std::filesystem::path>{},
      "The largest notional of a tranche meeting the target rating; the document of `computedebt size`.");
  module.def(
      "size_deal",
      [](const io::DealFile& file, const std::string& request, const engine::SimulationConfig& config,
         std::optional<std::filesystem::path> assumptions, std::vector<std::filesystem::path> scenarios) {
        const auto sizing = structuring::read_sizing_request(nlohmann::json::parse(request));
        auto result = interruptible(config, [&](const engine::SimulationConfig& checked) {
          return structuring::size_deal(file, sizing, checked);
        });
        const auto document = with_provenance(file, config, std::move(assumptions), std::move(scenarios),
                                              structuring::to_json(result), nlohmann::ordered_json::object());
        py::object deal = result.complete ? py::cast(std::move(result.deal)) : py::none();
        return py::make_tuple(document, deal);
      },
      py::arg("deal"), py::arg("request"), py::arg("config"), py::arg("assumptions") = py::none(),
      py::arg("scenarios") = std::vector<std::filesystem::path>{},
      "Every tranche of a sizing request sized to its constraints: the document of `computedebt size --request` and "
      "the sized deal.");
  module.def(
      "break_even_multiplier",
      [](const io::DealFile& file, const std::string& tranche, const std::string& rating,
         const std::vector<std::string>& sectors, const engine::SimulationConfig& config, double max_multiplier,
         std::optional<std::filesystem::path> assumptions, std::vector<std::filesystem::path> scenarios) {
        const auto result = interruptible(config, [&](const engine::SimulationConfig& checked) {
          return structuring::break_even_multiplier(file, tranche, rating, sectors, checked, max_multiplier);
        });
        auto document = structuring::to_json(result, "multiplier");
        document["sectors"] = sectors;
        return with_provenance(file, config, std::move(assumptions), std::move(scenarios), document,
                               {{"tranche", tranche},
                                {"target_rating", rating},
                                {"sectors", sectors},
                                {"max_multiplier", max_multiplier}});
      },
      py::arg("deal"), py::arg("tranche"), py::arg("target_rating"), py::arg("sectors"), py::arg("config"),
      py::arg("max_multiplier") = 100.0, py::arg("assumptions") = py::none(),
      py::arg("scenarios") = std::vector<std::filesystem::path>{},
      "The largest multiplier on the sectors' default probabilities at which the tranche meets the rating.");
  module.def(
      "sensitivities",
      [](const io::DealFile& file, const engine::SimulationConfig& config,
         std::optional<std::filesystem::path> assumptions, std::vector<std::filesystem::path> scenarios) {
        const auto bumps = structuring::standard_bumps(file);
        const auto result = interruptible(config, [&](const engine::SimulationConfig& checked) {
          return structuring::sensitivities(file, bumps, checked);
        });
        return with_provenance(file, config, std::move(assumptions), std::move(scenarios), structuring::to_json(result),
                               nlohmann::ordered_json::object());
      },
      py::arg("deal"), py::arg("config"), py::arg("assumptions") = py::none(),
      py::arg("scenarios") = std::vector<std::filesystem::path>{},
      "Central differences under the standard bumps on common random numbers; the document of "
      "`computedebt sensitivities`.");
  module.def(
      "grid_patches",
      [](const io::DealFile& file, const std::string& grid) {
        const auto axes = structuring::read_grid(io::parse_json(grid, "grid"));
        structuring::check_grid(file, axes);
        std::vector<std::pair<std::string, std::vector<double>>> named;
        std::vector<std::string> patches;
        for (const auto& axis : axes) named.emplace_back(axis.path, axis.values);
        for (const auto& index : structuring::grid_indices(axes))
          patches.push_back(structuring::grid_patch(axes, index).dump());
        return py::make_tuple(named, patches);
      },
      py::arg("deal"), py::arg("grid"),
      "Checks a grid document (JSON text) against the deal; returns its axes as (path, values) pairs and every "
      "point's merge patch (JSON text), the last axis fastest.");
  module.def(
      "grid_point",
      [](const io::DealFile& file, const std::string& patch, const engine::SimulationConfig& config) {
        const auto parsed = io::parse_json(patch, "patch");
        const auto point = interruptible(config, [&](const engine::SimulationConfig& checked) {
          return structuring::grid_point(file, parsed, checked);
        });
        return structuring::to_json(point).dump();
      },
      py::arg("deal"), py::arg("patch"), py::arg("config"),
      "Prices one grid point (a merge patch of the assumptions, JSON text); returns its JSON.");
}

}  // namespace computedebt::python
