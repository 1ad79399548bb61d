#include "path_runner.hpp"

#include <computedebt/engine/explain.hpp>
#include <computedebt/engine/simulate.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace computedebt::engine {

namespace {

/// A step's kind and what it pays: its tranches, or its account.
std::string step_label(const calibration::WaterfallPlan& plan, const calibration::PlannedStep& step) {
  // Sized by the enumeration, so that a new kind without a name does not compile.
  static constexpr std::array<const char*, calibration::step_kinds> kinds{
      "senior_expenses",  "interest", "reserve",     "principal", "cash_sweep",       "cash_trap",
      "step_up_interest", "equity",   "accelerated", "hedge",     "hedge_termination"};
  std::string label = kinds[static_cast<std::size_t>(step.kind)];
  using enum calibration::StepKind;
  if (step.kind == reserve || step.kind == cash_trap) return label + ": " + plan.accounts[step.account].name;
  for (std::size_t i = 0; i < step.tranches.size(); ++i) label += (i == 0 ? ": " : ", ") + plan.names[step.tranches[i]];
  return label;
}

TracedWaterfall trace_waterfall(const calibration::Plan& plan, const waterfall::WaterfallPath& path,
                                const waterfall::WaterfallTrace& trace, const WaterfallOutcome& outcome) {
  const auto& w = plan.waterfall;
  const std::size_t columns = w.dates + 1;
  const auto date = [&](std::size_t m) {
    return format_date(plan.grid.dates[static_cast<std::size_t>(w.date_month[m])]);
  };
  TracedWaterfall traced;
  traced.tranches = w.names;
  for (const auto& account : w.accounts) traced.accounts.push_back(account.name);
  for (const auto& covenant : w.covenants) traced.covenants.push_back(covenant.name);
  traced.interest.resize(w.tranches);
  traced.principal.resize(w.tranches);
  traced.balance.resize(w.tranches);
  traced.coupon.resize(w.tranches);
  traced.hedge_payment.resize(w.hedges.size());
  for (std::size_t h = 0; h < w.hedges.size(); ++h) {
    traced.hedges.push_back(w.hedges[h].name);
    traced.hedge_close_out.push_back(path.hedge_close_out[h]);
    traced.hedge_ended.push_back(path.hedge_end[h] == 0 ? "" : date(path.hedge_end[h]));
    traced.hedge_counterparty_default.push_back(path.hedge_counterparty_default[h] != 0);
  }
  traced.account_balance.resize(w.accounts.size());
  traced.breached.resize(w.covenants.size());
  for (std::size_t m = 1; m < columns; ++m) {
    traced.payment_dates.push_back(date(m));
    double revenue = 0.0, recoveries = 0.0, costs = 0.0, sales = 0.0, energy = 0.0, generation = 0.0;
    for (int k = w.date_month[m - 1] + 1; k <= w.date_month[m]; ++k) {
      const auto& cash = trace.months[static_cast<std::size_t>(k - 1)];
      revenue += cash.revenue;
      recoveries += cash.recoveries;
      costs += cash.costs;
      sales += cash.sales;
      energy += cash.energy;
      generation += cash.generation;
    }
    traced.revenue.push_back(revenue);
    traced.recoveries.push_back(recoveries);
    traced.costs.push_back(costs);
    traced.sales.push_back(sales);
    traced.energy.push_back(energy);
    if (plan.power.has_generation()) traced.generation.push_back(generation);
    for (std::size_t t = 0; t < w.tranches; ++t) {
      traced.interest[t].push_back(path.interest_paid[t * columns + m]);
      traced.principal[t].push_back(path.principal_paid[t * columns + m]);
      traced.balance[t].push_back(path.balance_after[t * columns + m]);
      traced.coupon[t].push_back(path.coupon[t * columns + m]);
    }
    for (std::size_t h = 0; h < w.hedges.size(); ++h)
      traced.hedge_payment[h].push_back(path.hedge_flow[h * columns + m]);
    for (std::size_t a = 0; a < w.accounts.size(); ++a)
      traced.account_balance[a].push_back(path.account_balance[a * columns + m]);
    for (std::size_t c = 0; c < w.covenants.size(); ++c) traced.breached[c].push_back(path.breached[c * columns + m]);
    traced.dscr.push_back(path.dscr[m]);
    traced.ltv.push_back(path.ltv[m]);
    if (!w.draws.empty()) {
      traced.drawn.resize(w.tranches);
      for (std::size_t t = 0; t < w.tranches; ++t) traced.drawn[t].push_back(path.drawn[t * columns + m]);
      traced.draw_proceeds.push_back(path.draw_proceeds[m]);
    }
    if (w.borrowing_base) {
      traced.borrowing_base_headroom.push_back(path.borrowing_base_headroom[m]);
      traced.mandatory_prepayment.push_back(path.mandatory_prepayment[m]);
    }
    traced.distributions.push_back(path.equity[m]);
    traced.cures_paid_in.push_back(path.injected[m]);
  }
  for (const auto& step : trace.steps) {
    const auto& list = step.after_enforcement ? w.after_default : w.priority;
    traced.steps.push_back({date(step.date), step_label(w, list[step.step]), step.after_enforcement, step.amount});
  }
  if (path.event_of_default > 0) traced.event_of_default = date(path.event_of_default);
  traced.deliveries = w.delivery_name;
  for (const auto cancelled : path.delivery_cancelled) traced.delivery_cancelled.push_back(cancelled != 0);
  traced.delivery_delay = path.delivery_delay;
  traced.equity_irr = outcome.irr;
  traced.money_multiple = outcome.money_multiple;
  traced.collateral_value = path.collateral_value;
  return traced;
}

/// The path's power, gas and capacity prices in the months `months`, for the markets the deal has.
void trace_markets(const calibration::Plan& plan, const detail::PathRunner& runner, const std::vector<int>& months,
                   PathTrace& traced) {
  const auto& power = plan.power;
  if (power.has_market()) {
    traced.power_markets.push_back("hub");
    for (std::size_t i = 0; i < power.site_ids.size(); ++i)
      if (power.zone_market[i + 1] != 0) traced.power_markets.push_back(power.site_ids[i]);
    for (std::size_t m = 0; m < power.markets.size(); ++m) {
      traced.power_price.emplace_back();
      const auto factor = runner.power().market_factor(m);
      for (const int k : months)
        traced.power_price.back().push_back(power.base_price_per_mwh * factor[static_cast<std::size_t>(k)]);
    }
  }
  if (!runner.power().gas_price().empty())
    for (const int k : months) traced.gas_price.push_back(runner.power().gas_price()[static_cast<std::size_t>(k)]);
  if (plan.facilities.market && !runner.capacity_multipliers().empty())
    for (const int k : months)
      traced.capacity_multiplier.push_back(runner.capacity_multipliers()[static_cast<std::size_t>(k)]);
}

}  // namespace

