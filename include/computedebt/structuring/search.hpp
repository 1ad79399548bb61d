#pragma once
/// \file
/// Structuring searches over the engine with common random numbers (docs/methodology.md section 7): every trial re-runs
/// the same paths (same seed and path count), so the search is smooth in what it varies.

#include <computedebt/engine/simulation_config.hpp>
#include <computedebt/io/deal_file.hpp>

#include <nlohmann/json.hpp>

#include <limits>
#include <string>
#include <vector>

namespace computedebt::structuring {

/// One priced trial of a search.
struct Trial {
  double value;          ///< The notional or multiplier tried.
  double expected_loss;  ///< The tranche's EL, discounted at its coupons.
  double expected_loss_stderr;
  double wal_years;
  double target_expected_loss;  ///< The target rating's idealised EL at that WAL.
  bool passes;                  ///< `expected_loss <= target_expected_loss`.
};

/// The answer of a search and the trials that led to it, in the order they ran.
struct SearchResult {
  std::string tranche, target_rating;
  double value = 0.0;     ///< The largest passing notional or multiplier found.
  Trial at_value{};       ///< The trial at `value`.
  bool at_limit = false;  ///< `value` is the search's upper limit (all the equity, or the largest multiplier).
  std::vector<Trial> trials;
};

/// The largest notional of waterfall tranche `tranche`, up to `max_notional`, whose expected loss stays within
/// `target_rating`'s idealised expected loss at the trial's WAL, bisected to 0.1% of the starting notional. The
/// equity's investment changes by the opposite amount, so the capital stays the same. Refuses an unknown tranche or
/// rating with `InputError`.
SearchResult size_tranche(const io::DealFile& file, const std::string& tranche, const std::string& target_rating,
                          const engine::SimulationConfig& config,
                          double max_notional = std::numeric_limits<double>::infinity());

/// The largest multiplier on the default probabilities (the `pd_multiplier`, `S(t)^m`) of the counterparties of
/// `sectors` at which `tranche` still passes `target_rating`, bisected to 0.1% up to `max_multiplier`; 0 when
/// it fails even without those defaults.
SearchResult break_even_multiplier(const io::DealFile& file, const std::string& tranche,
                                   const std::string& target_rating, const std::vector<std::string>& sectors,
                                   const engine::SimulationConfig& config, double max_multiplier = 100.0);

/// The document `computedebt size` prints: `tranche`, `target_rating`, `notional` (or `multiplier` when
/// `value_name` says so), `expected_loss`, its standard error, `wal_years`, the target's idealised loss, and the
/// trials (each: the value, its expected loss and standard error, WAL, target expected loss, and whether it
/// passes).
nlohmann::ordered_json to_json(const SearchResult& result, const std::string& value_name = "notional");

}  // namespace computedebt::structuring
