#pragma once
/// \file
/// The engine: blocks of paths on threads, merged in a fixed order, finished into results.

#include <computedebt/calibration/plan.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/engine/partial.hpp>
#include <computedebt/engine/simulation_config.hpp>
#include <computedebt/pricing/results.hpp>

namespace computedebt::engine {

/// Thrown when the progress callback asks to stop.
class Cancelled : public Error {
 public:
  Cancelled() : Error("the simulation was cancelled") {}
};

/// Number of leaves for `paths` paths.
inline std::uint64_t leaf_count(std::uint64_t paths) { return (paths + leaf_paths - 1) / leaf_paths; }

/// Simulates leaves `[first_leaf, last_leaf)` on the calling thread, merged along the fixed tree. For a Dask
/// task or any other distribution of work: the partials of aligned power-of-two runs of leaves merge into
/// exactly the partial of all of them. `config.keep_paths` is ignored here.
Partial simulate_blocks(const calibration::Plan& plan, const SimulationConfig& config, std::uint64_t first_leaf,
                        std::uint64_t last_leaf);

/// Where the portfolio loss VaR at `contribution_level` lies in the merged first pass `partial` of `paths` paths:
/// what a second pass over the same paths needs for risk contributions (`SimulationConfig::loss_tail`).
LossTail loss_tail(const Partial& partial, std::uint64_t paths);

/// Importance sampling is flagged when the effective sample size of its weights falls below this fraction of
/// the paths, or when the mean weight is more than `max_weight_errors` standard errors from 1
/// (docs/methodology.md section 7.4).
inline constexpr double min_ess_fraction = 0.01;
inline constexpr double max_weight_errors = 5.0;

/// The warnings of a run's estimates: collapsed likelihood-ratio weights (path `importance_shift`). Fewer than two
/// independent groups are warned about with the run's provenance (`pricing::run_provenance`).
std::vector<Problem> sampling_warnings(const pricing::Results& results);

/// Turns the merged partial of all leaves into results, with `sampling_warnings`; refuses a partial whose shape is
/// not that of a run of `plan` (`same_shape`).
pricing::Results finish(const calibration::Plan& plan, const SimulationConfig& config, const Partial& partial);

/// Runs every path on `config.threads` threads. The same seed and path count give bit-identical results
/// whatever the thread count and block size.
pricing::Results simulate(const calibration::Plan& plan, const SimulationConfig& config);

}  // namespace computedebt::engine
