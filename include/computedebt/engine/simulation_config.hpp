#pragma once
/// \file
/// How many paths to run, with which seed, on how many threads.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace computedebt::engine {

/// Paths form leaves of this many consecutive paths; partial statistics merge along a fixed binary tree
/// over leaves, so results depend only on the seed and the path count (docs/methodology.md section 7.2).
inline constexpr std::uint64_t leaf_paths = 1024;

/// The most paths one run takes (2^40, as `computedebt price --paths`): far beyond any useful run, and small
/// enough that no count of paths, leaves or path values can wrap around.
inline constexpr std::uint64_t max_paths = std::uint64_t{1} << 40;

/// The most threads one run takes (as `computedebt price --threads`).
inline constexpr unsigned max_threads = 1024;

/// Called from the calling thread with the paths done so far and the total; return false to cancel.
using Progress = std::function<bool(std::uint64_t done, std::uint64_t total)>;

/// Risk contributions are taken at this level of the portfolio loss distribution (VaR and expected shortfall).
inline constexpr double contribution_level = 0.99;

/// Where a run's portfolio loss VaR lies, from a first pass over the same paths: the contributions to VaR and
/// expected shortfall need it while the paths are summed (docs/methodology.md section 6.7). `loss_tail` computes it.
struct LossTail {
  std::uint32_t var_bin = 0;  ///< The portfolio loss histogram's bin holding the VaR.
  /// The weights of a path in the bin and above it: a holder's loss `L_i` enters the VaR contribution as
  /// `L_i var_factor` in the bin, and the expected shortfall's as `L_i es_bin_factor` in the bin and
  /// `L_i es_above_factor` above it.
  double var_factor = 0.0, es_bin_factor = 0.0, es_above_factor = 0.0;
  bool operator==(const LossTail&) const = default;
};

/// How an automatic importance-sampling shift was chosen (`engine::with_auto_shift`, docs/methodology.md
/// section 7.4); the results report it.
struct ShiftChoice {
  std::string method;             ///< "glasserman-li" or "cross-entropy".
  std::string target;             ///< The tranche whose losses the shift aims at.
  std::uint64_t pilot_paths = 0;  ///< Cross-entropy: the pilot's paths, with their own seed, never reused.
};

/// A run's settings. Only `paths`, `seed` and the variance reduction (`importance_shift`, `antithetic`,
/// `quasi_random`) affect the results; the rest affect speed.
struct SimulationConfig {
  std::uint64_t paths = 100000;  ///< In [1, max_paths].
  std::uint32_t seed = 1;
  unsigned threads = 0;            ///< 0: all hardware threads; at most max_threads.
  std::uint64_t block_leaves = 4;  ///< Leaves per unit of work; a power of two.
  bool keep_paths = false;         ///< Keep per-path values as flat arrays in the results.
  /// With `keep_paths`, a waterfall deal also keeps each tranche's interest, principal and balance after every
  /// payment date, per path: `paths x tranches x dates` values each.
  bool keep_flows = false;
  std::vector<int> gpu_multiplier_months;  ///< With `keep_paths`: keep each GPU type's `M(t_k)` at these months.
  /// Importance sampling of the factors: each independent factor normal `xi_f` is drawn from `N(mu_f, 1)`
  /// and the path weighted by `exp(-mu . xi + |mu|^2 / 2)`. Negative shifts on positively loaded factors put
  /// more paths in the senior tail. Empty: off. Results depend on it as on the seed.
  std::vector<double> importance_shift;
  /// How `importance_shift` was chosen when it was chosen automatically; reported, it changes no number.
  std::optional<ShiftChoice> shift_choice;
  /// Antithetic pairs: path `2m + 1` reflects path `2m`'s random numbers (`u -> 1 - u`); means and their
  /// standard errors are taken over pair averages. Needs an even path count. Results depend on it.
  bool antithetic = false;
  /// Randomised quasi-Monte Carlo factors: each leaf takes the first 1,024 points of a Sobol sequence for `xi`,
  /// digitally shifted at random; means and standard errors are over leaf averages. Needs a whole number of
  /// leaves (at least two) and excludes `antithetic`. Results depend on it.
  bool quasi_random = false;
  /// Risk contributions per counterparty and sector (docs/methodology.md section 6.7). `simulate` runs the paths
  /// twice: a first pass finds the VaR, the second allocates the losses around it.
  bool contributions = false;
  /// With `contributions`, the VaR's place from a first pass (`loss_tail`); `simulate` sets it itself, a caller
  /// of `simulate_blocks` sets it from the merged first round. Does not change any other result.
  std::optional<LossTail> loss_tail;
  /// Control variates for every tranche's expected loss (docs/methodology.md section 7.7): the portfolio loss at
  /// the horizon and, for loss tranches, the other tranches' losses, whose exact means come from the
  /// semi-analytic engine. Changes only the tranches' EL and LGD estimates, which then report their variance
  /// reduction.
  bool control_variates = false;
  Progress progress;  ///< Optional progress report and cancellation.
};

/// The statistics a run collects only when asked for.
struct OptionalStatistics {
  bool contributions = false;     ///< Risk contributions.
  bool control_variates = false;  ///< The control variates' co-moments.
};

/// What `config` asks to collect.
inline OptionalStatistics optional_statistics(const SimulationConfig& config) {
  return {config.contributions, config.control_variates};
}

}  // namespace computedebt::engine
