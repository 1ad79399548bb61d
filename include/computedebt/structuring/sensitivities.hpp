#pragma once
/// \file
/// Sensitivities by central differences on common random numbers (docs/methodology.md section 10.3): each input is
/// bumped up and down by a merge patch of the assumptions, both bumped deals run the same paths (same seed, path
/// count and variance reduction), and the difference's standard error comes from the paired per-group differences.

#include <computedebt/engine/simulation_config.hpp>
#include <computedebt/io/deal_file.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace computedebt::structuring {

/// How a bump moves its input `x` by the step `h`.
enum class BumpKind {
  value,  ///< The number at `input` becomes `x +- h`.
  shift,  ///< Every non-zero number under `input` moves by `+- h` away from zero (loadings) or up and down (rates).
  scale,  ///< Every number under `input` is multiplied by `1 +- h` (a level: rents), or, for a residual-value
          ///< table, every depreciation `1 - fraction` is.
};

/// One input moved both ways: its merge patches of the assumptions and the step of the central difference.
struct Bump {
  std::string input;  ///< JSON path of the bumped field, e.g. `assumptions.sectors.ai_startup.pd_multiplier`.
  BumpKind kind = BumpKind::value;
  double base_value = 0.0;          ///< The input's value (`value`), 0 (`shift`) or 1 (`scale`).
  double step = 0.0;                ///< `h`: the derivative is `(X(+h) - X(-h)) / (2 h)` per unit of the input.
  nlohmann::ordered_json up, down;  ///< Merge patches of the assumptions, or of the deal when `patches_deal`.
  bool patches_deal = false;        ///< A term of the deal (the PPAs' volumes), not an assumption.
};

/// The bumps `computedebt sensitivities` runs on `file`, with the sizes of docs/methodology.md section 10.3: each
/// sector in use (PD multiplier, factor loadings, recovery), each counterparty named in `assumptions.credit` (PD
/// multiplier), each GPU type (volatility, jump intensity, rent level, residual curve), the power price, the power
/// and capacity markets' volatilities, the PPAs' volumes (the share of power hedged), the discount curve, and each
/// rate index in use (its quotes in parallel, its Hull-White volatility). An input at 0 (a volatility, intensity,
/// multiplier or price) has no relative bump and is left out.
std::vector<Bump> standard_bumps(const io::DealFile& file);

/// An estimate of a run, with its standard error.
struct Estimate {
  double value = 0.0, standard_error = 0.0;
};

/// What the sensitivities are taken of: each tranche's expected loss, then, for waterfall deals, the equity's mean
/// IRR and the event-of-default probability.
struct Output {
  std::string name;     ///< `expected_loss`, `equity_irr_mean` or `event_of_default_probability`.
  std::string tranche;  ///< The tranche of an `expected_loss`; empty otherwise.
  Estimate base;        ///< In the unbumped run.
};

/// One output's central difference under one bump.
struct Difference {
  double up = 0.0, down = 0.0;  ///< The output in the two bumped runs.
  /// `(up - down) / (2 h)`, and its standard error from the paired per-group differences of the two runs.
  double derivative = 0.0, derivative_stderr = 0.0;
  /// The standard error the difference would have from two independent runs, `sqrt(se_up^2 + se_down^2) / (2 h)`.
  double independent_stderr = 0.0;
};

/// One bump and the differences of every output, in the order of `SensitivityResult::outputs`.
struct BumpResult {
  Bump bump;
  std::vector<Difference> differences;
};

/// The base run's outputs and each bump's central differences.
struct SensitivityResult {
  std::vector<Output> outputs;
  std::vector<BumpResult> bumps;
};

/// Runs the base deal and, for each bump, the two bumped deals, all on the paths of `config` (whose `keep_paths` and
/// GPU months are ignored). Independent groups are paths, antithetic pairs or quasi-random leaves, as the engine
/// takes them (docs/methodology.md section 7.4). `config.progress` is asked before each run, as in the searches.
SensitivityResult sensitivities(const io::DealFile& file, const std::vector<Bump>& bumps,
                                const engine::SimulationConfig& config);

/// The name of a bump kind: `value`, `shift` or `scale`.
std::string to_string(BumpKind kind);

/// The document of `computedebt sensitivities` (docs/deal_format.md section 11.2): `outputs` (each output's name,
/// tranche and base estimate) and `bumps` (each input, kind, base value, step, both patches and one difference per
/// output).
nlohmann::ordered_json to_json(const SensitivityResult& result);

}  // namespace computedebt::structuring
