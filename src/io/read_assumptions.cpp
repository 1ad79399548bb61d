#include <fmt/format.h>
#include <ql/math/matrix.hpp>
#include <ql/math/matrixutilities/symmetricschurdecomposition.hpp>

#include <algorithm>
#include <cmath>
#include <regex>
#include <string_view>
#include <unordered_set>

#include "ranges.hpp"
#include "readers.hpp"

namespace computedebt::io::detail {

namespace {

using namespace computedebt::assumptions;

/// Reads two parallel arrays (`x` increasing) of a table; nothing if either is bad.
std::optional<std::pair<std::vector<double>, std::vector<double>>> read_table(
    ObjectReader& object, std::string_view x_key, const Range& x_range, std::string_view y_key, const Range& y_range) {
  Problems& problems = object.problems();
  auto x_field = object.required(x_key);
  auto y_field = object.required(y_key);
  std::optional<std::vector<double>> x, y;
  if (x_field) x = read_numbers(*x_field, problems, x_range);
  if (y_field) y = read_numbers(*y_field, problems, y_range);
  if (!x || !y) return std::nullopt;
  bool valid = true;
  for (std::size_t i = 1; i < x->size(); ++i)
    if ((*x)[i] <= (*x)[i - 1]) {
      problems.add(element_path(x_field->path, i),
                   fmt::format("expected increasing values, got {} after {}", (*x)[i], (*x)[i - 1]));
      valid = false;
    }
  if (x->size() != y->size()) {
    problems.add(y_field->path,
                 fmt::format("expected {} values, one per entry of {}, got {}", x->size(), x_key, y->size()));
    valid = false;
  }
  if (!valid) return std::nullopt;
  return std::pair{std::move(*x), std::move(*y)};
}

std::optional<DiscountCurve> read_discount_curve(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  auto type = read_member(object, "type", true, read_string);
  if (!type) {
    object.ignore_rest();
    return std::nullopt;
  }
  if (*type == "flat") {
    auto rate = read_member(object, "rate", true, read_number, interest_rate);
    if (!rate) return std::nullopt;
    return FlatCurve{*rate};
  }
  if (*type != "zero") {
    problems.add(member_path(field.path, "type"), fmt::format("expected \"flat\" or \"zero\", got \"{}\"", *type));
    object.ignore_rest();
    return std::nullopt;
  }
  auto table = read_table(object, "tenors_years", positive, "rates", interest_rate);
  if (!table) return std::nullopt;
  return ZeroCurve{std::move(table->first), std::move(table->second)};
}

/// Reads `factors` and checks `Sigma`; `correlation_valid` tells whether loadings can be checked against it.
Factors read_factors(const Field& field, Problems& problems, bool& correlation_valid) {
  ObjectReader object(field.value, field.path, problems);
  Factors factors;
  correlation_valid = false;
  auto names_field = object.required("names");
  auto matrix_field = object.required("correlation");
  if (!names_field || !matrix_field) return factors;
  const std::size_t before = problems.size();
  if (auto names = read_array(*names_field, problems)) {
    for (const auto& name : *names) {
      auto id = read_id(name, problems);
      if (!id) continue;
      if (std::find(factors.names.begin(), factors.names.end(), *id) != factors.names.end())
        problems.add(name.path, fmt::format("duplicate factor name \"{}\"", *id));
      factors.names.push_back(*id);
    }
  }
  const std::size_t n = names_field->value.is_array() ? names_field->value.size() : 0;
  auto rows = read_array(*matrix_field, problems);
  if (!rows) return factors;
  if (rows->size() != n) {
    problems.add(matrix_field->path, fmt::format("expected {} rows, one per factor, got {}", n, rows->size()));
    return factors;
  }
  for (const auto& row : *rows) {
    auto entries = read_array(row, problems);
    if (!entries) continue;
    if (entries->size() != n) {
      problems.add(row.path, fmt::format("expected {} entries, one per factor, got {}", n, entries->size()));
      continue;
    }
    std::vector<double> values;
    for (const auto& entry : *entries) values.push_back(read_number(entry, problems, correlation_entry).value_or(0.0));
    factors.correlation.push_back(std::move(values));
  }
  if (problems.size() != before) return factors;

  for (std::size_t a = 0; a < n; ++a) {
    if (factors.correlation[a][a] != 1.0)
      problems.add(element_path(element_path(matrix_field->path, a), a),
                   fmt::format("expected 1 on the diagonal, got {}", factors.correlation[a][a]));
    for (std::size_t b = a + 1; b < n; ++b)
      if (std::abs(factors.correlation[a][b] - factors.correlation[b][a]) > 1e-12)
        problems.add(element_path(element_path(matrix_field->path, b), a),
                     fmt::format("expected a symmetric matrix: [{}][{}] = {} but [{}][{}] = {}", a, b,
                                 factors.correlation[a][b], b, a, factors.correlation[b][a]));
  }
  if (problems.size() != before || n == 0) {
    correlation_valid = problems.size() == before;
    return factors;
  }
  QuantLib::Matrix sigma(n, n);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b) sigma[a][b] = factors.correlation[a][b];
  const auto eigenvalues = QuantLib::SymmetricSchurDecomposition(sigma).eigenvalues();
  const double smallest = *std::min_element(eigenvalues.begin(), eigenvalues.end());
  if (smallest < -1e-10) {
    problems.add(
        matrix_field->path,
        fmt::format("expected a positive semi-definite correlation matrix, but its smallest eigenvalue is {:.6g} "
                    "(at least -1e-10 is accepted)",
                    smallest));
    return factors;
  }
  correlation_valid = true;
  return factors;
}

Copula read_copula(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  auto type = read_member(object, "type", true, read_string);
  if (!type) object.ignore_rest();
  if (!type || *type == "gaussian") return GaussianCopula{};
  if (*type == "student_t") {
    auto nu = read_member(object, "degrees_of_freedom", true, read_number, degrees_of_freedom);
    return StudentTCopula{nu.value_or(1.0)};
  }
  problems.add(member_path(field.path, "type"),
               fmt::format("expected \"gaussian\" or \"student_t\", got \"{}\"", *type));
  object.ignore_rest();
  return GaussianCopula{};
}

std::optional<CdsSpreads> read_cds(ObjectReader& object, const Field& spreads_field, Problems& problems) {
  auto members = read_map(spreads_field, problems);
  CdsSpreads cds;
  if (auto recovery = read_member(object, "cds_recovery", false, read_number, fraction_below_one))
    cds.cds_recovery = *recovery;
  if (!members) return std::nullopt;
  if (members->empty()) {
    problems.add(spreads_field.path, "expected at least one CDS quote, e.g. {\"5Y\": 250}");
    return std::nullopt;
  }
  auto quotes = read_tenor_map(spreads_field, problems, spread_bp);
  if (!quotes) return std::nullopt;
  for (const auto& [tenor, spread] : *quotes) cds.quotes.push_back({tenor, spread});
  return cds;
}

/// Reads the one curve source a credit entry may give.
std::optional<CurveSource> read_curve_source(ObjectReader& object, Problems& problems) {
  std::vector<std::string_view> given;
  for (std::string_view key : {"hazard_rate", "default_probability", "cds_spreads_bp", "rating"})
    if (object.has(key)) given.push_back(key);
  if (given.size() > 1) {
    problems.add(object.path(), fmt::format("gives {} curve sources ({}); expected at most one", given.size(),
                                            fmt::join(given, ", ")));
  }
  for (std::string_view orphan : {"horizon_years", "cds_recovery"}) {
    const std::string_view owner = orphan == "horizon_years" ? "default_probability" : "cds_spreads_bp";
    if (object.has(orphan) && !object.has(owner)) {
      problems.add(member_path(object.path(), orphan),
                   fmt::format("given without {}: give both, or remove {}", owner, orphan));
      object.optional(orphan);
    }
  }
  std::optional<CurveSource> source;
  if (auto h = read_member(object, "hazard_rate", false, read_number, hazard)) source = HazardRate{*h};
  if (object.has("default_probability")) {
    auto p = read_member(object, "default_probability", true, read_number, fraction_below_one);
    auto years = read_member(object, "horizon_years", true, read_number, horizon);
    if (years && std::lround(12.0 * *years) < 1) {
      problems.add(member_path(object.path(), "horizon_years"),
                   fmt::format("expected a horizon of at least one month (1/24 year rounds up), got {}", *years));
      years.reset();
    }
    if (p && years) source = DefaultProbability{*p, *years};
  }
  if (auto spreads = object.optional("cds_spreads_bp"))
    if (auto cds = read_cds(object, *spreads, problems)) source = std::move(*cds);
  if (auto rating_field = object.optional("rating")) {
    if (auto text = read_string(*rating_field, problems)) {
      if (auto rating = deal::parse_rating(*text))
        source = RatingCurve{*rating};
      else
        problems.add(rating_field->path, unknown_rating_message(*text));
    }
  }
  return given.size() > 1 ? std::nullopt : source;
}

struct FactorContext {
  const Factors& factors;
  bool correlation_valid;
};

std::map<std::string, SectorAssumptions> read_sectors(const Field& field, Problems& problems,
                                                      const FactorContext& context) {
  std::map<std::string, SectorAssumptions> sectors;
  auto members = read_map(field, problems);
  if (!members) return sectors;
  for (const auto& [name, value] : *members) {
    ObjectReader object(value.value, value.path, problems);
    SectorAssumptions sector;
    if (auto loadings = object.optional("factor_loadings"))
      sector.factor_loadings = read_loadings(*loadings, problems, context.factors, context.correlation_valid, true)
                                   .value_or(FactorLoadings{});
    if (auto r = read_member(object, "recovery_rate", false, read_number, fraction)) sector.recovery_rate = *r;
    if (auto m = read_member(object, "pd_multiplier", false, read_number, multiplier)) sector.pd_multiplier = *m;
    sectors.emplace(name, std::move(sector));
  }
  return sectors;
}

std::map<std::string, CreditAssumptions> read_credit(const Field& field, Problems& problems,
                                                     const FactorContext& context) {
  std::map<std::string, CreditAssumptions> credit;
  auto members = read_map(field, problems);
  if (!members) return credit;
  for (const auto& [id, value] : *members) {
    ObjectReader object(value.value, value.path, problems);
    if (!object.valid()) continue;
    CreditAssumptions entry;
    entry.curve = read_curve_source(object, problems);
    entry.recovery_rate = read_member(object, "recovery_rate", false, read_number, fraction);
    if (auto loadings = object.optional("factor_loadings"))
      entry.factor_loadings = read_loadings(*loadings, problems, context.factors, context.correlation_valid, true);
    entry.pd_multiplier = read_member(object, "pd_multiplier", false, read_number, multiplier);
    credit.emplace(id, std::move(entry));
  }
  return credit;
}

std::optional<ResidualValue> read_residual_value(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  if (object.has("annual_decline") || !(object.has("ages_years") || object.has("fractions"))) {
    auto d = read_member(object, "annual_decline", true, read_number, decline);
    if (!d) return std::nullopt;
    return ExponentialDecline{*d};
  }
  auto table = read_table(object, "ages_years", age_or_time, "fractions", fraction);
  if (!table) return std::nullopt;
  return ResidualTable{std::move(table->first), std::move(table->second)};
}

std::optional<Rent> read_rent(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  if (object.has("initial_per_gpu_hour") || !(object.has("times_years") || object.has("per_gpu_hour"))) {
    auto r0 = read_member(object, "initial_per_gpu_hour", true, read_number, non_negative_amount);
    auto d = read_member(object, "annual_decline", true, read_number, rent_decline);
    if (!r0 || !d) return std::nullopt;
    return RentDecline{*r0, *d};
  }
  auto table = read_table(object, "times_years", age_or_time, "per_gpu_hour", non_negative_amount);
  if (!table) return std::nullopt;
  return RentTable{std::move(table->first), std::move(table->second)};
}

Obsolescence read_obsolescence(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  Obsolescence obsolescence;
  if (auto lambda = read_member(object, "jump_intensity", false, read_number, jump_intensity))
    obsolescence.jump_intensity = *lambda;
  if (auto size = read_member(object, "jump_size", false, read_number, fraction_below_one))
    obsolescence.jump_size = *size;
  if (auto launches = object.optional("launches")) {
    if (auto elements = read_array(*launches, problems)) {
      for (const auto& element : *elements) {
        ObjectReader launch_object(element.value, element.path, problems);
        auto date = read_member(launch_object, "date", true, read_date);
        auto size = read_member(launch_object, "jump_size", true, read_number, fraction_below_one);
        if (date && size) obsolescence.launches.push_back({*date, *size});
      }
    }
  }
  return obsolescence;
}

std::map<std::string, GpuMarket> read_gpu_market(const Field& field, Problems& problems, const FactorContext& context) {
  std::map<std::string, GpuMarket> markets;
  auto members = read_map(field, problems);
  if (!members) return markets;
  for (const auto& [type, value] : *members) {
    ObjectReader object(value.value, value.path, problems);
    if (!object.valid()) continue;
    GpuMarket market{};
    if (auto residual = object.required("residual_value"))
      if (auto curve = read_residual_value(*residual, problems)) market.residual_value = *curve;
    if (auto rent = object.required("rent"))
      if (auto curve = read_rent(*rent, problems)) market.rent = *curve;
    if (auto sigma = read_member(object, "volatility", true, read_number, volatility)) market.volatility = *sigma;
    if (auto loadings = object.optional("factor_loadings"))
      market.factor_loadings = read_loadings(*loadings, problems, context.factors, context.correlation_valid, false)
                                   .value_or(FactorLoadings{});
    if (auto m0 = read_member(object, "initial_multiplier", false, read_number, positive_multiplier))
      market.initial_multiplier = *m0;
    if (auto obsolescence = object.optional("obsolescence"))
      market.obsolescence = read_obsolescence(*obsolescence, problems);
    markets.emplace(type, std::move(market));
  }
  return markets;
}

Operations read_operations(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  Operations ops;
  if (auto x = read_member(object, "power_price_per_mwh", false, read_number, non_negative_amount))
    ops.power_price_per_mwh = *x;
  if (auto x = read_member(object, "pue", false, read_number, detail::pue)) ops.pue = *x;
  if (auto x = read_member(object, "fixed_opex_per_gpu_month", false, read_number, non_negative_amount))
    ops.fixed_opex_per_gpu_month = *x;
  if (auto x = read_member(object, "recovery_lag_months", false, read_integer, 0, max_lag_months))
    ops.recovery_lag_months = static_cast<int>(*x);
  if (auto re_lease_field = object.optional("re_lease")) {
    ObjectReader re_lease(re_lease_field->value, re_lease_field->path, problems);
    if (auto x = read_member(re_lease, "enabled", false, read_bool)) ops.re_lease.enabled = *x;
    if (auto x = read_member(re_lease, "lag_months", false, read_integer, 0, max_lag_months))
      ops.re_lease.lag_months = static_cast<int>(*x);
    if (auto x = read_member(re_lease, "utilisation", false, read_number, fraction)) ops.re_lease.utilisation = *x;
    if (auto x = read_member(re_lease, "discount_to_index", false, read_number, fraction))
      ops.re_lease.discount_to_index = *x;
  }
  if (auto liquidation_field = object.optional("liquidation")) {
    ObjectReader liquidation(liquidation_field->value, liquidation_field->path, problems);
    if (auto x = read_member(liquidation, "haircut", false, read_number, fraction)) ops.liquidation.haircut = *x;
    if (auto x = read_member(liquidation, "lag_months", false, read_integer, 0, max_lag_months))
      ops.liquidation.lag_months = static_cast<int>(*x);
  }
  return ops;
}

}  // namespace

