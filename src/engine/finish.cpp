#include "control_variates.hpp"

#include <computedebt/engine/simulate.hpp>
#include <computedebt/pricing/tranche_pricing.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace computedebt::engine {

namespace {

using calibration::WaterfallPlan;

/// Expected flows per payment date `1..M` from weighted sums over `paths`.
std::vector<double> per_date(std::span<const double> sums, double paths) {
  std::vector<double> means;
  for (std::size_t m = 1; m < sums.size(); ++m) means.push_back(sums[m] / paths);
  return means;
}

void finish_tranche(const WaterfallPlan& plan, const WaterfallStatistics& stats, std::size_t t, double paths,
                    pricing::TrancheResult& tranche) {
  const std::size_t columns = plan.dates + 1;
  tranche.notional = plan.notional[t];
  tranche.coupon = plan.at(plan.coupon, t, 0);  // The first period's: a floating tranche's current coupon.
  const auto principal = std::span(stats.principal).subspan(t * columns, columns);
  const auto received = std::span(stats.received).subspan(t * columns, columns);
  tranche.expected_principal = per_date(principal, paths);
  const auto expected_received = per_date(received, paths);
  for (std::size_t m = 0; m < expected_received.size(); ++m)
    tranche.expected_interest.push_back(expected_received[m] - tranche.expected_principal[m]);
  pricing::set_wal(stats.wal[t], pricing::promised_wal(plan, t), tranche);
  // A fixed coupon is what the balance bears on every path.
  const bool fixed = plan.rate_index[t] == calibration::fixed_rate;
  tranche.expected_coupon = fixed ? tranche.coupon : stats.coupon[t].ratio();
  tranche.expected_coupon_stderr = fixed ? 0.0 : stats.coupon[t].ratio_standard_error();
  // With coupons that differ by path, the promised flows are their mean, so that the rates' optionality (a floor,
  // a cap) is not mistaken for credit (docs/methodology.md section 5.5).
  const auto expected_promised = stats.promised.empty()
                                     ? std::vector<double>{}
                                     : per_date(std::span(stats.promised).subspan(t * columns, columns), paths);
  const auto promised_flows = stats.promised.empty()
                                  ? std::span(plan.promised_flow).subspan(t * columns + 1, plan.dates)
                                  : std::span<const double>(expected_promised);
  // A delayed-draw tranche's flows are net of what it lends after t0, as its promised flows are.
  auto expected_net = expected_received;
  if (plan.commitment[t] > 0.0) {
    pricing::TrancheResult::DelayedDraw draw;
    draw.commitment = plan.commitment[t];
    draw.expected_draws = per_date(std::span(stats.drawn).subspan(t * columns, columns), paths);
    for (std::size_t m = 0; m < expected_net.size(); ++m) expected_net[m] -= draw.expected_draws[m];
    draw.expected_drawn = stats.drawn_total[t].mean();
    draw.expected_drawn_stderr = stats.drawn_total[t].standard_error();
    draw.refusal_probability = stats.draw_refused[t].mean();
    draw.refusal_probability_stderr = stats.draw_refused[t].standard_error();
    draw.expected_commitment_fees = stats.commitment_fees[t].mean();
    draw.expected_commitment_fees_stderr = stats.commitment_fees[t].standard_error();
    tranche.delayed_draw = std::move(draw);
  }
  // A tranche that never loses has a fair spread of 0.
  if (tranche.default_probability > 0.0)
    pricing::set_fair_spread(promised_flows, expected_net, std::span(plan.date_time).subspan(1),
                             std::span(plan.date_discount).subspan(1), plan.notional[t],
                             stats.received_value[t].standard_error(), tranche);
  pricing::set_implied_rating(tranche);
}

pricing::EventResult finish_event(std::string name, const WaterfallStatistics& stats, std::size_t e,
                                  std::size_t columns, double paths) {
  pricing::EventResult result{std::move(name), stats.occurred[e].mean(), stats.occurred[e].standard_error(), {}};
  result.first_date_probability = per_date(std::span(stats.first_date).subspan(e * columns, columns), paths);
  return result;
}

pricing::WaterfallResult finish_waterfall(const calibration::Plan& plan, const WaterfallStatistics& stats,
                                          double paths) {
  const auto& w = plan.waterfall;
  const std::size_t columns = w.dates + 1;
  pricing::WaterfallResult result;
  for (std::size_t m = 1; m < columns; ++m) {
    result.payment_dates.push_back(format_date(plan.grid.dates[static_cast<std::size_t>(w.date_month[m])]));
    result.payment_times.push_back(w.date_time[m]);
  }
  auto& equity = result.equity;
  equity.investment = w.equity_investment;
  equity.irr_mean = stats.irr.mean();
  equity.irr_mean_stderr = stats.irr.standard_error();
  const auto& irr = stats.irr_distribution;
  equity.irr_p05 = irr.quantile(0.05);
  equity.irr_p25 = irr.quantile(0.25);
  equity.irr_p50 = irr.quantile(0.5);
  equity.irr_p75 = irr.quantile(0.75);
  equity.irr_p95 = irr.quantile(0.95);
  equity.probability_negative_irr = stats.negative_irr.mean();
  equity.probability_negative_irr_stderr = stats.negative_irr.standard_error();
  equity.money_multiple = stats.money_multiple.mean();
  equity.money_multiple_stderr = stats.money_multiple.standard_error();
  equity.expected_distributions = per_date(stats.distributions, paths);

  static constexpr const char* consequence_names[] = {"cash_sweep",     "cash_trap",        "block_distributions",
                                                      "margin_step_up", "event_of_default", "mandatory_prepayment"};
  for (std::size_t c = 0; c < w.covenants.size(); ++c) {
    const auto& covenant = w.covenants[c];
    result.triggers.push_back(finish_event(covenant.name, stats, c, columns, paths));
    pricing::CovenantResult planned{result.triggers.back(), std::string(calibration::metric_name(covenant.metric)),
                                    consequence_names[static_cast<std::size_t>(covenant.consequence)]};
    planned.expected_months_in_breach = stats.months_in_breach[c].mean();
    planned.expected_months_in_breach_stderr = stats.months_in_breach[c].standard_error();
    planned.expected_cures_used = stats.cures_used[c].mean();
    planned.expected_cures_used_stderr = stats.cures_used[c].standard_error();
    result.covenants.push_back(std::move(planned));
  }
  result.events_of_default = finish_event("event_of_default", stats, w.covenants.size(), columns, paths);
  equity.expected_cures_paid_in = stats.injected.mean();
  equity.expected_cures_paid_in_stderr = stats.injected.standard_error();

  auto& fan = result.fan_charts;
  for (std::size_t m = 1; m < columns; ++m) {
    std::vector<double> dscr, ltv;
    for (double level : fan.levels) {
      dscr.push_back(stats.dscr[m].quantile(level));
      ltv.push_back(stats.ltv[m].quantile(level));
    }
    fan.dscr.push_back(std::move(dscr));
    fan.ltv.push_back(std::move(ltv));
  }
  if (const auto& base = w.borrowing_base) {
    pricing::BorrowingBaseResult bb;
    for (std::size_t t = 0; t < w.tranches; ++t)
      if (base->facility[t]) bb.tranches.push_back(w.names[t]);
    const auto& v = base->initial;
    bb.investment_grade = v.investment_grade;
    bb.sub_investment_grade = v.sub_investment_grade;
    bb.guaranteed = v.guaranteed;
    bb.gpu = v.gpu;
    bb.facilities = v.facilities;
    bb.excluded = v.excluded;
    bb.initial_borrowing_base = base->initial_base;
    bb.initial_balance = base->initial_balance;
    const std::size_t c = base->covenant;
    bb.deficiency = result.triggers[c];
    bb.expected_months_deficient = stats.months_in_breach[c].mean();
    bb.expected_months_deficient_stderr = stats.months_in_breach[c].standard_error();
    bb.event_of_default_probability = stats.borrowing_base_default[0].mean();
    bb.event_of_default_probability_stderr = stats.borrowing_base_default[0].standard_error();
    bb.expected_prepayments = stats.prepaid[0].mean();
    bb.expected_prepayments_stderr = stats.prepaid[0].standard_error();
    bb.expected_prepayment = per_date(stats.mandatory_prepayment, paths);
    // The final date repays everything and has no test.
    for (std::size_t m = 1; m < w.dates; ++m) {
      std::vector<double> quantiles;
      for (double level : fan.levels)
        quantiles.push_back(stats.borrowing_base_headroom[m].quantile(level) * base->initial_balance);
      fan.borrowing_base_headroom.push_back(std::move(quantiles));
    }
    result.borrowing_base = std::move(bb);
  }
  double notional = 0.0;
  for (const double n : w.notional) notional += n;
  std::size_t trap = 0;
  for (std::size_t a = 0; a < w.accounts.size(); ++a) {
    pricing::AccountResult account{w.accounts[a].name, w.accounts[a].trap ? "trap" : "reserve"};
    account.expected_balance = per_date(std::span(stats.account_balance).subspan(a * columns, columns), paths);
    if (w.accounts[a].trap) {
      for (std::size_t m = 1; m < columns; ++m) {
        std::vector<double> quantiles;
        for (double level : fan.levels)
          quantiles.push_back(stats.trap_balance[trap * columns + m].quantile(level) * notional);
        account.fan_chart.push_back(std::move(quantiles));
      }
      ++trap;
    }
    result.accounts.push_back(std::move(account));
  }
  for (std::size_t h = 0; h < w.hedges.size(); ++h) {
    pricing::HedgeResult hedge{w.hedges[h].name, w.hedges[h].kind == deal::HedgeKind::swap ? "swap" : "cap"};
    hedge.expected_net_payments = stats.hedge_net[h].mean();
    hedge.expected_net_payments_stderr = stats.hedge_net[h].standard_error();
    hedge.expected_payments = per_date(std::span(stats.hedge_flow).subspan(h * columns, columns), paths);
    hedge.counterparty_default_probability = stats.hedge_counterparty_default[h].mean();
    hedge.counterparty_default_probability_stderr = stats.hedge_counterparty_default[h].standard_error();
    hedge.event_of_default_termination_probability = stats.hedge_event_of_default[h].mean();
    hedge.event_of_default_termination_probability_stderr = stats.hedge_event_of_default[h].standard_error();
    hedge.expected_close_out = stats.hedge_close_out[h].mean();
    hedge.expected_close_out_stderr = stats.hedge_close_out[h].standard_error();
    result.hedges.push_back(std::move(hedge));
  }
  for (std::size_t d = 0; d < w.delivery_date.size(); ++d)
    result.deliveries.push_back({w.delivery_name[d], result.payment_dates[w.delivery_date[d] - 1],
                                 stats.delivery_cancelled[d].mean(), stats.delivery_cancelled[d].standard_error(),
                                 stats.delivery_delay[d].mean(), stats.delivery_delay[d].standard_error(),
                                 stats.delivery_late[d].mean(), stats.delivery_late[d].standard_error()});
  result.operating_costs = {stats.energy_cost.mean(),
                            stats.energy_cost.standard_error(),
                            stats.other_cost.mean(),
                            stats.other_cost.standard_error(),
                            stats.energy_share.mean(),
                            stats.energy_share.standard_error(),
                            std::nullopt};
  if (plan.power.has_generation())
    result.operating_costs.generation =
        pricing::OperatingCosts::Generation{stats.generation.mean(), stats.generation.standard_error()};
  if (!stats.power_cost.empty())
    for (std::size_t m = 1; m <= w.dates; ++m) {
      double full = 0.0;
      for (int k = w.date_month[m - 1] + 1; k <= w.date_month[m]; ++k)
        full += plan.power.fleet_power_cost[static_cast<std::size_t>(k)];
      std::vector<double> quantiles;
      for (double level : result.fan_charts.levels) quantiles.push_back(stats.power_cost[m].quantile(level) * full);
      result.fan_charts.power_cost.push_back(std::move(quantiles));
    }
  result.collateral_value_at_maturity = stats.collateral_value.mean();
  result.collateral_value_at_maturity_stderr = stats.collateral_value.standard_error();
  return result;
}

/// The risk contributions of every holder from the merged sums over `groups` independent groups.
pricing::Contributions finish_contributions(const calibration::Plan& plan, const ContributionStatistics& stats,
                                            std::uint64_t groups, const std::vector<pricing::TrancheResult>& tranches) {
  pricing::Contributions result;
  result.level = contribution_level;
  const std::size_t names = plan.credit.names, count = tranches.size();
  const auto tranche_shares = [&](std::size_t row) {
    std::vector<pricing::TrancheContribution> shares;
    for (std::size_t t = 0; t < count; ++t)
      shares.push_back({tranches[t].name, stats.tranche_loss.mean(row * count + t, groups),
                        stats.tranche_loss.standard_error(row * count + t, groups)});
    return shares;
  };
  for (std::size_t h = 0; h < contribution_holders(plan); ++h) {
    pricing::Contribution c{h < names ? plan.credit.ids[h] : plan.credit.sectors[h - names]};
    if (h >= names && c.id.empty()) c.id = "none";
    c.expected_loss = stats.expected_loss.mean(h, groups);
    c.expected_loss_stderr = stats.expected_loss.standard_error(h, groups);
    c.var_99 = stats.value_at_risk.mean(h, groups);
    c.var_99_stderr = stats.value_at_risk.standard_error(h, groups);
    c.es_99 = stats.expected_shortfall.mean(h, groups);
    c.es_99_stderr = stats.expected_shortfall.standard_error(h, groups);
    c.tranches = tranche_shares(h);
    if (h < names) {
      result.expected_loss += c.expected_loss;
      result.var += c.var_99;
      result.es += c.es_99;
    }
    (h < names ? result.counterparties : result.sectors).push_back(std::move(c));
  }
  result.gpu_market = tranche_shares(contribution_holders(plan));
  return result;
}

/// How the shift was chosen, and each tranche's variance reduction: the plain Monte Carlo variance of its loss `y`,
/// `E_Q[w y^2] - E_Q[w y]^2`, over the paths, against the run's squared standard error times the path count.
pricing::ImportanceSampling importance_sampling(const SimulationConfig& config, const Partial& partial) {
  pricing::ImportanceSampling sampling;
  if (const auto& choice = config.shift_choice) {
    sampling.method = choice->method;
    sampling.target = choice->target;
    sampling.pilot_paths = choice->pilot_paths;
  }
  const double paths = static_cast<double>(config.paths);
  for (std::size_t t = 0; t < partial.tranche_loss.size(); ++t) {
    const auto& loss = partial.tranche_loss[t].x();
    const double plain = std::max(partial.tranche_loss_square[t] / paths - loss.mean() * loss.mean(), 0.0);
    const double error = loss.standard_error();
    sampling.variance_reduction.push_back(error > 0.0 ? plain / (paths * error * error)
                                                      : std::numeric_limits<double>::quiet_NaN());
  }
  return sampling;
}

}  // namespace

