#include <computedebt/core/overloaded.hpp>
#include <computedebt/io/save.hpp>

#include <computedebt/core/error.hpp>

#include <fstream>

#include "save_term_sheet.hpp"

namespace computedebt::io {

namespace {

using Json = nlohmann::ordered_json;
using namespace computedebt::deal;
using namespace computedebt::assumptions;

template <class T>
void put_optional(Json& object, const char* key, const std::optional<T>& value) {
  if (value) object[key] = *value;
}

Json to_json(Date date) { return format_date(date); }

Json to_json(const Contract& contract) {
  Json object{{"id", contract.id}, {"counterparty", contract.counterparty}};
  if (contract.guarantee) {
    Json guarantee{{"guarantor", contract.guarantee->guarantor}};
    put_optional(guarantee, "cap", contract.guarantee->cap);
    if (contract.guarantee->expiry) guarantee["expiry"] = to_json(*contract.guarantee->expiry);
    object["guarantee"] = guarantee;
  }
  if (contract.lease) {
    object["gpu_type"] = contract.lease->gpu_type;
    object["gpu_count"] = contract.lease->gpu_count;
    object["price_per_gpu_hour"] = contract.lease->price_per_gpu_hour;
  }
  if (const auto& capacity = contract.capacity) {
    object["megawatts"] = capacity->megawatts;
    object["price_per_kw_month"] = capacity->price_per_kw_month;
    constexpr const char* power[] = {"pass_through", "included", "cost_plus"};
    object["power"] = power[static_cast<int>(capacity->power)];
    if (capacity->power == CapacityPower::cost_plus) object["power_margin"] = capacity->power_margin;
    object["load_factor"] = capacity->load_factor;
    if (!capacity->facility.empty()) object["facility"] = capacity->facility;
  }
  object["start_date"] = to_json(contract.start_date);
  object["end_date"] = to_json(contract.end_date);
  object["annual_escalator"] = contract.annual_escalator;
  if (!contract.capacity) object["power_pass_through"] = contract.power_pass_through;
  if (!contract.cohort.empty()) object["cohort"] = contract.cohort;
  put_optional(object, "notional", contract.notional);
  return object;
}

Json to_json(const Structure& structure) {
  if (const auto* loss = std::get_if<LossTranches>(&structure)) {
    Json tranches = Json::array();
    for (const auto& t : loss->tranches)
      tranches.push_back({{"name", t.name}, {"attachment", t.attachment}, {"detachment", t.detachment}});
    return {{"type", "loss_tranches"}, {"horizon_years", loss->horizon_years}, {"tranches", tranches}};
  }
  const auto& waterfall = std::get<Waterfall>(structure);
  Json tranches = Json::array();
  for (const auto& t : waterfall.tranches) {
    Json tranche{{"name", t.name}, {"notional", t.notional}};
    if (t.floating) {
      Json floating{{"index", t.floating->index}, {"margin_bp", t.floating->margin_bp}};
      put_optional(floating, "floor", t.floating->floor);
      put_optional(floating, "cap", t.floating->cap);
      if (t.floating->margin_grid) floating["margin_grid"] = detail::to_json(*t.floating->margin_grid);
      tranche["floating"] = floating;
    } else {
      tranche["coupon"] = t.coupon;
    }
    tranche["amortization"] = detail::to_json(t.amortization);
    tranche["legal_maturity"] = to_json(t.legal_maturity);
    if (t.anticipated_repayment) tranche["anticipated_repayment"] = detail::to_json(*t.anticipated_repayment);
    if (t.delayed_draw) tranche["delayed_draw"] = detail::to_json(*t.delayed_draw);
    tranches.push_back(tranche);
  }
  Json hedges = Json::array();
  for (const auto& h : waterfall.hedges) {
    Json hedge{{"name", h.name},
               {"type", h.kind == HedgeKind::swap ? "swap" : "cap"},
               {"index", h.index},
               {"counterparty", h.counterparty}};
    hedge[h.kind == HedgeKind::swap ? "fixed_rate" : "strike"] = h.rate;
    hedge["notional"] = std::visit(Overloaded{[](double amount) { return Json(amount); },
                                              [](const TrancheNotional& n) {
                                                return Json{{"tranche", n.tranche}, {"share", n.share}};
                                              },
                                              [](const std::vector<double>& schedule) {
                                                return Json{{"schedule", schedule}};
                                              }},
                                   h.notional);
    hedge["end_date"] = to_json(h.end_date);
    hedges.push_back(hedge);
  }
  Json object{{"type", "waterfall"},
              {"payment_frequency_months", waterfall.payment_frequency_months},
              {"senior_fees_per_year", waterfall.senior_fees_per_year},
              {"tranches", tranches},
              {"equity", {{"investment", waterfall.equity.investment}}}};
  if (waterfall.reserve_account)
    object["reserve_account"] = {{"target_months_of_interest", waterfall.reserve_account->target_months_of_interest},
                                 {"initial_balance", waterfall.reserve_account->initial_balance}};
  Json triggers = Json::object();
  put_optional(triggers, "dscr_cash_sweep", waterfall.triggers.dscr_cash_sweep);
  put_optional(triggers, "ltv_cash_sweep", waterfall.triggers.ltv_cash_sweep);
  if (!triggers.empty()) object["triggers"] = triggers;
  if (!hedges.empty()) object["hedges"] = hedges;
  detail::put_term_sheet(object, waterfall);
  return object;
}

Json to_json(const Deal& deal) {
  Json counterparties = Json::array();
  for (const auto& c : deal.counterparties) {
    Json object{{"id", c.id}};
    if (!c.sector.empty()) object["sector"] = c.sector;
    if (c.rating) object["rating"] = std::string(to_string(*c.rating));
    counterparties.push_back(object);
  }
  Json gpu_types = Json::array();
  for (const auto& g : deal.gpu_types) {
    gpu_types.push_back({{"id", g.id}, {"purchase_price", g.purchase_price}, {"power_kw", g.power_kw}});
    if (!g.site.empty()) gpu_types.back()["site"] = g.site;
  }
  Json contracts = Json::array();
  for (const auto& c : deal.contracts) contracts.push_back(to_json(c));

  Json object{{"name", deal.name},
              {"valuation_date", to_json(deal.valuation_date)},
              {"currency", deal.currency},
              {"counterparties", counterparties},
              {"gpu_types", gpu_types}};
  if (deal.fleet) {
    Json fleet = Json::array();
    for (const auto& cohort : *deal.fleet) {
      Json entry{{"gpu_type", cohort.gpu_type}, {"count", cohort.count}, {"acquired", to_json(cohort.acquired)}};
      if (!cohort.id.empty()) entry["id"] = cohort.id;
      fleet.push_back(entry);
    }
    object["fleet"] = fleet;
  }
  object["contracts"] = contracts;
  if (!deal.power_purchases.empty()) {
    Json purchases = Json::array();
    for (const auto& ppa : deal.power_purchases)
      purchases.push_back({{"id", ppa.id},
                           {"counterparty", ppa.counterparty},
                           {"volume_mwh_per_month", ppa.volume_mwh_per_month},
                           {"price_per_mwh", ppa.price_per_mwh},
                           {"start_date", to_json(ppa.start_date)},
                           {"end_date", to_json(ppa.end_date)}});
    for (std::size_t i = 0; i < deal.power_purchases.size(); ++i)
      if (!deal.power_purchases[i].site.empty()) purchases[i]["site"] = deal.power_purchases[i].site;
    object["power_purchase_agreements"] = purchases;
  }
  if (!deal.facilities.empty()) {
    Json facilities = Json::array();
    for (const auto& facility : deal.facilities) {
      Json value;
      if (const auto* cost = std::get_if<DepreciatedCost>(&facility.value))
        value = {{"type", "depreciation"},
                 {"useful_life_years", cost->useful_life_years},
                 {"residual_fraction", cost->residual_fraction}};
      else
        value = {{"type", "cap_rate"}, {"cap_rate", std::get<CapRate>(facility.value).cap_rate}};
      facilities.push_back({{"id", facility.id},
                            {"megawatts", facility.megawatts},
                            {"commissioned", to_json(facility.commissioned)},
                            {"build_cost_per_mw", facility.build_cost_per_mw},
                            {"opex_per_mw_month", facility.opex_per_mw_month},
                            {"value", value},
                            {"liquidation_haircut", facility.liquidation_haircut}});
      if (!facility.site.empty()) facilities.back()["site"] = facility.site;
    }
    object["facilities"] = facilities;
  }
  if (!deal.sites.empty()) {
    Json sites = Json::array();
    for (const auto& site : deal.sites) {
      sites.push_back({{"id", site.id}});
      if (const auto& generation = site.behind_the_meter)
        sites.back()["behind_the_meter"] = {
            {"megawatts", generation->megawatts},
            {"heat_rate_mmbtu_per_mwh", generation->heat_rate_mmbtu_per_mwh},
            {"variable_om_per_mwh", generation->variable_om_per_mwh},
            {"availability", generation->availability},
            {"dispatch", generation->dispatch == Dispatch::economic ? "economic" : "must_run"}};
    }
    object["sites"] = sites;
  }
  object["structure"] = to_json(deal.structure);
  return object;
}

Json to_json(const std::vector<RateQuote>& quotes) {
  Json object = Json::object();
  for (const auto& q : quotes) object[std::to_string(q.tenor.length) + (q.tenor.in_years ? "Y" : "M")] = q.rate;
  return object;
}

Json to_json(const RateIndex& index) {
  constexpr const char* conventions[] = {"SOFR", "SONIA", "ESTR"};
  Json object{{"conventions", conventions[static_cast<int>(index.conventions)]}};
  if (!index.deposits.empty()) object["deposits"] = to_json(index.deposits);
  if (!index.ois_swaps.empty()) object["ois_swaps"] = to_json(index.ois_swaps);
  if (index.hull_white) {
    object["hull_white"] = {{"mean_reversion", index.hull_white->mean_reversion},
                            {"volatility", index.hull_white->volatility}};
    if (!index.hull_white->factor_loadings.empty())
      object["hull_white"]["factor_loadings"] = index.hull_white->factor_loadings;
  }
  return object;
}

Json to_json(const CurveSource& source) {
  return std::visit(
      [](const auto& s) -> Json {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, HazardRate>) return {{"hazard_rate", s.hazard_rate}};
        if constexpr (std::is_same_v<S, DefaultProbability>)
          return {{"default_probability", s.default_probability}, {"horizon_years", s.horizon_years}};
        if constexpr (std::is_same_v<S, CdsSpreads>) {
          Json spreads = Json::object();
          for (const auto& q : s.quotes)
            spreads[std::to_string(q.tenor.length) + (q.tenor.in_years ? "Y" : "M")] = q.spread_bp;
          return {{"cds_spreads_bp", spreads}, {"cds_recovery", s.cds_recovery}};
        }
        if constexpr (std::is_same_v<S, RatingCurve>) return {{"rating", std::string(to_string(s.rating))}};
      },
      source);
}

Json to_json(const GpuMarket& market) {
  Json object;
  if (const auto* d = std::get_if<ExponentialDecline>(&market.residual_value))
    object["residual_value"] = {{"annual_decline", d->annual_decline}};
  else {
    const auto& table = std::get<ResidualTable>(market.residual_value);
    object["residual_value"] = {{"ages_years", table.ages_years}, {"fractions", table.fractions}};
  }
  if (const auto* r = std::get_if<RentDecline>(&market.rent))
    object["rent"] = {{"initial_per_gpu_hour", r->initial_per_gpu_hour}, {"annual_decline", r->annual_decline}};
  else {
    const auto& table = std::get<RentTable>(market.rent);
    object["rent"] = {{"times_years", table.times_years}, {"per_gpu_hour", table.per_gpu_hour}};
  }
  object["volatility"] = market.volatility;
  object["factor_loadings"] = market.factor_loadings;
  object["initial_multiplier"] = market.initial_multiplier;
  Json launches = Json::array();
  for (const auto& launch : market.obsolescence.launches)
    launches.push_back({{"date", to_json(launch.date)}, {"jump_size", launch.jump_size}});
  object["obsolescence"] = {{"jump_intensity", market.obsolescence.jump_intensity},
                            {"jump_size", market.obsolescence.jump_size},
                            {"launches", launches}};
  return object;
}

Json to_json(const Operations& ops) {
  return {{"power_price_per_mwh", ops.power_price_per_mwh},
          {"pue", ops.pue},
          {"fixed_opex_per_gpu_month", ops.fixed_opex_per_gpu_month},
          {"recovery_lag_months", ops.recovery_lag_months},
          {"re_lease",
           {{"enabled", ops.re_lease.enabled},
            {"lag_months", ops.re_lease.lag_months},
            {"utilisation", ops.re_lease.utilisation},
            {"discount_to_index", ops.re_lease.discount_to_index}}},
          {"liquidation", {{"haircut", ops.liquidation.haircut}, {"lag_months", ops.liquidation.lag_months}}}};
}

Json to_json(const PowerMarket& market) {
  Json object{{"annual_escalator", market.annual_escalator},
              {"mean_reversion", market.mean_reversion},
              {"volatility", market.volatility},
              {"factor_loadings", market.factor_loadings}};
  if (!market.monthly_shape.empty()) object["monthly_shape"] = market.monthly_shape;
  return object;
}

Json to_json(const DelayDistribution& distribution) {
  return {{"months", distribution.months}, {"probabilities", distribution.probabilities}};
}

}  // namespace