std::optional<Tenor> parse_tenor(const std::string& key) {
  static const std::regex pattern("([1-9][0-9]{0,2})([MY])");
  std::smatch match;
  if (!std::regex_match(key, match, pattern)) return std::nullopt;
  return Tenor{std::stoi(match[1]), match[2] == "Y"};
}

std::optional<std::vector<std::pair<Tenor, double>>> read_tenor_map(const Field& field, Problems& problems,
                                                                    const Range& range) {
  auto members = read_map(field, problems);
  if (!members) return std::nullopt;
  std::vector<std::pair<Tenor, double>> quotes;
  bool valid = true;
  for (const auto& [key, value] : *members) {
    auto tenor = parse_tenor(key);
    auto number = read_number(value, problems, range);
    if (!tenor) problems.add(value.path, fmt::format("expected a tenor key like 6M or 5Y, got \"{}\"", key));
    if (!tenor || !number) {
      valid = false;
      continue;
    }
    if (std::any_of(quotes.begin(), quotes.end(), [&](const auto& q) { return q.first.months() == tenor->months(); })) {
      problems.add(value.path, fmt::format("two quotes for the same maturity of {} months", tenor->months()));
      valid = false;
      continue;
    }
    quotes.emplace_back(*tenor, *number);
  }
  if (!valid) return std::nullopt;
  std::sort(quotes.begin(), quotes.end(),
            [](const auto& a, const auto& b) { return a.first.months() < b.first.months(); });
  return quotes;
}

