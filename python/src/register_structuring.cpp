// Structuring searches from Python, with the GIL released; their documents carry the same provenance as the
// command line's.
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/pricing/provenance.hpp>
#include <computedebt/structuring/search.hpp>

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
structuring::SearchResult interruptible(engine::SimulationConfig config, Search search) {
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
}

}  // namespace computedebt::python
