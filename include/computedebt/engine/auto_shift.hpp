#pragma once
/// \file
/// The automatic importance-sampling shift (`--importance-shift auto`, docs/methodology.md section 7.4): the
/// Glasserman-Li mode where the semi-analytic conditional model holds, a cross-entropy pilot run elsewhere.

#include <computedebt/calibration/plan.hpp>
#include <computedebt/engine/simulation_config.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace computedebt::engine {

/// The cross-entropy pilot: rounds of this many paths, ...
inline constexpr std::uint64_t pilot_round_paths = 8192;
/// ... at most this many rounds, ...
inline constexpr int pilot_max_rounds = 6;
/// ... each keeping its top fraction of paths (the elite) to set the next round's shift.
inline constexpr double pilot_elite_fraction = 0.05;

/// The pilot's seed: a run of `seed` never draws its paths, so the run's estimates are independent of its shift.
inline std::uint32_t pilot_seed(std::uint32_t seed) { return seed ^ 0x9e3779b9u; }

/// The index of the tranche named `name`; when `name` is empty, the most senior tranche: the loss tranche with
/// the highest attachment (the first of equals), or the waterfall's first tranche.
/// \throws InputError at `importance_target` for a name the deal does not have.
std::size_t importance_target(const calibration::Plan& plan, std::string_view name);

/// `config` with `importance_shift` chosen for the losses of tranche `target` (`importance_target`) and
/// `shift_choice` saying how:
/// - for a loss-tranche deal the conditional model of section 6.6 holds (no guarantee, at most three factor
///   directions), the Glasserman-Li mode of the event `L > A` (`analytic::glasserman_li_shift`);
/// - otherwise a cross-entropy pilot of up to `pilot_max_rounds` rounds of `pilot_round_paths` paths of
///   `pilot_seed(config.seed)`, plain pseudo-random, on `config.threads` threads; its result does not depend on
///   the thread count.
/// \throws InputError at `importance_target` for an unknown tranche, one that cannot lose, or a pilot in which
/// no path came near a loss.
SimulationConfig with_auto_shift(const calibration::Plan& plan, SimulationConfig config, std::string_view target = {});

}  // namespace computedebt::engine