std::optional<FactorLoadings> read_loadings(const Field& field, Problems& problems, const Factors& factors,
                                            bool correlation_valid, bool strict_limit) {
  auto members = read_map(field, problems);
  if (!members) return std::nullopt;
  FactorLoadings loadings;
  bool valid = true;
  for (const auto& [name, value] : *members) {
    auto number = read_number(value, problems, loading);
    valid = valid && number.has_value();
    if (std::find(factors.names.begin(), factors.names.end(), name) == factors.names.end()) {
      std::string known;
      for (const auto& f : factors.names) known += (known.empty() ? "" : ", ") + f;
      problems.add(value.path,
                   fmt::format("unknown factor \"{}\"; the factors are: {}", name, known.empty() ? "none" : known));
      valid = false;
    }
    if (number) loadings[name] = *number;
  }
  if (valid && correlation_valid) {
    const double variance = systematic_variance(factors, loadings);
    if (strict_limit && variance >= 1.0)
      problems.add(field.path,
                   fmt::format("beta' Sigma beta = {:.6g}: expected below 1, so that the idiosyncratic weight "
                               "sqrt(1 - beta' Sigma beta) is real and positive",
                               variance));
    if (!strict_limit && variance > 1.0)
      problems.add(field.path, fmt::format("a' Sigma a = {:.6g}: expected at most 1, so that the independent weight "
                                           "sqrt(1 - a' Sigma a) is real",
                                           variance));
  }
  return loadings;
}