std::vector<Problem> sampling_warnings(const pricing::Results& results) {
  std::vector<Problem> warnings;
  if (results.importance_shift.empty()) return warnings;
  const double paths = static_cast<double>(results.paths);
  const double ess = results.effective_sample_size;
  const double off = std::abs(results.mean_weight - 1.0);
  // An automatic shift concentrates the paths on one tranche's tail, so most of the weight sits on few paths by
  // design; the variance reduction measured per tranche says what it gained and lost instead.
  const auto& sampling = results.importance_sampling;
  const bool aimed = sampling && !sampling->target.empty();
  if (aimed) {
    std::vector<std::string> worse;
    for (std::size_t t = 0; t < results.tranches.size(); ++t)
      if (sampling->variance_reduction[t] < 1.0)
        worse.push_back(fmt::format("{} ({:.2f}x)", results.tranches[t].name, sampling->variance_reduction[t]));
    if (!worse.empty())
      warnings.push_back({"importance_shift",
                          fmt::format("the shift chosen for {} estimates these tranches' expected loss less precisely "
                                      "than plain Monte Carlo at equal paths: {}; price them with their own target or "
                                      "without importance sampling",
                                      sampling->target, fmt::join(worse, ", "))});
  }
  if (!aimed && !(ess >= min_ess_fraction * paths))
    warnings.push_back(
        {"importance_shift", fmt::format("the likelihood-ratio weights have collapsed: effective sample size {:.4g} of "
                                         "{} paths (below {:g}%); the estimates and their standard errors are not "
                                         "reliable, use a smaller shift",
                                         ess, results.paths, 100 * min_ess_fraction)});
  else if (!std::isnan(results.mean_weight_stderr) && !(off <= max_weight_errors * results.mean_weight_stderr))
    warnings.push_back({"importance_shift",
                        fmt::format("the mean likelihood-ratio weight is {:.6g} +/- {:.2g}, more than {:g} standard "
                                    "errors from 1: the weights have collapsed and the estimates are not reliable",
                                    results.mean_weight, results.mean_weight_stderr, max_weight_errors)});
  return warnings;
}

