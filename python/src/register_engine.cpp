// The engine from Python: whole runs with the GIL released, progress and Ctrl-C, per-path values as NumPy
// arrays without a copy, and runs of leaves as bytes for Dask.
#include <computedebt/analytic/semi_analytic.hpp>
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/auto_shift.hpp>
#include <computedebt/engine/explain.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/pricing/provenance.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <exception>

namespace py = pybind11;

namespace computedebt::python {

namespace {

/// A NumPy array that owns `values` (moved, not copied), shaped `shape`.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& values, std::vector<py::ssize_t> shape) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule free(owned, [](void* pointer) { delete static_cast<std::vector<T>*>(pointer); });
  return py::array_t<T>(shape, owned->data(), free);
}

py::dict path_values(pricing::PathValues&& values, std::size_t tranches, std::size_t gpu_types) {
  const auto paths = static_cast<py::ssize_t>(values.portfolio_loss.size());
  py::dict arrays;
  arrays["portfolio_loss"] = to_numpy(std::move(values.portfolio_loss), {paths});
  arrays["default_count"] = to_numpy(std::move(values.default_count), {paths});
  arrays["tranche_loss"] = to_numpy(std::move(values.tranche_loss), {paths, static_cast<py::ssize_t>(tranches)});
  if (!values.weight.empty()) arrays["weight"] = to_numpy(std::move(values.weight), {paths});
  const auto months = static_cast<py::ssize_t>(values.gpu_months.size());
  arrays["gpu_months"] = to_numpy(std::move(values.gpu_months), {months});
  arrays["gpu_multiplier"] =
      to_numpy(std::move(values.gpu_multiplier), {paths, static_cast<py::ssize_t>(gpu_types), months});
  if (!values.equity_irr.empty()) {
    arrays["equity_irr"] = to_numpy(std::move(values.equity_irr), {paths});
    arrays["money_multiple"] = to_numpy(std::move(values.money_multiple), {paths});
    arrays["event_of_default"] = to_numpy(std::move(values.event_of_default), {paths});
    arrays["collateral_value"] = to_numpy(std::move(values.collateral_value), {paths});
  }
  if (!values.interest.empty()) {
    const auto dates = static_cast<py::ssize_t>(values.interest.size()) / std::max<py::ssize_t>(1, paths) /
                       static_cast<py::ssize_t>(tranches);
    const std::vector<py::ssize_t> shape{paths, static_cast<py::ssize_t>(tranches), dates};
    arrays["interest"] = to_numpy(std::move(values.interest), shape);
    arrays["principal"] = to_numpy(std::move(values.principal), shape);
    arrays["balance"] = to_numpy(std::move(values.balance), shape);
  }
  return arrays;
}

/// Runs `config` on `file` without the GIL. The progress callback runs on this thread every 0.1 s: it checks
/// for Ctrl-C (KeyboardInterrupt stops the run) and calls `progress(done, total)`; a False return cancels.
/// The run's provenance, with the warnings of its estimates (`engine::sampling_warnings`) after the deal's.
pricing::Provenance run_provenance(const calibration::Plan& plan, const engine::SimulationConfig& config,
                                   const io::LoadOptions& sources, const pricing::Results& results) {
  auto provenance = pricing::run_provenance(plan, config, sources);
  provenance.warnings.insert(provenance.warnings.end(), results.warnings.begin(), results.warnings.end());
  return provenance;
}

py::tuple simulate(const io::DealFile& file, engine::SimulationConfig config, const py::object& progress,
                   const io::LoadOptions& sources) {
  const auto plan = calibration::calibrate(file);
  std::exception_ptr python_error;
  config.progress = [&](std::uint64_t done, std::uint64_t total) {
    py::gil_scoped_acquire gil;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (!progress.is_none()) {
        const py::object answer = progress(done, total);
        if (!answer.is_none() && !answer.cast<bool>()) return false;
      }
    } catch (...) {
      python_error = std::current_exception();
      return false;
    }
    return true;
  };
  pricing::Results results;
  try {
    py::gil_scoped_release release;
    results = engine::simulate(plan, config);
  } catch (const engine::Cancelled&) {
    if (python_error) std::rethrow_exception(python_error);
    throw;
  }
  std::string document =
      pricing::with_provenance(run_provenance(plan, config, sources, results), pricing::to_json(results)).dump();
  py::object arrays = py::none();
  if (results.path_values)
    arrays = path_values(std::move(*results.path_values), results.tranches.size(), plan.gpu.types);
  return py::make_tuple(std::move(document), arrays);
}

}  // namespace