inline constexpr Range power_mean_reversion{0.0, 50.0, false, true, "a mean reversion in (0, 50] per year"};
inline constexpr Range shape_factor{0.0, 10.0, false, true, "a multiplier in (0, 10]"};

/// Reads a mean-reverting price's members (docs/deal_format.md section 5.14): a monthly shape averaging 1, an
/// escalator, and the log price's mean reversion, volatility and factor loadings. `level` names the price the
/// shape multiplies.
PowerMarket read_price_process(ObjectReader& object, Problems& problems, const FactorContext& context,
                               std::string_view level) {
  PowerMarket market;
  if (auto shape = object.optional("monthly_shape"))
    if (auto values = read_numbers(*shape, problems, shape_factor)) {
      double total = 0.0;
      for (const double v : *values) total += v;
      if (values->size() != 12)
        problems.add(shape->path, fmt::format("expected 12 multipliers, January first, got {}", values->size()));
      else if (std::abs(total / 12.0 - 1.0) > 1e-6)
        problems.add(shape->path, fmt::format("expected multipliers that average 1 (the level is {}), got an "
                                              "average of {}",
                                              level, total / 12.0));
      market.monthly_shape = std::move(*values);
    }
  if (auto rate = read_member(object, "annual_escalator", false, read_number, escalator))
    market.annual_escalator = *rate;
  if (auto kappa = read_member(object, "mean_reversion", false, read_number, power_mean_reversion))
    market.mean_reversion = *kappa;
  if (auto sigma = read_member(object, "volatility", false, read_number, volatility)) market.volatility = *sigma;
  if (auto loadings = object.optional("factor_loadings"))
    market.factor_loadings = read_loadings(*loadings, problems, context.factors, context.correlation_valid, false)
                                 .value_or(FactorLoadings{});
  return market;
}