pricing::Results finish(const calibration::Plan& plan, const SimulationConfig& config, const Partial& partial) {
  // The partial may come from another machine's bytes: every array read below must have the plan's shape.
  require(same_shape(partial, Partial::empty(plan, optional_statistics(config))),
          "the partial is not of a run of this deal");
  pricing::Results results;
  results.deal = plan.deal_name;
  results.paths = config.paths;
  results.seed = config.seed;
  results.importance_shift = config.importance_shift;
  results.antithetic = config.antithetic;
  results.quasi_random = config.quasi_random;
  auto& portfolio = results.portfolio;
  portfolio.expected_loss = partial.portfolio_loss.mean();
  portfolio.expected_loss_stderr = partial.portfolio_loss.standard_error();
  portfolio.loss_var_99 = partial.loss_distribution.value_at_risk(0.99);
  portfolio.loss_es_99 = partial.loss_distribution.expected_shortfall(0.99);
  portfolio.loss_var_999 = partial.loss_distribution.value_at_risk(0.999);
  portfolio.loss_es_999 = partial.loss_distribution.expected_shortfall(0.999);
  portfolio.expected_defaults = partial.defaults.mean();
  portfolio.expected_defaults_stderr = partial.defaults.standard_error();
  const double paths = static_cast<double>(config.paths);
  for (double weight : partial.default_counts) portfolio.default_count_distribution.push_back(weight / paths);

  for (std::size_t t = 0; t < partial.tranche_loss.size(); ++t) {
    pricing::TrancheResult tranche;
    pricing::set_loss_estimates(partial.tranche_loss[t], tranche);
    tranche.name = plan.is_waterfall() ? plan.waterfall.names[t] : plan.loss_tranches[t].name;
    if (!plan.is_waterfall()) {
      tranche.attachment = plan.loss_tranches[t].attachment;
      tranche.detachment = plan.loss_tranches[t].detachment;
    }
    results.tranches.push_back(std::move(tranche));
  }
  if (config.control_variates) {
    const auto means = analytic::control_means(plan);
    detail::apply_control_variates(plan, partial.control_variates, means, results.tranches);
    results.control_variates = pricing::ControlVariates{means.portfolio_loss, means.tranche_loss, means.error};
  }
  // The waterfall's own estimates, and the implied rating from the (controlled) expected loss.
  if (plan.is_waterfall())
    for (std::size_t t = 0; t < results.tranches.size(); ++t)
      finish_tranche(plan.waterfall, partial.waterfall, t, paths, results.tranches[t]);
  if (plan.is_waterfall()) results.waterfall = finish_waterfall(plan, partial.waterfall, paths);
  if (config.contributions)
    results.contributions =
        finish_contributions(plan, partial.contributions, partial.portfolio_loss.count(), results.tranches);
  if (!config.importance_shift.empty()) results.importance_sampling = importance_sampling(config, partial);
  results.effective_sample_size =
      partial.weight_square_sum > 0.0 ? partial.weight_sum * partial.weight_sum / partial.weight_square_sum : 0.0;
  results.mean_weight = partial.weight.mean();
  results.mean_weight_stderr = partial.weight.standard_error();
  results.warnings = sampling_warnings(results);
  return results;
}

}  // namespace computedebt::engine
