#pragma once
/// \file
/// What a run reports (MODEL.md section 6), and its JSON document (DEAL_FORMAT.md).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace computedebt::pricing {

/// One tranche's loss statistics. Fractions of the tranche's size.
struct TrancheResult {
  std::string name;
  double attachment = 0.0, detachment = 0.0;  ///< Loss tranches only.
  double expected_loss = 0.0;
  double expected_loss_stderr = 0.0;
  double default_probability = 0.0;  ///< Loss tranches: `P(L > A)`.
  double loss_given_default = 0.0;   ///< `EL / PD`; 0 when PD is 0.
};

/// The portfolio loss distribution and defaults.
struct PortfolioResult {
  double expected_loss = 0.0;
  double expected_loss_stderr = 0.0;
  double loss_var_99 = 0.0, loss_es_99 = 0.0;
  double loss_var_999 = 0.0, loss_es_999 = 0.0;
  double expected_defaults = 0.0;
  double expected_defaults_stderr = 0.0;
  std::vector<double> default_count_distribution;  ///< Probability of exactly `n` counterparty defaults.
};

/// Per-path values, kept on request, as flat arrays indexed by path.
struct PathValues {
  std::vector<double> portfolio_loss;
  std::vector<std::uint32_t> default_count;
  std::vector<double> tranche_loss;    ///< `paths x tranches`, row-major by path.
  std::vector<double> weight;          ///< Each path's likelihood ratio; empty without importance sampling.
  std::vector<int> gpu_months;         ///< The months of `gpu_multiplier`.
  std::vector<double> gpu_multiplier;  ///< `paths x GPU types x gpu_months`, row-major by path.
};

/// The results of a run.
struct Results {
  std::string deal;
  std::uint64_t paths = 0;
  std::uint32_t seed = 0;
  unsigned threads = 0;
  double elapsed_seconds = 0.0;
  std::vector<double> importance_shift;  ///< The factor shift used, empty without importance sampling.
  bool antithetic = false;               ///< Whether antithetic pairs were used.
  bool quasi_random = false;             ///< Whether the factors were randomised quasi-random.
  PortfolioResult portfolio;
  std::vector<TrancheResult> tranches;
  std::optional<PathValues> path_values;
};

/// The results document of `computedebt price --json`.
nlohmann::ordered_json to_json(const Results& results);

}  // namespace computedebt::pricing
