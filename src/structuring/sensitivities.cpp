#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>
#include <computedebt/stats/mean.hpp>
#include <computedebt/structuring/sensitivities.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <span>

#include "../io/json_reader.hpp"
#include "../io/ranges.hpp"

namespace computedebt::structuring {

namespace {

using Json = nlohmann::ordered_json;
using Keys = std::vector<std::string>;

// Bump sizes (docs/methodology.md section 10.3).
constexpr double relative_step = 0.10;       ///< PD multipliers, volatilities, jump intensities, declines, power price.
constexpr double loading_step = 0.05;        ///< Factor loadings, absolute.
constexpr double recovery_step = 0.05;       ///< Recovery rates, absolute.
constexpr double rent_step = 0.05;           ///< Rent level, relative.
constexpr double rate_step = 0.001;          ///< Discount curve and rate index quotes, 10 bp parallel.
constexpr double max_rate_volatility = 0.1;  ///< The loader's bound on a Hull-White volatility.
constexpr double max_loading_variance =
    0.999;  ///< A bumped `beta' Sigma beta` stays below this (the loader needs < 1).

/// `{"k1": {"k2": ... leaf}}`.
Json nest(const Keys& keys, Json leaf) {
  for (auto key = keys.rbegin(); key != keys.rend(); ++key) leaf = Json{{*key, std::move(leaf)}};
  return leaf;
}

/// `assumptions.k1.k2...`, keys that are not plain names bracketed as the loader writes them.
std::string input_path(const Keys& keys) {
  std::string path = "assumptions";
  for (const auto& key : keys) path = io::detail::member_path(path, key);
  return path;
}

Bump value_bump(const Keys& keys, double value, double step) {
  return {input_path(keys), BumpKind::value, value, step, nest(keys, value + step), nest(keys, value - step)};
}

/// A relative bump of a positive number, capped at `most`; none for 0.
void add_relative(std::vector<Bump>& bumps, const Keys& keys, double value, double most) {
  if (value <= 0.0) return;
  bumps.push_back(value_bump(keys, value, std::min(relative_step * value, most - value)));
}

/// `beta' Sigma beta` for loadings by factor name.
double loading_variance(const Json& loadings, const Json& factors) {
  const auto& names = factors.at("names");
  const auto& correlation = factors.at("correlation");
  std::vector<double> beta(names.size(), 0.0);
  for (std::size_t f = 0; f < names.size(); ++f) beta[f] = loadings.value(names[f].get<std::string>(), 0.0);
  double variance = 0.0;
  for (std::size_t i = 0; i < beta.size(); ++i)
    for (std::size_t j = 0; j < beta.size(); ++j) variance += beta[i] * correlation[i][j].get<double>() * beta[j];
  return variance;
}

/// Every non-zero loading moved by `step` away from zero (or towards it, with a negative step).
Json shifted_loadings(const Json& loadings, double step) {
  Json shifted = Json::object();
  for (const auto& [factor, value] : loadings.items()) {
    const double beta = value.get<double>();
    if (beta != 0.0) shifted[factor] = beta + (beta > 0.0 ? step : -step);
  }
  return shifted;
}

/// The loadings of `keys` shifted by 0.05, halved until both bumped loadings keep `beta' Sigma beta` below
/// `max_loading_variance` and every loading in [-1, 1]; none when all are 0.
void add_loadings(std::vector<Bump>& bumps, const Keys& keys, const Json& loadings, const Json& factors) {
  if (shifted_loadings(loadings, 1.0).empty()) return;
  const auto fits = [&](const Json& bumped) {
    for (const auto& [factor, value] : bumped.items())
      if (std::abs(value.get<double>()) > 1.0) return false;
    return loading_variance(bumped, factors) < max_loading_variance;
  };
  double step = loading_step;
  while (!(fits(shifted_loadings(loadings, step)) && fits(shifted_loadings(loadings, -step)))) step /= 2.0;
  bumps.push_back({input_path(keys), BumpKind::shift, 0.0, step, nest(keys, shifted_loadings(loadings, step)),
                   nest(keys, shifted_loadings(loadings, -step))});
}

/// Each number of `values` transformed by `f`.
Json each(const Json& values, const auto& f) {
  Json result = Json::array();
  for (const auto& value : values) result.push_back(f(value.get<double>()));
  return result;
}

void add_gpu_bumps(std::vector<Bump>& bumps, const std::string& gpu, const Json& market) {
  add_relative(bumps, {"gpu_market", gpu, "volatility"}, market.at("volatility").get<double>(), 5.0);
  if (market.contains("obsolescence"))
    add_relative(bumps, {"gpu_market", gpu, "obsolescence", "jump_intensity"},
                 market.at("obsolescence").value("jump_intensity", 0.0), 100.0);
  // The rent level, curve or table, scaled by 1 +- 5%.
  const auto& rent = market.at("rent");
  const Keys rent_keys{"gpu_market", gpu, "rent"};
  const std::string level = rent.contains("per_gpu_hour") ? "per_gpu_hour" : "initial_per_gpu_hour";
  const auto scaled_rent = [&](double factor) {
    const auto& values = rent.at(level);
    Json scaled =
        values.is_array() ? each(values, [&](double r) { return r * factor; }) : Json(values.get<double>() * factor);
    return nest(rent_keys, Json{{level, std::move(scaled)}});
  };
  bumps.push_back({input_path(rent_keys), BumpKind::scale, 1.0, rent_step, scaled_rent(1.0 + rent_step),
                   scaled_rent(1.0 - rent_step)});
  // The residual curve: its decline +- 10%, or a table's depreciation 1 - fraction scaled by 1 +- 10%.
  const auto& residual = market.at("residual_value");
  const Keys residual_keys{"gpu_market", gpu, "residual_value"};
  if (residual.contains("fractions")) {
    const auto depreciated = [&](double factor) {
      return nest(residual_keys, Json{{"fractions", each(residual.at("fractions"), [&](double fraction) {
                                         return std::clamp(1.0 - (1.0 - fraction) * factor, 0.0, 1.0);
                                       })}});
    };
    bumps.push_back({input_path(residual_keys), BumpKind::scale, 1.0, relative_step, depreciated(1.0 + relative_step),
                     depreciated(1.0 - relative_step)});
  } else {
    add_relative(bumps, {"gpu_market", gpu, "residual_value", "annual_decline"}, residual.value("annual_decline", 0.0),
                 10.0);
  }
}

/// One run's outputs: the engine's estimates and each independent group's mean of every output.
struct RunOutputs {
  std::vector<std::string> tranches;
  bool waterfall = false;
  std::vector<Estimate> estimates;
  std::vector<double> groups;  ///< `groups x outputs`, row-major by group.
};

/// Paths per independent group, as the engine takes them.
std::uint64_t group_paths(const engine::SimulationConfig& config) {
  if (config.quasi_random) return engine::leaf_paths;
  return config.antithetic ? 2 : 1;
}

RunOutputs run(const io::DealFile& file, const Json* patch, const std::string& name,
               const engine::SimulationConfig& config, bool patches_deal = false) {
  if (config.progress && !config.progress(0, config.paths)) throw engine::Cancelled();
  std::optional<io::DealFile> bumped;
  if (patch && patches_deal) {
    auto document = io::to_json(file);
    document["deal"].merge_patch(*patch);
    bumped = io::load_deal_json(document);
  } else if (patch) {
    const std::vector<std::string> names{name};
    bumped = io::load_deal_json(io::to_json(file), std::nullopt, std::span(patch, 1), names);
  }
  const auto results = engine::simulate(calibration::calibrate(bumped ? *bumped : file), config);
  RunOutputs outputs;
  outputs.waterfall = results.waterfall.has_value();
  for (const auto& tranche : results.tranches) outputs.tranches.push_back(tranche.name);
  for (const auto& tranche : results.tranches)
    outputs.estimates.push_back({tranche.expected_loss, tranche.expected_loss_stderr});
  if (results.waterfall) {
    outputs.estimates.push_back({results.waterfall->equity.irr_mean, results.waterfall->equity.irr_mean_stderr});
    outputs.estimates.push_back(
        {results.waterfall->events_of_default.probability, results.waterfall->events_of_default.probability_stderr});
  }
  const auto& values = *results.path_values;
  const std::size_t count = outputs.estimates.size(), tranches = results.tranches.size();
  const std::uint64_t size = group_paths(config);
  outputs.groups.assign(config.paths / size * count, 0.0);
  for (std::uint64_t p = 0; p < config.paths; ++p) {
    const double w = values.weight.empty() ? 1.0 : values.weight[p];
    double* group = outputs.groups.data() + p / size * count;
    for (std::size_t t = 0; t < tranches; ++t) group[t] += w * values.tranche_loss[p * tranches + t];
    if (!results.waterfall) continue;
    group[tranches] += w * values.equity_irr[p];
    group[tranches + 1] += values.event_of_default[p] != 0 ? w : 0.0;
  }
  for (auto& sum : outputs.groups) sum /= static_cast<double>(size);
  return outputs;
}

/// Whether a floating tranche or a hedge of the deal is on rate index `name`.
bool uses_index(const io::DealFile& file, const std::string& name) {
  const auto* waterfall = std::get_if<deal::Waterfall>(&file.deal.structure);
  if (!waterfall) return false;
  return std::any_of(waterfall->tranches.begin(), waterfall->tranches.end(),
                     [&](const deal::DebtTranche& t) { return t.floating && t.floating->index == name; }) ||
         std::any_of(waterfall->hedges.begin(), waterfall->hedges.end(),
                     [&](const deal::Hedge& h) { return h.index == name; });
}

}  // namespace

std::vector<Bump> standard_bumps(const io::DealFile& file) {
  const Json assumptions = io::to_json(file).at("assumptions");
  const auto& factors = assumptions.at("factors");
  std::set<std::string> used;
  std::map<std::string, std::string> sector_of;
  for (const auto& counterparty : file.deal.counterparties) {
    if (!counterparty.sector.empty()) used.insert(counterparty.sector);
    sector_of[counterparty.id] = counterparty.sector;
  }
  std::vector<Bump> bumps;
  const Json no_sector{{"pd_multiplier", 1.0}};
  const Json& sectors = assumptions.contains("sectors") ? assumptions.at("sectors") : Json::object();
  for (const auto& [sector, entry] : sectors.items()) {
    if (!used.contains(sector)) continue;
    add_relative(bumps, {"sectors", sector, "pd_multiplier"}, entry.value("pd_multiplier", 1.0), 1000.0);
    add_loadings(bumps, {"sectors", sector, "factor_loadings"}, entry.value("factor_loadings", Json::object()),
                 factors);
    const double recovery = entry.value("recovery_rate", 0.4);
    const double step = std::min({recovery_step, recovery, 1.0 - recovery});
    if (step > 0.0) bumps.push_back(value_bump({"sectors", sector, "recovery_rate"}, recovery, step));
  }
  const Json& credit = assumptions.contains("credit") ? assumptions.at("credit") : Json::object();
  for (const auto& [id, entry] : credit.items()) {
    const auto sector = sectors.find(sector_of[id]);
    double multiplier = sector != sectors.end() ? sector->value("pd_multiplier", 1.0) : 1.0;
    if (entry.contains("pd_multiplier") && entry.at("pd_multiplier").is_number())
      multiplier = entry.at("pd_multiplier").get<double>();
    add_relative(bumps, {"credit", id, "pd_multiplier"}, multiplier, 1000.0);
  }
  for (const auto& [gpu, market] : assumptions.at("gpu_market").items()) add_gpu_bumps(bumps, gpu, market);
  if (assumptions.contains("operations"))
    add_relative(bumps, {"operations", "power_price_per_mwh"},
                 assumptions.at("operations").value("power_price_per_mwh", 70.0), 1e12);
  // The power prices', the gas price's and the capacity market's volatilities, each capped at the loader's bound.
  for (const char* market : {"power_market", "gas_market", "capacity_market"})
    if (assumptions.contains(market))
      add_relative(bumps, {market, "volatility"}, assumptions.at(market).value("volatility", 0.0), 5.0);
  if (assumptions.contains("site_power_markets"))
    for (const auto& [site, market] : assumptions.at("site_power_markets").items())
      if (market.is_object())
        add_relative(bumps, {"site_power_markets", site, "volatility"}, market.value("volatility", 0.0), 5.0);
  // The share of power under PPAs: every PPA's volume scaled together, by less when a volume would leave the loader's
  // range (with a thousandth to spare for rounding).
  if (!file.deal.power_purchases.empty()) {
    double step = relative_step;
    for (const auto& ppa : file.deal.power_purchases)
      step = std::min({step, 0.999 * (1.0 - io::detail::min_positive_amount / ppa.volume_mwh_per_month),
                       0.999 * (io::detail::max_amount / ppa.volume_mwh_per_month - 1.0)});
    const Json purchases = io::to_json(file).at("deal").at("power_purchase_agreements");
    const auto scaled = [&](double factor) {
      Json patched = purchases;
      for (auto& ppa : patched) ppa["volume_mwh_per_month"] = ppa["volume_mwh_per_month"].get<double>() * factor;
      return Json{{"power_purchase_agreements", patched}};
    };
    if (step > 0.0)
      bumps.push_back(
          {"deal.power_purchase_agreements", BumpKind::scale, 1.0, step, scaled(1.0 + step), scaled(1.0 - step), true});
  }
  // Each rate index that a floating tranche or a hedge uses: its quotes in parallel, and its Hull-White volatility.
  const Json& indices = assumptions.contains("rate_indices") ? assumptions.at("rate_indices") : Json::object();
  for (const auto& [name, index] : indices.items()) {
    if (!uses_index(file, name)) continue;
    const auto shifted = [&](double step) {
      Json quotes = Json::object();
      for (const char* kind : {"deposits", "ois_swaps"})
        if (index.contains(kind))
          for (const auto& [tenor, rate] : index.at(kind).items())
            if (rate.is_number()) quotes[kind][tenor] = rate.get<double>() + step;
      return nest({"rate_indices", name}, quotes);
    };
    bumps.push_back(
        {input_path({"rate_indices", name}), BumpKind::shift, 0.0, rate_step, shifted(rate_step), shifted(-rate_step)});
    if (index.contains("hull_white"))
      add_relative(bumps, {"rate_indices", name, "hull_white", "volatility"},
                   index.at("hull_white").at("volatility").get<double>(), max_rate_volatility);
  }
  const auto& curve = assumptions.at("discount_curve");
  if (curve.at("type") == "flat") {
    bumps.push_back(value_bump({"discount_curve", "rate"}, curve.at("rate").get<double>(), rate_step));
  } else {
    const Keys keys{"discount_curve", "rates"};
    const auto shifted = [&](double step) {
      return nest(keys, each(curve.at("rates"), [&](double r) { return r + step; }));
    };
    bumps.push_back({input_path(keys), BumpKind::shift, 0.0, rate_step, shifted(rate_step), shifted(-rate_step)});
  }
  return bumps;
}

SensitivityResult sensitivities(const io::DealFile& file, const std::vector<Bump>& bumps,
                                const engine::SimulationConfig& config) {
  engine::SimulationConfig run_config = config;
  run_config.keep_paths = true;
  run_config.gpu_multiplier_months.clear();
  run_config.contributions = false;
  const auto base = run(file, nullptr, "", run_config);
  SensitivityResult result;
  for (const auto& tranche : base.tranches) result.outputs.push_back({"expected_loss", tranche, {}});
  if (base.waterfall) {
    result.outputs.push_back({"equity_irr_mean", "", {}});
    result.outputs.push_back({"event_of_default_probability", "", {}});
  }
  for (std::size_t o = 0; o < result.outputs.size(); ++o) result.outputs[o].base = base.estimates[o];
  const std::size_t count = result.outputs.size();
  for (const auto& bump : bumps) {
    const auto up = run(file, &bump.up, "bump up of " + bump.input, run_config, bump.patches_deal);
    const auto down = run(file, &bump.down, "bump down of " + bump.input, run_config, bump.patches_deal);
    BumpResult bumped{bump, {}};
    const double width = 2.0 * bump.step;
    for (std::size_t o = 0; o < count; ++o) {
      stats::Mean paired;
      for (std::size_t g = o; g < up.groups.size(); g += count) paired.add((up.groups[g] - down.groups[g]) / width);
      const auto &u = up.estimates[o], &d = down.estimates[o];
      bumped.differences.push_back({u.value, d.value, (u.value - d.value) / width, paired.standard_error(),
                                    std::hypot(u.standard_error, d.standard_error) / width});
    }
    result.bumps.push_back(std::move(bumped));
  }
  return result;
}

std::string to_string(BumpKind kind) {
  switch (kind) {
    case BumpKind::value:
      return "value";
    case BumpKind::shift:
      return "shift";
    case BumpKind::scale:
      return "scale";
  }
  return "value";
}

nlohmann::ordered_json to_json(const SensitivityResult& result) {
  const auto optional_tranche = [](const std::string& tranche) { return tranche.empty() ? Json() : Json(tranche); };
  Json outputs = Json::array();
  for (const auto& output : result.outputs)
    outputs.push_back({{"output", output.name},
                       {"tranche", optional_tranche(output.tranche)},
                       {"value", output.base.value},
                       {"stderr", output.base.standard_error}});
  Json bumps = Json::array();
  for (const auto& [bump, differences] : result.bumps) {
    Json rows = Json::array();
    for (std::size_t o = 0; o < differences.size(); ++o) {
      const auto& d = differences[o];
      rows.push_back({{"output", result.outputs[o].name},
                      {"tranche", optional_tranche(result.outputs[o].tranche)},
                      {"up", d.up},
                      {"down", d.down},
                      {"derivative", d.derivative},
                      {"derivative_stderr", d.derivative_stderr},
                      {"independent_stderr", d.independent_stderr}});
    }
    bumps.push_back({{"input", bump.input},
                     {"kind", to_string(bump.kind)},
                     {"base_value", bump.base_value},
                     {"step", bump.step},
                     {"patches", bump.patches_deal ? "deal" : "assumptions"},
                     {"up_patch", bump.up},
                     {"down_patch", bump.down},
                     {"differences", std::move(rows)}});
  }
  return {{"outputs", std::move(outputs)}, {"bumps", std::move(bumps)}};
}

}  // namespace computedebt::structuring
