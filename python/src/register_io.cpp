// Deal files from Python: load and validate, with refusals raised as ValueError carrying every problem.
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

namespace py = pybind11;

namespace computedebt::python {

namespace {

/// Loads (JSON text in, JSON text out) so that Python's own json module builds the dicts.
std::string load_deal_text(const std::filesystem::path& path, std::optional<std::filesystem::path> assumptions,
                           std::vector<std::filesystem::path> scenarios) {
  io::LoadOptions options{std::move(assumptions), std::move(scenarios)};
  return io::to_json(io::load_deal(path, options)).dump();
}

/// Validates a deal document given as JSON text: loads it and calibrates it, as `computedebt validate` does.
std::string validate_text(const std::string& text) {
  const auto file = io::load_deal_string(text, "deal");
  calibration::calibrate(file);
  return io::to_json(file).dump();
}

}  // namespace

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
  module.def("load_deal_text", &load_deal_text, py::arg("path"), py::arg("assumptions") = py::none(),
             py::arg("scenarios") = std::vector<std::filesystem::path>{},
             "Loads and validates a deal file; returns the deal document as JSON text (defaults filled in).");
  module.def("validate_text", &validate_text, py::arg("text"),
             "Validates and calibrates a deal document given as JSON text; returns it normalised.");
}

}  // namespace computedebt::python