PathTrace explain_path(const calibration::Plan& plan, const SimulationConfig& config, std::uint64_t path) {
  require_input(path < config.paths, "path", "path {} is not one of the run's {} paths (0 to {})", path, config.paths,
                config.paths - 1);
  require_input(!config.antithetic || config.paths % 2 == 0, "paths",
                "antithetic pairs need an even number of paths, got {}", config.paths);
  SimulationConfig replay = config;
  replay.contributions = false;
  detail::PathRunner runner(plan, replay);
  waterfall::WaterfallTrace trace;
  const PathOutcome& outcome = runner.replay(config.seed, path, &trace);

  PathTrace traced{plan.deal_name, config.seed, path, outcome.weight, outcome.portfolio_loss};
  const auto months = runner.default_months();
  for (std::size_t i = 0; i < plan.credit.names; ++i)
    if (months[i] <= plan.grid.months())
      traced.defaults.push_back(
          {plan.credit.ids[i], months[i], format_date(plan.grid.dates[static_cast<std::size_t>(months[i])])});
  std::sort(traced.defaults.begin(), traced.defaults.end(),
            [](const auto& a, const auto& b) { return a.month < b.month; });
  for (std::size_t t = 0; t < outcome.tranche_loss.size(); ++t) {
    traced.tranches.push_back(plan.is_waterfall() ? plan.waterfall.names[t] : plan.loss_tranches[t].name);
    traced.tranche_loss.push_back(outcome.tranche_loss[t]);
  }
  std::vector<int> gpu_months;
  if (plan.is_waterfall())
    gpu_months.assign(plan.waterfall.date_month.begin() + 1, plan.waterfall.date_month.end());
  else
    gpu_months.push_back(plan.grid.months());
  for (const int k : gpu_months) traced.gpu_dates.push_back(format_date(plan.grid.dates[static_cast<std::size_t>(k)]));
  traced.gpu_types = plan.gpu.ids;
  for (std::size_t g = 0; g < plan.gpu.types; ++g) {
    traced.gpu_multiplier.emplace_back();
    for (const int k : gpu_months)
      traced.gpu_multiplier.back().push_back(runner.multipliers()[g * plan.gpu.columns + static_cast<std::size_t>(k)]);
  }
  if (plan.is_waterfall()) trace_markets(plan, runner, gpu_months, traced);
  if (outcome.waterfall) traced.waterfall = trace_waterfall(plan, *outcome.waterfall->path, trace, *outcome.waterfall);
  return traced;
}