/// Reads the hub's power market (docs/deal_format.md section 5.14).
std::optional<PowerMarket> read_power_market(const Field& field, Problems& problems, const FactorContext& context) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  const std::size_t before = problems.size();
  auto market = read_price_process(object, problems, context, "operations.power_price_per_mwh");
  if (problems.size() != before) return std::nullopt;
  return market;
}

/// Reads the sites' own power markets (docs/deal_format.md section 5.16), by site id: a price level and a process.
std::map<std::string, SitePowerMarket> read_site_power_markets(const Field& field, Problems& problems,
                                                               const FactorContext& context) {
  std::map<std::string, SitePowerMarket> markets;
  auto members = read_map(field, problems);
  if (!members) return markets;
  for (const auto& [site, value] : *members) {
    ObjectReader object(value.value, value.path, problems);
    if (!object.valid()) continue;
    SitePowerMarket market;
    if (auto price = read_member(object, "price_per_mwh", true, read_number, positive_amount))
      market.price_per_mwh = *price;
    market.process = read_price_process(object, problems, context, "price_per_mwh");
    markets.emplace(site, std::move(market));
  }
  return markets;
}

/// Reads the gas market of behind-the-meter generation (docs/deal_format.md section 5.16).
std::optional<GasMarket> read_gas_market(const Field& field, Problems& problems, const FactorContext& context) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  const std::size_t before = problems.size();
  GasMarket market;
  if (auto price = read_member(object, "price_per_mmbtu", true, read_number, positive_amount))
    market.price_per_mmbtu = *price;
  market.process = read_price_process(object, problems, context, "price_per_mmbtu");
  if (problems.size() != before) return std::nullopt;
  return market;
}

