// Floating rates: a tranche's index and margin, and the assumptions' rate indices (docs/deal_format.md sections
// 4.3 and 5.12).

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "ranges.hpp"
#include "readers.hpp"

namespace computedebt::io::detail {

namespace {

using namespace computedebt::assumptions;

inline constexpr Range margin_bp{-1000.0, 1e4, true, true, "a margin in [-1000, 10000] bp"};
inline constexpr Range mean_reversion{1e-4, 5.0, true, true, "a mean reversion in [0.0001, 5] per year"};
inline constexpr Range covenant_threshold{0.0, max_amount, true, true, "a threshold >= 0 (at most 1e15)"};
// Above 10% a year of normal volatility, rates reach hundreds of percent on some paths within a deal's life.
inline constexpr Range rate_volatility{0.0, 0.1, false, true, "a rate volatility in (0, 0.1] per sqrt(year)"};

/// Reads a map of tenor to rate, in maturity order; nothing if any entry is bad.
std::optional<std::vector<RateQuote>> read_quotes(const Field& field, Problems& problems) {
  auto entries = read_tenor_map(field, problems, interest_rate);
  if (!entries) return std::nullopt;
  std::vector<RateQuote> quotes;
  for (const auto& [tenor, rate] : *entries) {
    // A longer swap has more overnight fixings than any market quotes, and would only slow the bootstrap.
    if (tenor.months() > 12 * max_term_years) {
      problems.add(member_path(field.path, std::to_string(tenor.length) + (tenor.in_years ? "Y" : "M")),
                   fmt::format("expected a tenor of at most {} years", max_term_years));
      return std::nullopt;
    }
    quotes.push_back({tenor, rate});
  }
  return quotes;
}

std::optional<OvernightIndex> read_conventions(const Field& field, Problems& problems) {
  auto name = read_string(field, problems);
  if (!name) return std::nullopt;
  if (*name == "SOFR") return OvernightIndex::sofr;
  if (*name == "SONIA") return OvernightIndex::sonia;
  if (*name == "ESTR") return OvernightIndex::estr;
  problems.add(field.path, fmt::format("expected \"SOFR\", \"SONIA\" or \"ESTR\", got \"{}\"", *name));
  return std::nullopt;
}

std::optional<HullWhiteModel> read_hull_white(const Field& field, Problems& problems, const Factors& factors,
                                              bool correlation_valid) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  auto a = read_member(object, "mean_reversion", true, read_number, mean_reversion);
  auto sigma = read_member(object, "volatility", true, read_number, rate_volatility);
  HullWhiteModel model{a.value_or(0.1), sigma.value_or(0.0), {}};
  if (auto loadings = object.optional("factor_loadings"))
    model.factor_loadings =
        read_loadings(*loadings, problems, factors, correlation_valid, false).value_or(FactorLoadings{});
  if (!a || !sigma) return std::nullopt;
  return model;
}

/// Reads one level of a margin grid on `metric`: its threshold under the key the metric's direction calls for.
std::optional<deal::MarginLevel> read_margin_level(const Field& field, Problems& problems,
                                                   const deal::CovenantMetric& metric) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  deal::MarginLevel level;
  auto margin = read_member(object, "margin_bp", true, read_number, margin_bp);
  const bool rating_factor = std::holds_alternative<deal::WeightedAverageRatingFactor>(metric);
  const char* key = deal::higher_is_worse(metric) ? "at_most" : "at_least";
  std::optional<double> threshold;
  if (rating_factor && object.has("at_least_rating")) {
    if (object.has(key)) {
      problems.add(field.path, "gives both at_most and at_least_rating; expected one of them");
      object.ignore_rest();
    }
    if (auto text = read_member(object, "at_least_rating", true, read_string)) {
      level.rating = deal::parse_rating(*text);
      if (!level.rating)
        problems.add(member_path(field.path, "at_least_rating"),
                     fmt::format("expected a rating from AAA to CCC/C, got \"{}\"", *text));
      else
        threshold = deal::rating_factor(*level.rating);
    }
  } else if (object.has(key) || !object.has(deal::higher_is_worse(metric) ? "at_least" : "at_most")) {
    threshold = read_member(object, key, true, read_number, covenant_threshold);
  } else {
    problems.add(field.path, fmt::format("expected {}: this metric is better {}{}", key,
                                         deal::higher_is_worse(metric) ? "lower" : "higher",
                                         rating_factor ? " (or at_least_rating, a rating)" : ""));
    object.ignore_rest();
  }
  if (!margin || !threshold) return std::nullopt;
  level.threshold = *threshold;
  level.margin_bp = *margin;
  return level;
}