nlohmann::ordered_json to_json(const PathTrace& trace) {
  using Json = nlohmann::ordered_json;
  Json defaults = Json::array();
  for (const auto& d : trace.defaults)
    defaults.push_back({{"counterparty", d.counterparty}, {"month", d.month}, {"date", d.date}});
  Json tranches = Json::array();
  for (std::size_t t = 0; t < trace.tranches.size(); ++t)
    tranches.push_back({{"name", trace.tranches[t]}, {"loss", trace.tranche_loss[t]}});
  Json gpu = Json::object();
  for (std::size_t g = 0; g < trace.gpu_types.size(); ++g) gpu[trace.gpu_types[g]] = trace.gpu_multiplier[g];
  Json document{{"deal", trace.deal},
                {"seed", trace.seed},
                {"path", trace.path},
                {"weight", trace.weight},
                {"portfolio_loss", trace.portfolio_loss},
                {"defaults", defaults},
                {"tranches", tranches},
                {"gpu_multiplier", {{"dates", trace.gpu_dates}, {"by_type", gpu}}}};
  if (!trace.power_markets.empty() || !trace.capacity_multiplier.empty()) {
    Json markets{{"dates", trace.gpu_dates}};
    if (!trace.power_markets.empty()) {
      Json prices = Json::object();
      for (std::size_t m = 0; m < trace.power_markets.size(); ++m)
        prices[trace.power_markets[m]] = trace.power_price[m];
      markets["power_price_per_mwh"] = prices;
    }
    if (!trace.gas_price.empty()) markets["gas_price_per_mmbtu"] = trace.gas_price;
    if (!trace.capacity_multiplier.empty()) markets["capacity_multiplier"] = trace.capacity_multiplier;
    document["markets"] = markets;
  }
  if (!trace.waterfall) return document;
  const auto& w = *trace.waterfall;
  const auto named = [](const std::vector<std::string>& names, const auto& rows) {
    Json object = Json::object();
    for (std::size_t i = 0; i < names.size(); ++i) object[names[i]] = rows[i];
    return object;
  };
  Json flows = Json::object();
  for (std::size_t t = 0; t < w.tranches.size(); ++t)
    flows[w.tranches[t]] = {
        {"interest", w.interest[t]}, {"principal", w.principal[t]}, {"balance", w.balance[t]}, {"coupon", w.coupon[t]}};
  Json hedges = Json::object();
  for (std::size_t h = 0; h < w.hedges.size(); ++h)
    hedges[w.hedges[h]] = {{"payments", w.hedge_payment[h]},
                           {"ended", w.hedge_ended[h].empty() ? Json(nullptr) : Json(w.hedge_ended[h])},
                           {"by_counterparty_default", static_cast<bool>(w.hedge_counterparty_default[h])},
                           {"close_out", w.hedge_close_out[h]}};
  Json steps = Json::array();
  for (const auto& s : w.steps)
    steps.push_back(
        {{"date", s.date}, {"step", s.step}, {"after_enforcement", s.after_enforcement}, {"amount", s.amount}});
  document["waterfall"] = {{"payment_dates", w.payment_dates},
                           {"collateral",
                            {{"revenue", w.revenue},
                             {"recoveries", w.recoveries},
                             {"costs", w.costs},
                             {"sales", w.sales},
                             {"energy", w.energy}}},
                           {"steps", steps},
                           {"tranches", flows},
                           {"accounts", named(w.accounts, w.account_balance)},
                           {"covenants_breached", named(w.covenants, w.breached)},
                           {"hedges", hedges},
                           {"dscr", w.dscr},
                           {"ltv", w.ltv},
                           {"equity", {{"distributions", w.distributions}, {"cures_paid_in", w.cures_paid_in}}},
                           {"event_of_default", w.event_of_default.empty() ? Json(nullptr) : Json(w.event_of_default)},
                           {"equity_irr", w.equity_irr},
                           {"money_multiple", w.money_multiple},
                           {"collateral_value_at_maturity", w.collateral_value}};
  if (!w.deliveries.empty()) {
    Json deliveries = Json::object();
    for (std::size_t d = 0; d < w.deliveries.size(); ++d)
      deliveries[w.deliveries[d]] = {{"cancelled", static_cast<bool>(w.delivery_cancelled[d])},
                                     {"delay_months", w.delivery_delay[d]}};
    document["waterfall"]["deliveries"] = deliveries;
  }
  if (!w.drawn.empty()) {
    Json drawn = Json::object();
    for (std::size_t t = 0; t < w.tranches.size(); ++t) drawn[w.tranches[t]] = w.drawn[t];
    document["waterfall"]["drawn"] = drawn;
    document["waterfall"]["equity"]["draw_proceeds"] = w.draw_proceeds;
  }
  if (!w.generation.empty()) document["waterfall"]["collateral"]["generation"] = w.generation;
  if (!w.borrowing_base_headroom.empty())
    document["waterfall"]["borrowing_base"] = {{"headroom", w.borrowing_base_headroom},
                                               {"mandatory_prepayment", w.mandatory_prepayment}};
  return document;
}

}  // namespace computedebt::engine
