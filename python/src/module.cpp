// computedebt._core: one register_* function per pipeline stage.
#include <computedebt/version.hpp>

#include <pybind11/pybind11.h>

namespace computedebt::python {
void register_io(pybind11::module_& module);
void register_engine(pybind11::module_& module);
void register_structuring(pybind11::module_& module);
}  // namespace computedebt::python

PYBIND11_MODULE(_core, module) {
  module.doc() = "computedebt's compiled core; use the computedebt package rather than this module.";
  module.attr("__version__") = COMPUTEDEBT_VERSION_STRING;
  computedebt::python::register_io(module);
  computedebt::python::register_engine(module);
  computedebt::python::register_structuring(module);
}