inline constexpr Range price_change{-1.0, 1.0, false, true, "an annual change in (-1, 1]"};

/// Reads the capacity market (docs/deal_format.md section 5.15): its price, drift, volatility, loadings and the
/// re-leasing of vacant load.
std::optional<CapacityMarket> read_capacity_market(const Field& field, Problems& problems,
                                                   const FactorContext& context) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  const std::size_t before = problems.size();
  CapacityMarket market;
  if (auto price = read_member(object, "price_per_kw_month", true, read_number, non_negative_amount))
    market.price_per_kw_month = *price;
  if (auto change = read_member(object, "annual_change", false, read_number, price_change))
    market.annual_change = *change;
  if (auto sigma = read_member(object, "volatility", false, read_number, volatility)) market.volatility = *sigma;
  if (auto loadings = object.optional("factor_loadings"))
    market.factor_loadings = read_loadings(*loadings, problems, context.factors, context.correlation_valid, false)
                                 .value_or(FactorLoadings{});
  if (auto re_lease = object.optional("re_lease")) {
    ObjectReader terms(re_lease->value, re_lease->path, problems);
    if (auto enabled = read_member(terms, "enabled", false, read_bool)) market.re_lease.enabled = *enabled;
    if (auto lag = read_member(terms, "lag_months", false, read_integer, 0, max_lag_months))
      market.re_lease.lag_months = static_cast<int>(*lag);
    if (auto utilisation = read_member(terms, "utilisation", false, read_number, fraction))
      market.re_lease.utilisation = *utilisation;
    if (auto discount = read_member(terms, "discount_to_market", false, read_number, fraction))
      market.re_lease.discount_to_market = *discount;
  }
  if (problems.size() != before) return std::nullopt;
  return market;
}