Json to_json(const Assumptions& assumptions) {
  Json object;
  if (const auto* flat = std::get_if<FlatCurve>(&assumptions.discount_curve))
    object["discount_curve"] = {{"type", "flat"}, {"rate", flat->rate}};
  else {
    const auto& zero = std::get<ZeroCurve>(assumptions.discount_curve);
    object["discount_curve"] = {{"type", "zero"}, {"tenors_years", zero.tenors_years}, {"rates", zero.rates}};
  }
  object["factors"] = {{"names", assumptions.factors.names}, {"correlation", assumptions.factors.correlation}};
  if (const auto* t = std::get_if<StudentTCopula>(&assumptions.copula))
    object["copula"] = {{"type", "student_t"}, {"degrees_of_freedom", t->degrees_of_freedom}};
  else
    object["copula"] = {{"type", "gaussian"}};
  Json sectors = Json::object();
  for (const auto& [name, sector] : assumptions.sectors)
    sectors[name] = {{"factor_loadings", sector.factor_loadings},
                     {"recovery_rate", sector.recovery_rate},
                     {"pd_multiplier", sector.pd_multiplier}};
  object["sectors"] = sectors;
  Json credit = Json::object();
  for (const auto& [id, entry] : assumptions.credit) {
    Json item = entry.curve ? to_json(*entry.curve) : Json::object();
    put_optional(item, "recovery_rate", entry.recovery_rate);
    put_optional(item, "factor_loadings", entry.factor_loadings);
    put_optional(item, "pd_multiplier", entry.pd_multiplier);
    credit[id] = item;
  }
  object["credit"] = credit;
  Json markets = Json::object();
  for (const auto& [type, market] : assumptions.gpu_market) markets[type] = to_json(market);
  object["gpu_market"] = markets;
  object["operations"] = to_json(assumptions.operations);
  if (!assumptions.rate_indices.empty()) {
    Json indices = Json::object();
    for (const auto& [name, index] : assumptions.rate_indices) indices[name] = to_json(index);
    object["rate_indices"] = indices;
  }
  if (const auto& power = assumptions.power_market) object["power_market"] = to_json(*power);
  if (!assumptions.site_power_markets.empty()) {
    Json sites = Json::object();
    for (const auto& [site, market] : assumptions.site_power_markets) {
      sites[site] = to_json(market.process);
      sites[site]["price_per_mwh"] = market.price_per_mwh;
    }
    object["site_power_markets"] = sites;
  }
  if (const auto& gas = assumptions.gas_market) {
    object["gas_market"] = to_json(gas->process);
    object["gas_market"]["price_per_mmbtu"] = gas->price_per_mmbtu;
  }
  if (const auto& capacity = assumptions.capacity_market) {
    const auto& re_lease = capacity->re_lease;
    object["capacity_market"] = {{"price_per_kw_month", capacity->price_per_kw_month},
                                 {"annual_change", capacity->annual_change},
                                 {"volatility", capacity->volatility},
                                 {"factor_loadings", capacity->factor_loadings},
                                 {"re_lease",
                                  {{"enabled", re_lease.enabled},
                                   {"lag_months", re_lease.lag_months},
                                   {"utilisation", re_lease.utilisation},
                                   {"discount_to_market", re_lease.discount_to_market}}}};
  }
  if (const auto& delay = assumptions.delivery_delay) {
    Json cohorts = Json::object();
    for (const auto& [id, distribution] : delay->cohorts) cohorts[id] = to_json(distribution);
    object["delivery_delay"] = {{"delay", to_json(delay->delay)}, {"cohorts", cohorts}};
  }
  return object;
}

Json to_json(const DealFile& file) {
  return {{"format_version", file.format_version},
          {"deal", to_json(file.deal)},
          {"assumptions", to_json(file.assumptions)}};
}

void save_deal(const DealFile& file, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Error("cannot write " + path.string());
  out << to_json(file).dump(2) << '\n';
  if (!out) throw Error("failed while writing " + path.string());
}

}  // namespace computedebt::io
