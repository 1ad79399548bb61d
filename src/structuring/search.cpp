#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/pricing/idealised_loss.hpp>
#include <computedebt/structuring/search.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "tranche_index.hpp"

namespace computedebt::structuring {

namespace {

std::size_t rating_index(const std::string& rating) {
  const auto& table = pricing::moodys_idealised_expected_loss();
  const auto found = table.find(rating);
  if (!found) {
    std::string ratings;
    for (const auto& r : table.ratings) ratings += (ratings.empty() ? "" : ", ") + r;
    throw InputError(
        {Problem{"target_rating", fmt::format("unknown rating \"{}\"; expected one of {}", rating, ratings)}});
  }
  return *found;
}

/// Prices `file` and judges tranche `t` against the rating.
Trial run_trial(const io::DealFile& file, std::size_t t, std::size_t rating, double value,
                const engine::SimulationConfig& config) {
  // The caller's progress callback is asked before each trial, then by the engine during it (each trial reports
  // its own paths); a False answer cancels the search with `engine::Cancelled`.
  if (config.progress && !config.progress(0, config.paths)) throw engine::Cancelled();
  engine::SimulationConfig trial_config = config;
  trial_config.keep_paths = false;
  const auto results = engine::simulate(calibration::calibrate(file), trial_config);
  const auto& tranche = results.tranches[t];
  const double target = pricing::moodys_idealised_expected_loss().expected_loss_at(rating, tranche.wal_years);
  return {value,  tranche.expected_loss,          tranche.expected_loss_stderr, tranche.wal_years,
          target, tranche.expected_loss <= target};
}

/// Bisects for the largest passing value in `[low, high]`, `low` passing and `high` failing, to `tolerance`.
void bisect(SearchResult& result, Trial low, double high, double tolerance, const std::function<Trial(double)>& trial) {
  while (high - low.value > tolerance) {
    const Trial middle = trial(0.5 * (low.value + high));
    result.trials.push_back(middle);
    if (middle.passes)
      low = middle;
    else
      high = middle.value;
  }
  result.value = low.value;
  result.at_value = low;
}

/// Doubles `high` (capped at `limit`) while trials pass, keeping the last passing one in `low`. Returns false when
/// even `limit` passes, with the result set at the limit; true when `[low, high]` brackets the answer.
bool bracket_upward(SearchResult& result, Trial& low, double& high, double limit,
                    const std::function<Trial(double)>& trial) {
  while (true) {
    const Trial next = trial(high);
    result.trials.push_back(next);
    if (!next.passes) return true;
    low = next;
    if (high >= limit) {
      result.value = high;
      result.at_value = next;
      result.at_limit = true;
      return false;
    }
    high = std::min(2.0 * high, limit);
  }
}

}  // namespace

SearchResult size_tranche(const io::DealFile& file, const std::string& tranche, const std::string& target_rating,
                          const engine::SimulationConfig& config, double max_notional) {
  const std::size_t t = detail::tranche_index(file, tranche);
  const std::size_t rating = rating_index(target_rating);
  const auto& waterfall = std::get<deal::Waterfall>(file.deal.structure);
  const double given = waterfall.tranches[t].notional;
  const double capital = given + waterfall.equity.investment;
  const double tolerance = 0.001 * given;
  // The equity keeps at least the tolerance, so that its investment stays positive; a delayed-draw tranche's
  // notional leaves room in its commitment for its draws.
  double most = std::min(capital - tolerance, max_notional);
  most = std::min(most, detail::notional_room(file, t));
  const double start = std::min(given, most);
  const auto trial = [&](double notional) {
    io::DealFile sized = file;
    auto& structure = std::get<deal::Waterfall>(sized.deal.structure);
    structure.tranches[t].notional = notional;
    structure.equity.investment = capital - notional;
    return run_trial(sized, t, rating, notional, config);
  };
  SearchResult result;
  result.tranche = tranche;
  result.target_rating = target_rating;
  Trial first = trial(start);
  result.trials.push_back(first);
  if (first.passes && start >= most) {
    result.value = start;
    result.at_value = first;
    result.at_limit = true;
  } else if (first.passes) {
    // Grow until a trial fails or the equity is used up.
    Trial low = first;
    double high = std::min(2.0 * start, most);
    if (bracket_upward(result, low, high, most, trial)) bisect(result, low, high, tolerance, trial);
  } else {
    // Shrink until a trial passes or the tranche is smaller than the tolerance.
    double high = start, low_value = 0.5 * start;
    while (true) {
      const Trial next = trial(low_value);
      result.trials.push_back(next);
      if (next.passes) {
        bisect(result, next, high, tolerance, trial);
        break;
      }
      high = low_value;
      low_value *= 0.5;
      if (low_value < tolerance) {
        result.value = 0.0;
        result.at_value = next;
        break;
      }
    }
  }
  return result;
}

SearchResult break_even_multiplier(const io::DealFile& file, const std::string& tranche,
                                   const std::string& target_rating, const std::vector<std::string>& sectors,
                                   const engine::SimulationConfig& config, double max_multiplier) {
  const std::size_t t = detail::tranche_index(file, tranche);
  const std::size_t rating = rating_index(target_rating);
  std::vector<Problem> problems;
  for (const auto& sector : sectors) {
    const bool used = std::any_of(file.deal.counterparties.begin(), file.deal.counterparties.end(),
                                  [&](const deal::Counterparty& c) { return c.sector == sector; });
    if (!used) problems.push_back({"sectors", fmt::format("no counterparty is in sector \"{}\"", sector)});
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  const auto trial = [&](double multiplier) {
    io::DealFile stressed = file;
    auto& assumptions = stressed.assumptions;
    for (const auto& sector : sectors) assumptions.sectors[sector].pd_multiplier *= multiplier;
    for (const auto& counterparty : stressed.deal.counterparties) {
      if (std::find(sectors.begin(), sectors.end(), counterparty.sector) == sectors.end()) continue;
      const auto entry = assumptions.credit.find(counterparty.id);
      if (entry != assumptions.credit.end() && entry->second.pd_multiplier) *entry->second.pd_multiplier *= multiplier;
    }
    return run_trial(stressed, t, rating, multiplier, config);
  };
  SearchResult result;
  result.tranche = tranche;
  result.target_rating = target_rating;
  const double tolerance = 0.001;
  Trial low = trial(0.0);
  result.trials.push_back(low);
  if (!low.passes) {
    result.at_value = low;
    return result;
  }
  // Double from 1 until a trial fails; the multiplier's bisection then runs to 0.1% of the bracket's top.
  double high = 1.0;
  if (bracket_upward(result, low, high, max_multiplier, trial)) bisect(result, low, high, tolerance * high, trial);
  return result;
}

nlohmann::ordered_json to_json(const SearchResult& result, const std::string& value_name) {
  using Json = nlohmann::ordered_json;
  Json trials = Json::array();
  for (const auto& trial : result.trials)
    trials.push_back({{value_name, trial.value},
                      {"expected_loss", trial.expected_loss},
                      {"expected_loss_stderr", trial.expected_loss_stderr},
                      {"wal_years", trial.wal_years},
                      {"target_expected_loss", trial.target_expected_loss},
                      {"passes", trial.passes}});
  return {{"tranche", result.tranche},
          {"target_rating", result.target_rating},
          {value_name, result.value},
          {"expected_loss", result.at_value.expected_loss},
          {"expected_loss_stderr", result.at_value.expected_loss_stderr},
          {"wal_years", result.at_value.wal_years},
          {"target_expected_loss", result.at_value.target_expected_loss},
          {"at_limit", result.at_limit},
          {"trials", trials}};
}

}  // namespace computedebt::structuring
