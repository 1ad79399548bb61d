#include <computedebt/pricing/results.hpp>

namespace computedebt::pricing {

namespace {

using Json = nlohmann::ordered_json;

Json tranche_json(const TrancheResult& t, bool waterfall) {
  Json tranche{{"name", t.name}};
  if (waterfall) {
    tranche["notional"] = t.notional;
    tranche["coupon"] = t.coupon;
    tranche["expected_coupon"] = t.expected_coupon;
    tranche["expected_coupon_stderr"] = t.expected_coupon_stderr;
  } else {
    tranche["attachment"] = t.attachment;
    tranche["detachment"] = t.detachment;
  }
  tranche["expected_loss"] = t.expected_loss;
  tranche["expected_loss_stderr"] = t.expected_loss_stderr;
  tranche["default_probability"] = t.default_probability;
  tranche["default_probability_stderr"] = t.default_probability_stderr;
  tranche["loss_given_default"] = t.loss_given_default;
  tranche["loss_given_default_stderr"] = t.loss_given_default_stderr;
  if (const auto& c = t.control_variate)
    tranche["control_variate"] = {{"expected_loss_uncontrolled", c->uncontrolled},
                                  {"expected_loss_uncontrolled_stderr", c->uncontrolled_stderr},
                                  {"variance_reduction", c->variance_reduction},
                                  {"controls", c->controls}};
  if (waterfall) {
    tranche["wal_years"] = t.wal_years;
    tranche["wal_years_stderr"] = t.wal_years_stderr;
    tranche["fair_spread_bp"] = t.fair_spread_bp;
    tranche["fair_spread_bp_stderr"] = t.fair_spread_bp_stderr;
    tranche["implied_rating"] = t.implied_rating;
    tranche["expected_principal"] = t.expected_principal;
    tranche["expected_interest"] = t.expected_interest;
    if (const auto& d = t.delayed_draw)
      tranche["delayed_draw"] = {{"commitment", d->commitment},
                                 {"expected_drawn", d->expected_drawn},
                                 {"expected_drawn_stderr", d->expected_drawn_stderr},
                                 {"refusal_probability", d->refusal_probability},
                                 {"refusal_probability_stderr", d->refusal_probability_stderr},
                                 {"expected_commitment_fees", d->expected_commitment_fees},
                                 {"expected_commitment_fees_stderr", d->expected_commitment_fees_stderr},
                                 {"expected_draws", d->expected_draws}};
  }
  return tranche;
}

Json event_json(const EventResult& event, const char* timing) {
  return {{"probability", event.probability},
          {"probability_stderr", event.probability_stderr},
          {timing, event.first_date_probability}};
}

void add_waterfall(Json& document, const WaterfallResult& w) {
  const auto& e = w.equity;
  document["equity"] = {{"investment", e.investment},
                        {"irr_mean", e.irr_mean},
                        {"irr_mean_stderr", e.irr_mean_stderr},
                        {"irr_p05", e.irr_p05},
                        {"irr_p25", e.irr_p25},
                        {"irr_p50", e.irr_p50},
                        {"irr_p75", e.irr_p75},
                        {"irr_p95", e.irr_p95},
                        {"probability_negative_irr", e.probability_negative_irr},
                        {"probability_negative_irr_stderr", e.probability_negative_irr_stderr},
                        {"money_multiple", e.money_multiple},
                        {"money_multiple_stderr", e.money_multiple_stderr},
                        {"expected_distributions", e.expected_distributions}};
  if (!w.covenants.empty()) {
    document["equity"]["expected_cures_paid_in"] = e.expected_cures_paid_in;
    document["equity"]["expected_cures_paid_in_stderr"] = e.expected_cures_paid_in_stderr;
  }
  document["payment_dates"] = w.payment_dates;
  Json triggers = Json::object();
  for (const auto& trigger : w.triggers) triggers[trigger.name] = event_json(trigger, "first_breach");
  document["triggers"] = triggers;
  document["events_of_default"] = event_json(w.events_of_default, "timing");
  document["fan_charts"] = {{"levels", w.fan_charts.levels}, {"dscr", w.fan_charts.dscr}, {"ltv", w.fan_charts.ltv}};
  if (w.borrowing_base) document["fan_charts"]["borrowing_base_headroom"] = w.fan_charts.borrowing_base_headroom;
  if (!w.fan_charts.power_cost.empty()) document["fan_charts"]["power_cost"] = w.fan_charts.power_cost;
  const auto& costs = w.operating_costs;
  document["operating_costs"] = {{"energy", costs.energy},
                                 {"energy_stderr", costs.energy_stderr},
                                 {"other", costs.other},
                                 {"other_stderr", costs.other_stderr},
                                 {"energy_share", costs.energy_share},
                                 {"energy_share_stderr", costs.energy_share_stderr}};
  if (const auto& generation = costs.generation) {
    document["operating_costs"]["generation"] = generation->mean;
    document["operating_costs"]["generation_stderr"] = generation->standard_error;
  }
  document["collateral_value_at_maturity"] = w.collateral_value_at_maturity;
  document["collateral_value_at_maturity_stderr"] = w.collateral_value_at_maturity_stderr;
  if (!w.covenants.empty()) {
    Json covenants = Json::array();
    for (const auto& c : w.covenants)
      covenants.push_back({{"name", c.breach.name},
                           {"metric", c.metric},
                           {"consequence", c.consequence},
                           {"breach_probability", c.breach.probability},
                           {"breach_probability_stderr", c.breach.probability_stderr},
                           {"first_breach", c.breach.first_date_probability},
                           {"expected_months_in_breach", c.expected_months_in_breach},
                           {"expected_months_in_breach_stderr", c.expected_months_in_breach_stderr},
                           {"expected_cures_used", c.expected_cures_used},
                           {"expected_cures_used_stderr", c.expected_cures_used_stderr}});
    document["covenants"] = covenants;
  }
  if (!w.accounts.empty()) {
    Json accounts = Json::array();
    for (const auto& a : w.accounts) {
      Json account{{"name", a.name}, {"type", a.type}, {"expected_balance", a.expected_balance}};
      if (a.type == "trap") account["fan_chart"] = a.fan_chart;
      accounts.push_back(account);
    }
    document["accounts"] = accounts;
  }
  if (!w.hedges.empty()) {
    Json hedges = Json::array();
    for (const auto& h : w.hedges)
      hedges.push_back(
          {{"name", h.name},
           {"type", h.type},
           {"expected_net_payments", h.expected_net_payments},
           {"expected_net_payments_stderr", h.expected_net_payments_stderr},
           {"expected_payments", h.expected_payments},
           {"counterparty_default_probability", h.counterparty_default_probability},
           {"counterparty_default_probability_stderr", h.counterparty_default_probability_stderr},
           {"event_of_default_termination_probability", h.event_of_default_termination_probability},
           {"event_of_default_termination_probability_stderr", h.event_of_default_termination_probability_stderr},
           {"expected_close_out", h.expected_close_out},
           {"expected_close_out_stderr", h.expected_close_out_stderr}});
    document["hedges"] = hedges;
  }
  if (!w.deliveries.empty()) {
    Json deliveries = Json::array();
    for (const auto& d : w.deliveries)
      deliveries.push_back({{"cohort", d.cohort},
                            {"funding_date", d.funding_date},
                            {"cancel_probability", d.cancel_probability},
                            {"cancel_probability_stderr", d.cancel_probability_stderr},
                            {"expected_delay_months", d.expected_delay_months},
                            {"expected_delay_months_stderr", d.expected_delay_months_stderr},
                            {"late_probability", d.late_probability},
                            {"late_probability_stderr", d.late_probability_stderr}});
    document["deliveries"] = deliveries;
  }
  if (const auto& b = w.borrowing_base)
    document["borrowing_base"] = {{"tranches", b->tranches},
                                  {"initial",
                                   {{"borrowing_base", b->initial_borrowing_base},
                                    {"balance", b->initial_balance},
                                    {"headroom", b->initial_borrowing_base - b->initial_balance},
                                    {"eligible",
                                     {{"investment_grade", b->investment_grade},
                                      {"sub_investment_grade", b->sub_investment_grade},
                                      {"guaranteed", b->guaranteed},
                                      {"gpu", b->gpu},
                                      {"facilities", b->facilities}}},
                                    {"excluded", b->excluded}}},
                                  {"deficiency_probability", b->deficiency.probability},
                                  {"deficiency_probability_stderr", b->deficiency.probability_stderr},
                                  {"first_deficiency", b->deficiency.first_date_probability},
                                  {"expected_months_deficient", b->expected_months_deficient},
                                  {"expected_months_deficient_stderr", b->expected_months_deficient_stderr},
                                  {"event_of_default_probability", b->event_of_default_probability},
                                  {"event_of_default_probability_stderr", b->event_of_default_probability_stderr},
                                  {"expected_prepayments", b->expected_prepayments},
                                  {"expected_prepayments_stderr", b->expected_prepayments_stderr},
                                  {"expected_prepayment", b->expected_prepayment}};
}

Json tranche_contributions_json(const std::vector<TrancheContribution>& tranches) {
  Json list = Json::array();
  for (const auto& t : tranches)
    list.push_back(
        {{"name", t.tranche}, {"expected_loss", t.expected_loss}, {"expected_loss_stderr", t.expected_loss_stderr}});
  return list;
}

Json contributions_json(const Contributions& c) {
  const auto holders = [](const std::vector<Contribution>& list) {
    Json entries = Json::array();
    for (const auto& h : list)
      entries.push_back({{"id", h.id},
                         {"expected_loss", h.expected_loss},
                         {"expected_loss_stderr", h.expected_loss_stderr},
                         {"var_99", h.var_99},
                         {"var_99_stderr", h.var_99_stderr},
                         {"es_99", h.es_99},
                         {"es_99_stderr", h.es_99_stderr},
                         {"tranches", tranche_contributions_json(h.tranches)}});
    return entries;
  };
  return {{"level", c.level},
          {"totals", {{"expected_loss", c.expected_loss}, {"var_99", c.var}, {"es_99", c.es}}},
          {"counterparties", holders(c.counterparties)},
          {"sectors", holders(c.sectors)},
          {"gpu_market", {{"tranches", tranche_contributions_json(c.gpu_market)}}}};
}

}  // namespace

nlohmann::ordered_json to_json(const Results& results) {
  const auto& p = results.portfolio;
  Json document{{"deal", results.deal},
                {"paths", results.paths},
                {"seed", results.seed},
                {"threads", results.threads},
                {"elapsed_seconds", results.elapsed_seconds}};
  if (!results.importance_shift.empty()) document["importance_shift"] = results.importance_shift;
  if (results.antithetic) document["antithetic"] = true;
  if (results.quasi_random) document["quasi_random"] = true;
  document["effective_sample_size"] = results.effective_sample_size;
  document["mean_weight"] = results.mean_weight;
  document["mean_weight_stderr"] = results.mean_weight_stderr;
  document["portfolio"] = {{"expected_loss", p.expected_loss},
                           {"expected_loss_stderr", p.expected_loss_stderr},
                           {"loss_var_99", p.loss_var_99},
                           {"loss_es_99", p.loss_es_99},
                           {"loss_var_999", p.loss_var_999},
                           {"loss_es_999", p.loss_es_999},
                           {"expected_defaults", p.expected_defaults},
                           {"expected_defaults_stderr", p.expected_defaults_stderr},
                           {"default_count_distribution", p.default_count_distribution}};
  Json tranches = Json::array();
  for (const auto& t : results.tranches) tranches.push_back(tranche_json(t, results.waterfall.has_value()));
  document["tranches"] = tranches;
  if (results.waterfall) add_waterfall(document, *results.waterfall);
  if (results.contributions) document["contributions"] = contributions_json(*results.contributions);
  if (const auto& sampling = results.importance_sampling) {
    Json reduction = Json::object();
    for (std::size_t t = 0; t < results.tranches.size(); ++t)
      reduction[results.tranches[t].name] = sampling->variance_reduction[t];
    document["importance_sampling"] = {{"method", sampling->method},
                                       {"target", sampling->target.empty() ? Json() : Json(sampling->target)},
                                       {"pilot_paths", sampling->pilot_paths},
                                       {"expected_loss_variance_reduction", reduction}};
  }
  if (const auto& run = results.semi_analytic)
    document["semi_analytic"] = {{"tolerance", run->tolerance},
                                 {"achieved_error", run->achieved_error},
                                 {"nodes", run->nodes},
                                 {"loss_unit", run->loss_unit},
                                 {"bucketing_error", run->bucketing_error}};
  if (const auto& c = results.control_variates)
    document["control_variates"] = {{"portfolio_loss_mean", c->portfolio_loss_mean},
                                    {"tranche_loss_means", c->tranche_loss_means},
                                    {"achieved_error", c->achieved_error}};
  return document;
}

}  // namespace computedebt::pricing
