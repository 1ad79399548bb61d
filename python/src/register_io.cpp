// Deal files from Python: DealFile (the terms and assumptions) loads, validates, serialises and pickles;
// refusals are raised as ValueError carrying every problem.
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/calibration/warnings.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>

#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

namespace py = pybind11;

namespace computedebt::python {

void register_io(py::module_& module) {
  // InputError becomes ValueError with a `problems` attribute: a list of (path, message) pairs.
  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const InputError& error) {
      py::list problems;
      for (const auto& problem : error.problems()) problems.append(py::make_tuple(problem.path, problem.message));
      py::object exception = py::module_::import("builtins").attr("ValueError")(error.what());
      exception.attr("problems") = problems;
      PyErr_SetObject(PyExc_ValueError, exception.ptr());
    }
  });

  py::class_<io::DealFile>(module, "DealFile", "A validated deal file: the deal's terms and the assumptions.")
      .def_static(
          "from_json", [](const std::string& text) { return io::load_deal_string(text, "deal"); }, py::arg("text"),
          "Loads and validates a deal document given as JSON text.")
      .def_static(
          "load",
          [](const std::filesystem::path& path, std::optional<std::filesystem::path> assumptions,
             std::vector<std::filesystem::path> scenarios) {
            return io::load_deal(path, io::LoadOptions{std::move(assumptions), std::move(scenarios)});
          },
          py::arg("path"), py::arg("assumptions") = py::none(),
          py::arg("scenarios") = std::vector<std::filesystem::path>{},
          "Loads and validates a deal file, replacing its assumptions and applying merge-patch scenarios.")
      .def(
          "to_json", [](const io::DealFile& file, int indent) { return io::to_json(file).dump(indent); },
          py::arg("indent") = -1, "The deal document as JSON text, every default filled in.")
      .def_property_readonly("name", [](const io::DealFile& file) { return file.deal.name; })
      .def(
          "validate", [](const io::DealFile& file) { calibration::calibrate(file); },
          "Calibrates the deal as `computedebt validate` does; raises ValueError if a curve cannot be built.")
      .def(
          "warnings",
          [](const io::DealFile& file) {
            std::vector<std::pair<std::string, std::string>> found;
            for (auto& problem : calibration::calibrate(file).warnings)
              found.emplace_back(std::move(problem.path), std::move(problem.message));
            return found;
          },
          "The deal's plausible mistakes, as (path, message) pairs; calibrates it as `validate` does.")
      .def(
          "with_scenario",
          [](const io::DealFile& file, const std::string& patch) {
            const std::vector<nlohmann::ordered_json> patches{io::parse_json(patch, "the patch")};
            const std::vector<std::string> names{"with_assumptions(patch)"};
            return io::load_deal_json(io::to_json(file), std::nullopt, patches, names);
          },
          py::arg("patch"),
          "A copy with a JSON merge patch (JSON text) applied to the assumptions, checked as `--scenario` is.")
      .def(py::self == py::self)
      .def(py::pickle([](const io::DealFile& file) { return io::to_json(file).dump(); },
                      [](const std::string& text) { return io::load_deal_string(text, "pickle"); }));
}

}  // namespace computedebt::python