assumptions::Assumptions read_assumptions(const Json& value, const std::string& path, Problems& problems) {
  ObjectReader object(value, path, problems);
  Assumptions assumptions{};
  if (!object.valid()) return assumptions;
  if (auto field = object.required("discount_curve"))
    if (auto curve = read_discount_curve(*field, problems)) assumptions.discount_curve = *curve;
  bool correlation_valid = false;
  if (auto field = object.required("factors")) assumptions.factors = read_factors(*field, problems, correlation_valid);
  const FactorContext context{assumptions.factors, correlation_valid};
  if (auto field = object.optional("copula")) assumptions.copula = read_copula(*field, problems);
  if (auto field = object.optional("sectors")) assumptions.sectors = read_sectors(*field, problems, context);
  if (auto field = object.optional("credit")) assumptions.credit = read_credit(*field, problems, context);
  if (auto field = object.optional("gpu_market")) assumptions.gpu_market = read_gpu_market(*field, problems, context);
  if (auto field = object.optional("operations")) assumptions.operations = read_operations(*field, problems);
  if (auto field = object.optional("rate_indices"))
    assumptions.rate_indices = read_rate_indices(*field, problems, assumptions.factors, correlation_valid);
  if (auto field = object.optional("delivery_delay"))
    assumptions.delivery_delay = read_delivery_delay(*field, problems);
  if (auto field = object.optional("power_market"))
    assumptions.power_market = read_power_market(*field, problems, context);
  if (auto field = object.optional("capacity_market"))
    assumptions.capacity_market = read_capacity_market(*field, problems, context);
  if (auto field = object.optional("site_power_markets"))
    assumptions.site_power_markets = read_site_power_markets(*field, problems, context);
  if (auto field = object.optional("gas_market")) assumptions.gas_market = read_gas_market(*field, problems, context);
  return assumptions;
}

namespace {

/// The sites' markets name sites of the deal, behind-the-meter generation has a gas market, and the hub's price,
/// the unit of every site's power, is positive when a site needs it (docs/methodology.md section 4.12).
void check_sites_against_assumptions(const deal::Deal& deal, const Assumptions& assumptions,
                                     const std::string& assumptions_path, Problems& problems) {
  const std::string markets_path = member_path(assumptions_path, "site_power_markets");
  std::string known;
  for (const auto& site : deal.sites) known += (known.empty() ? "" : ", ") + site.id;
  if (sites_known(deal, "deal.sites", problems))
    for (const auto& [id, market] : assumptions.site_power_markets)
      if (std::none_of(deal.sites.begin(), deal.sites.end(), [&](const deal::Site& site) { return site.id == id; }))
        problems.add(member_path(markets_path, id),
                     fmt::format("\"{}\" is not a site of the deal (sites: {})", id, known.empty() ? "none" : known));
  const auto generating = std::find_if(deal.sites.begin(), deal.sites.end(),
                                       [](const deal::Site& site) { return site.behind_the_meter.has_value(); });
  if (generating != deal.sites.end() && !assumptions.gas_market &&
      !problems.any_at_or_under(member_path(assumptions_path, "gas_market")))
    problems.add(member_path(assumptions_path, "gas_market"),
                 fmt::format("required field is missing: site \"{}\" generates power behind the meter from gas",
                             generating->id));
  const bool needs_unit = generating != deal.sites.end() || !assumptions.site_power_markets.empty();
  if (needs_unit && assumptions.operations.power_price_per_mwh <= 0.0 &&
      !problems.any_at_or_under(member_path(assumptions_path, "operations")))
    problems.add(member_path(member_path(assumptions_path, "operations"), "power_price_per_mwh"),
                 "expected a positive price: the deal's sites price their power and generation against it");
}

}  // namespace

