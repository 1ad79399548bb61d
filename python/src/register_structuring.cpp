// Structuring searches from Python, with the GIL released.
#include <computedebt/structuring/search.hpp>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;

namespace computedebt::python {

void register_structuring(py::module_& module) {
  module.def(
      "size_tranche",
      [](const io::DealFile& file, const std::string& tranche, const std::string& rating,
         const engine::SimulationConfig& config) {
        structuring::SearchResult result;
        {
          py::gil_scoped_release release;
          result = structuring::size_tranche(file, tranche, rating, config);
        }
        return structuring::to_json(result).dump();
      },
      py::arg("deal"), py::arg("tranche"), py::arg("target_rating"), py::arg("config"),
      "The largest notional of a tranche meeting the target rating; the document of `computedebt size`.");
  module.def(
      "break_even_multiplier",
      [](const io::DealFile& file, const std::string& tranche, const std::string& rating,
         const std::vector<std::string>& sectors, const engine::SimulationConfig& config, double max_multiplier) {
        structuring::SearchResult result;
        {
          py::gil_scoped_release release;
          result = structuring::break_even_multiplier(file, tranche, rating, sectors, config, max_multiplier);
        }
        auto document = structuring::to_json(result, "multiplier");
        document["sectors"] = sectors;
        return document.dump();
      },
      py::arg("deal"), py::arg("tranche"), py::arg("target_rating"), py::arg("sectors"), py::arg("config"),
      py::arg("max_multiplier") = 100.0,
      "The largest multiplier on the sectors' default probabilities at which the tranche meets the rating.");
}

}  // namespace computedebt::python