void register_engine(py::module_& module) {
  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const engine::Cancelled& error) {
      PyErr_SetString(PyExc_RuntimeError, error.what());
    }
  });

  py::class_<engine::SimulationConfig>(module, "SimulationConfig", "How many paths, which seed, how many threads.")
      .def(py::init<>())
      .def_readwrite("paths", &engine::SimulationConfig::paths)
      .def_readwrite("seed", &engine::SimulationConfig::seed)
      .def_readwrite("threads", &engine::SimulationConfig::threads)
      .def_readwrite("block_leaves", &engine::SimulationConfig::block_leaves)
      .def_readwrite("keep_paths", &engine::SimulationConfig::keep_paths)
      .def_readwrite("keep_flows", &engine::SimulationConfig::keep_flows)
      .def_readwrite("gpu_multiplier_months", &engine::SimulationConfig::gpu_multiplier_months)
      .def_readwrite("importance_shift", &engine::SimulationConfig::importance_shift)
      .def_readwrite("antithetic", &engine::SimulationConfig::antithetic)
      .def_readwrite("quasi_random", &engine::SimulationConfig::quasi_random)
      .def_readwrite("contributions", &engine::SimulationConfig::contributions)
      .def_readwrite("control_variates", &engine::SimulationConfig::control_variates)
      .def_readwrite("loss_tail", &engine::SimulationConfig::loss_tail)
      .def_readwrite("shift_choice", &engine::SimulationConfig::shift_choice);

  py::class_<engine::ShiftChoice>(module, "ShiftChoice", "How an automatic importance-sampling shift was chosen.")
      .def_readonly("method", &engine::ShiftChoice::method)
      .def_readonly("target", &engine::ShiftChoice::target)
      .def_readonly("pilot_paths", &engine::ShiftChoice::pilot_paths);

  py::class_<engine::LossTail>(module, "LossTail",
                               "Where a first pass's 99% loss VaR lies, for the risk contributions of a second pass.")
      .def(py::init([](std::uint32_t var_bin, double var_factor, double es_bin_factor, double es_above_factor) {
             return engine::LossTail{var_bin, var_factor, es_bin_factor, es_above_factor};
           }),
           py::arg("var_bin"), py::arg("var_factor"), py::arg("es_bin_factor"), py::arg("es_above_factor"))
      .def("as_tuple", [](const engine::LossTail& tail) {
        return py::make_tuple(tail.var_bin, tail.var_factor, tail.es_bin_factor, tail.es_above_factor);
      });

  module.attr("leaf_paths") = engine::leaf_paths;
  module.attr("max_paths") = engine::max_paths;
  module.attr("max_threads") = engine::max_threads;
  module.def("leaf_count", &engine::leaf_count, py::arg("paths"), "Leaves of 1,024 paths for `paths` paths.");
  module.def(
      "months", [](const io::DealFile& file) { return calibration::calibrate(file).grid.months(); }, py::arg("deal"),
      "K, the deal's last grid month.");
  module.def(
      "simulate",
      [](const io::DealFile& file, const engine::SimulationConfig& config, const py::object& progress,
         std::optional<std::filesystem::path> assumptions, std::vector<std::filesystem::path> scenarios) {
        return simulate(file, config, progress, io::LoadOptions{std::move(assumptions), std::move(scenarios)});
      },
      py::arg("deal"), py::arg("config"), py::arg("progress") = py::none(), py::arg("assumptions") = py::none(),
      py::arg("scenarios") = std::vector<std::filesystem::path>{},
      "Runs every path; returns the results document (with its provenance: `assumptions` and `scenarios` name the "
      "files the deal was loaded with) as JSON text and the kept per-path arrays (or None).");
  module.def(
      "auto_importance_shift",
      [](const io::DealFile& file, const engine::SimulationConfig& config, const std::string& target) {
        const auto plan = calibration::calibrate(file);
        py::gil_scoped_release release;
        return engine::with_auto_shift(plan, config, target);
      },
      py::arg("deal"), py::arg("config"), py::arg("target") = std::string(),
      "`config` with the importance-sampling shift chosen for the tranche `target` (empty: the most senior) and "
      "`shift_choice` saying how (`--importance-shift auto`).");
  module.def(
      "price_semi_analytic",
      [](const io::DealFile& file, double tolerance, std::optional<std::filesystem::path> assumptions,
         std::vector<std::filesystem::path> scenarios) {
        const auto plan = calibration::calibrate(file);
        analytic::SemiAnalyticConfig config;
        config.tolerance = tolerance;
        pricing::Results results;
        {
          py::gil_scoped_release release;
          results = analytic::price(plan, config);
        }
        auto provenance = pricing::semi_analytic_provenance(
            plan, tolerance, io::LoadOptions{std::move(assumptions), std::move(scenarios)});
        provenance.warnings.insert(provenance.warnings.end(), results.warnings.begin(), results.warnings.end());
        return pricing::with_provenance(provenance, pricing::to_json(results)).dump();
      },
      py::arg("deal"), py::arg("tolerance"), py::arg("assumptions") = py::none(),
      py::arg("scenarios") = std::vector<std::filesystem::path>{},
      "Prices a loss-tranche deal semi-analytically (exact loss distribution, adaptive quadrature to `tolerance`); "
      "returns the results document as JSON text.");
  module.def(
      "simulate_blocks",
      [](const io::DealFile& file, const engine::SimulationConfig& config, std::uint64_t first_leaf,
         std::uint64_t last_leaf) {
        const auto plan = calibration::calibrate(file);
        std::string bytes;
        {
          py::gil_scoped_release release;
          bytes = engine::partial_to_bytes(engine::simulate_blocks(plan, config, first_leaf, last_leaf));
        }
        return py::bytes(bytes);
      },
      py::arg("deal"), py::arg("config"), py::arg("first_leaf"), py::arg("last_leaf"),
      "Simulates leaves [first_leaf, last_leaf), an aligned power-of-two run, and returns its partial as bytes.");
  module.def(
      "explain",
      [](const io::DealFile& file, const engine::SimulationConfig& config, std::uint64_t path,
         std::optional<std::filesystem::path> assumptions, std::vector<std::filesystem::path> scenarios) {
        const auto plan = calibration::calibrate(file);
        const auto trace = engine::explain_path(plan, config, path);
        auto provenance =
            pricing::run_provenance(plan, config, io::LoadOptions{std::move(assumptions), std::move(scenarios)});
        provenance.options["path"] = path;
        return pricing::with_provenance(provenance, engine::to_json(trace)).dump();
      },
      py::arg("deal"), py::arg("config"), py::arg("path"), py::arg("assumptions") = py::none(),
      py::arg("scenarios") = std::vector<std::filesystem::path>{},
      "Replays one path alone and returns its trace document (`computedebt explain --json`) as JSON text.");
  module.def(
      "loss_tail",
      [](const engine::SimulationConfig& config, const std::vector<py::bytes>& blocks) {
        std::vector<engine::Partial> partials;
        for (const auto& block : blocks) partials.push_back(engine::partial_from_bytes(std::string(block)));
        return engine::loss_tail(engine::merge_blocks(std::move(partials)), config.paths);
      },
      py::arg("config"), py::arg("blocks"),
      "Merges a first round's partials and returns where its 99% loss VaR lies, for a contributions round.");
  module.def(
      "finish_blocks",
      [](const io::DealFile& file, const engine::SimulationConfig& config, const std::vector<py::bytes>& blocks,
         std::optional<std::filesystem::path> assumptions, std::vector<std::filesystem::path> scenarios) {
        std::vector<engine::Partial> partials;
        for (const auto& block : blocks) partials.push_back(engine::partial_from_bytes(std::string(block)));
        const auto plan = calibration::calibrate(file);
        const auto results = engine::finish(plan, config, engine::merge_blocks(std::move(partials)));
        const io::LoadOptions sources{std::move(assumptions), std::move(scenarios)};
        return pricing::with_provenance(run_provenance(plan, config, sources, results), pricing::to_json(results))
            .dump();
      },
      py::arg("deal"), py::arg("config"), py::arg("blocks"), py::arg("assumptions") = py::none(),
      py::arg("scenarios") = std::vector<std::filesystem::path>{},
      "Merges the partials of consecutive equal aligned blocks along the fixed tree and returns the results "
      "document as JSON text.");
}

}  // namespace computedebt::python