void check_deal_against_assumptions(const deal::Deal& deal, const Assumptions& assumptions,
                                    const std::string& assumptions_path, Problems& problems) {
  // References into a list that was itself refused cannot be judged.
  const bool counterparties_valid = !problems.any_at_or_under("deal.counterparties");
  const bool gpu_types_valid = !problems.any_at_or_under("deal.gpu_types");
  const std::string credit_path = member_path(assumptions_path, "credit");
  std::unordered_set<std::string_view> counterparty_ids;
  for (const auto& counterparty : deal.counterparties) counterparty_ids.insert(counterparty.id);
  for (const auto& [id, entry] : assumptions.credit) {
    if (!counterparties_valid) break;
    if (!counterparty_ids.contains(id))
      problems.add(member_path(credit_path, id), fmt::format("\"{}\" is not a counterparty of the deal", id));
  }
  const std::string sectors_path = member_path(assumptions_path, "sectors");
  for (std::size_t i = 0; i < deal.counterparties.size(); ++i) {
    const auto& sector = deal.counterparties[i].sector;
    if (sector.empty() || assumptions.sectors.contains(sector) || problems.any_at_or_under(sectors_path)) continue;
    std::string defined;
    for (const auto& [name, entry] : assumptions.sectors) defined += (defined.empty() ? "" : ", ") + name;
    problems.add(member_path(element_path("deal.counterparties", i), "sector"),
                 fmt::format("sector \"{}\" is not defined in {} (defined: {}); leave \"sector\" out for a name "
                             "with idiosyncratic risk only",
                             sector, sectors_path, defined.empty() ? "none" : defined));
  }
  for (std::size_t i = 0; i < deal.counterparties.size(); ++i) {
    const auto& counterparty = deal.counterparties[i];
    const std::string path = element_path("deal.counterparties", i);
    const std::string entry_path = member_path(credit_path, counterparty.id);
    // A rating or credit entry that was refused has been reported already.
    if (counterparty.rating || problems.any_at_or_under(path) || problems.any_at_or_under(entry_path)) continue;
    auto entry = assumptions.credit.find(counterparty.id);
    if (entry == assumptions.credit.end() || !entry->second.curve)
      problems.add(path, fmt::format("counterparty \"{}\" has no rating, and {} gives no curve source (hazard_rate, "
                                     "default_probability, cds_spreads_bp or rating)",
                                     counterparty.id, entry_path));
  }
  if (const auto* waterfall = std::get_if<deal::Waterfall>(&deal.structure)) {
    const std::string indices_path = member_path(assumptions_path, "rate_indices");
    const auto check_index = [&](const std::string& index, const std::string& path) {
      if (index.empty() || assumptions.rate_indices.contains(index) || problems.any_at_or_under(indices_path)) return;
      std::string defined;
      for (const auto& [name, entry] : assumptions.rate_indices) defined += (defined.empty() ? "" : ", ") + name;
      problems.add(path, fmt::format("rate index \"{}\" is not defined in {} (defined: {})", index, indices_path,
                                     defined.empty() ? "none" : defined));
    };
    for (std::size_t i = 0; i < waterfall->tranches.size(); ++i)
      if (const auto& floating = waterfall->tranches[i].floating)
        check_index(floating->index,
                    member_path(member_path(element_path("deal.structure.tranches", i), "floating"), "index"));
    for (std::size_t i = 0; i < waterfall->hedges.size(); ++i)
      check_index(waterfall->hedges[i].index, member_path(element_path("deal.structure.hedges", i), "index"));
  }
  if (assumptions.delivery_delay && !problems.any_at_or_under("deal.fleet"))
    check_delivery_delay(deal, *assumptions.delivery_delay, member_path(assumptions_path, "delivery_delay"), problems);
  const std::string market_path = member_path(assumptions_path, "gpu_market");
  std::unordered_set<std::string_view> gpu_type_ids;
  for (const auto& type : deal.gpu_types) gpu_type_ids.insert(type.id);
  for (const auto& [type, market] : assumptions.gpu_market) {
    if (!gpu_types_valid) break;
    if (!gpu_type_ids.contains(type))
      problems.add(member_path(market_path, type), fmt::format("\"{}\" is not a GPU type of the deal", type));
  }
  for (const auto& type : deal.gpu_types)
    if (!type.id.empty() && !assumptions.gpu_market.contains(type.id) && !problems.any_at_or_under(market_path))
      problems.add(member_path(market_path, type.id),
                   fmt::format("required field is missing: every GPU type needs a market entry (\"{}\")", type.id));
  check_sites_against_assumptions(deal, assumptions, assumptions_path, problems);
}

}  // namespace computedebt::io::detail
