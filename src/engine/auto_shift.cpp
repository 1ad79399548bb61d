#include "path_runner.hpp"

#include <computedebt/analytic/tail_mode.hpp>
#include <computedebt/engine/auto_shift.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <numeric>
#include <thread>

namespace computedebt::engine {

namespace {

/// Ranks pilot paths by how near the target tranche came to a loss: its own loss, then the losses of all tranches
/// weighted by their sizes, then the portfolio's credit loss (docs/methodology.md section 7.4).
using Key = std::array<double, 3>;

/// One round of pilot paths.
struct Round {
  std::vector<double> normals;  ///< `paths x F`: each path's `xi`.
  std::vector<double> weight;
  std::vector<std::uint8_t> hit;  ///< Whether the target tranche lost.
  std::vector<Key> key;
};

const std::string& tranche_name(const calibration::Plan& plan, std::size_t t) {
  return plan.is_waterfall() ? plan.waterfall.names[t] : plan.loss_tranches[t].name;
}

/// Each tranche's size, the weight of its loss in the ranking key.
std::vector<double> tranche_sizes(const calibration::Plan& plan) {
  if (plan.is_waterfall()) return plan.waterfall.notional;
  std::vector<double> sizes;
  for (const auto& tranche : plan.loss_tranches) sizes.push_back(tranche.detachment - tranche.attachment);
  return sizes;
}

/// Runs pilot paths `[first, first + pilot_round_paths)` of `seed` with the shift `shift`, each thread a contiguous
/// share of them, each path written to its own place: the round does not depend on the thread count.
Round run_round(const calibration::Plan& plan, const std::vector<double>& shift, std::uint32_t seed,
                std::uint64_t first, std::size_t target, unsigned threads) {
  const std::size_t n = pilot_round_paths, factors = plan.credit.factors;
  Round round{std::vector<double>(n * factors), std::vector<double>(n), std::vector<std::uint8_t>(n),
              std::vector<Key>(n)};
  const auto sizes = tranche_sizes(plan);
  SimulationConfig config;
  config.importance_shift = shift;
  std::vector<std::exception_ptr> failures(threads);
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < threads; ++t)
      workers.emplace_back([&, t] {
        try {
          detail::PathRunner runner(plan, config);
          for (std::size_t p = n * t / threads; p < n * (t + 1) / threads; ++p) {
            const auto& outcome = runner.replay(seed, first + p, nullptr);
            std::copy_n(runner.normals().begin(), factors,
                        round.normals.begin() + static_cast<std::ptrdiff_t>(p * factors));
            round.weight[p] = outcome.weight;
            round.hit[p] = outcome.tranche_hit[target];
            double debt_loss = 0.0;
            for (std::size_t k = 0; k < sizes.size(); ++k) debt_loss += outcome.tranche_loss[k] * sizes[k];
            round.key[p] = {outcome.tranche_loss[target], debt_loss, outcome.portfolio_loss};
          }
        } catch (...) {
          failures[t] = std::current_exception();
        }
      });
  }
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
  return round;
}

/// The likelihood-weighted mean of `xi` over the paths `elite`, in path order.
std::vector<double> weighted_mean(const Round& round, const std::vector<std::size_t>& elite, std::size_t factors) {
  std::vector<double> mean(factors, 0.0);
  double total = 0.0;
  for (const std::size_t p : elite) {
    total += round.weight[p];
    for (std::size_t f = 0; f < factors; ++f) mean[f] += round.weight[p] * round.normals[p * factors + f];
  }
  for (double& value : mean) value /= total;
  return mean;
}

/// Cross-entropy: each round keeps the paths on which the target tranche lost, when at least the elite fraction
/// did; otherwise the elite fraction of paths ranked by `Key` (a lowered threshold). The next shift is their
/// likelihood-weighted mean `xi`. It stops at the first round that reaches the tranche's own event.
std::vector<double> cross_entropy_shift(const calibration::Plan& plan, const SimulationConfig& config,
                                        std::size_t target, std::uint64_t& pilot_paths) {
  const std::size_t factors = plan.credit.factors;
  const auto elite_size = static_cast<std::size_t>(std::ceil(pilot_elite_fraction * pilot_round_paths));
  const unsigned threads = config.threads > 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::uint32_t seed = pilot_seed(config.seed);
  std::vector<double> shift(factors, 0.0);
  for (int r = 0; r < pilot_max_rounds; ++r) {
    const Round round = run_round(plan, shift, seed, static_cast<std::uint64_t>(r) * pilot_round_paths, target,
                                  std::min<unsigned>(threads, pilot_round_paths));
    pilot_paths += pilot_round_paths;
    std::vector<std::size_t> elite;
    for (std::size_t p = 0; p < pilot_round_paths; ++p)
      if (round.hit[p]) elite.push_back(p);
    const bool reached = elite.size() >= elite_size;
    if (!reached) {
      std::vector<std::size_t> order(pilot_round_paths);
      std::iota(order.begin(), order.end(), std::size_t{0});
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return round.key[a] > round.key[b]; });
      const Key level = round.key[order[elite_size - 1]];
      // A level of no loss at all would keep every path: keep only those that lost something.
      const bool nothing = level == Key{};
      elite.clear();
      for (std::size_t p = 0; p < pilot_round_paths; ++p)
        if (nothing ? round.key[p] > Key{} : round.key[p] >= level) elite.push_back(p);
      require_input(!elite.empty(), "importance_target",
                    "no path of the pilot run came near a loss of tranche '{}' (no tranche and no counterparty lost "
                    "anything in {} paths): give the shift by hand",
                    tranche_name(plan, target), pilot_round_paths);
    }
    shift = weighted_mean(round, elite, factors);
    if (reached) break;
  }
  return shift;
}

/// `mu` scaled down to length 10 if longer: the sampler takes no larger shift of any factor.
void cap(std::vector<double>& shift) {
  double length = 0.0;
  for (const double value : shift) length += value * value;
  length = std::sqrt(length);
  if (length > 10.0)
    for (double& value : shift) value *= 10.0 / length;
}

}  // namespace

std::size_t importance_target(const calibration::Plan& plan, std::string_view name) {
  std::vector<std::string> names;
  for (std::size_t t = 0; t < plan.tranche_count(); ++t) names.push_back(tranche_name(plan, t));
  if (name.empty()) {
    if (plan.is_waterfall()) return 0;
    std::size_t senior = 0;
    for (std::size_t t = 1; t < plan.loss_tranches.size(); ++t)
      if (plan.loss_tranches[t].attachment > plan.loss_tranches[senior].attachment) senior = t;
    return senior;
  }
  const auto found = std::find(names.begin(), names.end(), name);
  require_input(found != names.end(), "importance_target", "the deal has no tranche named '{}'; its tranches are {}",
                name, fmt::join(names, ", "));
  return static_cast<std::size_t>(found - names.begin());
}

SimulationConfig with_auto_shift(const calibration::Plan& plan, SimulationConfig config, std::string_view target) {
  const std::size_t t = importance_target(plan, target);
  ShiftChoice choice{"glasserman-li", tranche_name(plan, t)};
  if (analytic::conditional_model_applies(plan)) {
    config.importance_shift = analytic::glasserman_li_shift(plan, plan.loss_tranches[t].attachment).shift;
  } else {
    choice.method = "cross-entropy";
    config.importance_shift = cross_entropy_shift(plan, config, t, choice.pilot_paths);
    cap(config.importance_shift);
  }
  config.shift_choice = std::move(choice);
  return config;
}

}  // namespace computedebt::engine