/// Reads a margin grid: a metric with a value at the valuation date and its levels, best first.
std::optional<deal::MarginGrid> read_margin_grid(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  std::optional<deal::CovenantMetric> metric;
  if (auto f = object.required("metric")) metric = read_metric(*f, problems);
  if (metric && (std::holds_alternative<deal::DebtServiceCoverage>(*metric) ||
                 std::holds_alternative<deal::Liquidity>(*metric))) {
    problems.add(member_path(member_path(field.path, "metric"), "type"),
                 "expected a metric with a value at the valuation date, which sets the first period's margin: "
                 "\"ltv\", \"contracted_coverage\", \"investment_grade_share\" or "
                 "\"weighted_average_rating_factor\"");
    metric.reset();
  }
  auto levels_field = object.required("levels");
  if (!metric) {
    object.ignore_rest();
    return std::nullopt;
  }
  deal::MarginGrid grid{*metric, {}};
  auto elements = levels_field ? read_array(*levels_field, problems, false) : std::nullopt;
  if (!elements) return std::nullopt;
  const std::size_t before = problems.size();
  for (const auto& element : *elements)
    if (auto level = read_margin_level(element, problems, *metric)) {
      // Best first: each level asks for less than the one before, so the first that holds is the best met.
      const bool higher_is_worse = deal::higher_is_worse(*metric);
      if (!grid.levels.empty() && (higher_is_worse ? level->threshold <= grid.levels.back().threshold
                                                   : level->threshold >= grid.levels.back().threshold))
        problems.add(element.path,
                     fmt::format("expected levels best first: a threshold {} the level before's {}, "
                                 "got {}",
                                 higher_is_worse ? "above" : "below", grid.levels.back().threshold, level->threshold));
      grid.levels.push_back(*level);
    }
  if (problems.size() != before) return std::nullopt;
  return grid;
}

}  // namespace

std::optional<deal::FloatingRate> read_floating_rate(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  deal::FloatingRate rate;
  auto index = read_member(object, "index", true, read_id);
  auto margin = read_member(object, "margin_bp", true, read_number, margin_bp);
  rate.floor = read_member(object, "floor", false, read_number, interest_rate);
  rate.cap = read_member(object, "cap", false, read_number, interest_rate);
  if (rate.floor && rate.cap && *rate.cap < *rate.floor)
    problems.add(member_path(field.path, "cap"),
                 fmt::format("expected a cap at or above the floor of {}, got {}", *rate.floor, *rate.cap));
  if (auto grid = object.optional("margin_grid")) rate.margin_grid = read_margin_grid(*grid, problems);
  if (!index || !margin) return std::nullopt;
  rate.index = *index;
  rate.margin_bp = *margin;
  return rate;
}

std::map<std::string, RateIndex> read_rate_indices(const Field& field, Problems& problems, const Factors& factors,
                                                   bool correlation_valid) {
  std::map<std::string, RateIndex> indices;
  auto members = read_map(field, problems);
  if (!members) return indices;
  for (const auto& [name, value] : *members) {
    ObjectReader object(value.value, value.path, problems);
    if (!object.valid()) continue;
    RateIndex index;
    if (auto conventions = read_member(object, "conventions", false, read_conventions))
      index.conventions = *conventions;
    if (auto deposits = object.optional("deposits"))
      index.deposits = read_quotes(*deposits, problems).value_or(std::vector<RateQuote>{});
    if (auto swaps = object.optional("ois_swaps"))
      index.ois_swaps = read_quotes(*swaps, problems).value_or(std::vector<RateQuote>{});
    if (index.deposits.empty() && index.ois_swaps.empty() && !problems.any_at_or_under(value.path))
      problems.add(
          value.path,
          "expected at least one quote: give deposits, ois_swaps or both, e.g. {\"ois_swaps\": {\"1Y\": 0.04}}");
    for (const auto& deposit : index.deposits)
      if (std::any_of(index.ois_swaps.begin(), index.ois_swaps.end(),
                      [&](const RateQuote& swap) { return swap.tenor.months() == deposit.tenor.months(); }))
        problems.add(value.path, fmt::format("a deposit and a swap both quote the maturity of {} months; keep one",
                                             deposit.tenor.months()));
    if (auto model = object.optional("hull_white"))
      index.hull_white = read_hull_white(*model, problems, factors, correlation_valid);
    indices.emplace(name, std::move(index));
  }
  return indices;
}

}  // namespace computedebt::io::detail

