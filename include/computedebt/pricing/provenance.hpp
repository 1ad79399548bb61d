#pragma once
/// \file
/// Provenance: every output document (`price --json`, `size`, `break-even`, `validate --json`) starts with
/// which computedebt and deal format produced it, from which deal, paths, seed and options, and the deal's
/// warnings (docs/deal_format.md, "Output provenance").

#include <computedebt/calibration/plan.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/engine/simulation_config.hpp>
#include <computedebt/io/load.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace computedebt::pricing {

/// Where a document's numbers come from.
struct Provenance {
  std::string deal;                    ///< The deal's name.
  std::optional<std::uint64_t> paths;  ///< None when nothing was simulated (`validate`).
  std::optional<std::uint32_t> seed;   ///< None when nothing was simulated.
  /// The options used: see `run_options` and `source_options`, plus a command's own (e.g. `tranche`).
  nlohmann::ordered_json options = nlohmann::ordered_json::object();
  std::vector<Problem> warnings;  ///< The deal's plausible mistakes (`calibration::warnings`).
};

/// The files a deal was loaded with, where given: `assumptions` (a string) and `scenarios` (their list).
nlohmann::ordered_json source_options(const io::LoadOptions& sources);

/// The options of a run that affect its numbers, and the files: `importance_shift` (per factor, when used),
/// `antithetic`, `quasi_random`, then `source_options(sources)`. The thread count is left out: it never
/// changes the numbers.
nlohmann::ordered_json run_options(const engine::SimulationConfig& config, const io::LoadOptions& sources);

/// The provenance of a run of `config` on `plan`'s deal, loaded with `sources`: the deal's name, the paths and
/// seed, `run_options` and the deal's `calibration::warnings`, plus one at `paths` when the run has fewer than two
/// independent groups (no standard error). A command adds its own options to `options`.
Provenance run_provenance(const calibration::Plan& plan, const engine::SimulationConfig& config,
                          const io::LoadOptions& sources);

/// The provenance of a semi-analytic run on `plan`'s deal (docs/methodology.md section 6.6): no paths nor seed,
/// `options` `{method: "semi-analytic", tolerance}` and `source_options(sources)`, and the deal's warnings.
Provenance semi_analytic_provenance(const calibration::Plan& plan, double tolerance, const io::LoadOptions& sources);

/// Problems or warnings as `[{"path": ..., "message": ...}]`.
nlohmann::ordered_json to_json(const std::vector<Problem>& problems);

/// `document` led by `computedebt_version`, `format_version` (the deal format's), `deal`, `paths`, `seed` (null
/// when none), `options` and `warnings`; the document's own fields follow, except those it replaces.
nlohmann::ordered_json with_provenance(const Provenance& provenance, const nlohmann::ordered_json& document);

}  // namespace computedebt::pricing