namespace computedebt::io::detail {

namespace {

inline constexpr Range hedge_share{0.0, 10.0, false, true, "a share of the tranche's balance in (0, 10]"};

std::optional<deal::HedgeNotional> read_hedge_notional(const Field& field, Problems& problems,
                                                       const deal::Waterfall& structure) {
  if (field.value.is_number()) {
    if (auto amount = read_number(field, problems, positive_amount)) return deal::HedgeNotional{*amount};
    return std::nullopt;
  }
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  if (object.has("tranche") == object.has("schedule")) {
    problems.add(field.path, R"(expected an amount, {"tranche": name, "share": number} or {"schedule": [amounts]})");
    object.ignore_rest();
    return std::nullopt;
  }
  if (auto schedule = object.optional("schedule")) {
    auto amounts = read_numbers(*schedule, problems, non_negative_amount);
    if (!amounts) return std::nullopt;
    return deal::HedgeNotional{*amounts};
  }
  deal::TrancheNotional notional;
  auto tranche = read_member(object, "tranche", true, read_id);
  if (auto share = read_member(object, "share", false, read_number, hedge_share)) notional.share = *share;
  if (!tranche) return std::nullopt;
  if (std::none_of(structure.tranches.begin(), structure.tranches.end(),
                   [&](const deal::DebtTranche& t) { return t.name == *tranche; })) {
    problems.add(member_path(field.path, "tranche"), fmt::format("unknown tranche \"{}\"", *tranche));
    return std::nullopt;
  }
  notional.tranche = *tranche;
  return deal::HedgeNotional{notional};
}

}  // namespace

std::vector<deal::Hedge> read_hedges(const Field& field, Problems& problems, const deal::Waterfall& structure,
                                     std::optional<Date> t0) {
  std::vector<deal::Hedge> hedges;
  auto elements = read_array(field, problems);
  if (!elements) return hedges;
  // Dates are checked against the payment grid only when it is known: without a valid frequency there is none.
  const bool on_grid = t0 && structure.payment_frequency_months > 0;
  std::optional<Date> last_maturity;
  for (const auto& tranche : structure.tranches)
    if (!last_maturity || tranche.legal_maturity > *last_maturity) last_maturity = tranche.legal_maturity;
  std::set<std::string> names;
  for (const auto& element : *elements) {
    ObjectReader object(element.value, element.path, problems);
    if (!object.valid()) continue;
    const std::size_t before = problems.size();
    deal::Hedge hedge;
    if (auto name = read_member(object, "name", true, read_id)) {
      hedge.name = *name;
      if (!names.insert(*name).second)
        problems.add(member_path(element.path, "name"), fmt::format("duplicate hedge name \"{}\"", *name));
    }
    if (auto type = read_member(object, "type", true, read_string)) {
      if (*type == "swap" || *type == "cap") {
        hedge.kind = *type == "swap" ? deal::HedgeKind::swap : deal::HedgeKind::cap;
        const char* rate_key = *type == "swap" ? "fixed_rate" : "strike";
        if (auto rate = read_member(object, rate_key, true, read_number, interest_rate)) hedge.rate = *rate;
      } else {
        problems.add(member_path(element.path, "type"), fmt::format(R"(expected "swap" or "cap", got "{}")", *type));
        object.ignore_rest();
      }
    }
    if (auto index = read_member(object, "index", true, read_id)) hedge.index = *index;
    if (auto counterparty = read_member(object, "counterparty", true, read_id)) hedge.counterparty = *counterparty;
    if (auto notional = object.required("notional"))
      if (auto value = read_hedge_notional(*notional, problems, structure)) hedge.notional = *value;
    if (auto end = read_member(object, "end_date", true, read_date)) {
      hedge.end_date = *end;
      const std::string end_path = member_path(element.path, "end_date");
      if (on_grid && deal::last_payment_month(*t0, structure.payment_frequency_months, *end) == 0)
        problems.add(end_path, "expected a date on or after the first payment date");
      else if (last_maturity && *end > *last_maturity)
        problems.add(end_path, fmt::format("expected a date on or before the last legal maturity {}: the model ends "
                                           "there",
                                           format_date(*last_maturity)));
    }
    if (const auto* schedule = std::get_if<std::vector<double>>(&hedge.notional);
        schedule && on_grid && problems.size() == before) {
      const auto dates =
          static_cast<std::size_t>(deal::last_payment_month(*t0, structure.payment_frequency_months, hedge.end_date) /
                                   structure.payment_frequency_months);
      if (schedule->size() > dates)
        problems.add(member_path(member_path(element.path, "notional"), "schedule"),
                     fmt::format("has {} amounts but only {} payment dates up to end_date", schedule->size(), dates));
    }
    hedges.push_back(std::move(hedge));
  }
  return hedges;
}

}  // namespace computedebt::io::detail
