#include "price_table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "printable.hpp"

namespace computedebt::cli {

namespace {
std::string percent(double x) { return fmt::format("{:.3f}%", 100.0 * x); }

/// A standard error, or "-" where there is none (a semi-analytic run).
std::string error_percent(double x) { return std::isfinite(x) ? percent(x) : "-"; }

/// A fair spread in basis points, or "-" when there is none (a tranche wiped out on every path has no spread).
std::string spread(double bp) { return std::isfinite(bp) ? fmt::format("{:.1f} bp", bp) : "-"; }

/// The first payment date with the largest probability, or "-" when the event never happens.
std::string likeliest_date(const pricing::EventResult& event, const std::vector<std::string>& dates) {
  std::size_t best = 0;
  for (std::size_t m = 1; m < event.first_date_probability.size(); ++m)
    if (event.first_date_probability[m] > event.first_date_probability[best]) best = m;
  return event.probability > 0.0 ? dates[best] : "-";
}

std::string waterfall_table(const pricing::Results& results) {
  const auto& w = *results.waterfall;
  std::string out = fmt::format("\n{:<14} {:>9} {:>8} {:>11} {:>9} {:>9} {:>8} {:>6} {:>9} {:>7}\n", "tranche",
                                "notional", "coupon", "exp. loss", "s.e.", "P(loss)", "LGD", "WAL", "spread", "rating");
  for (const auto& t : results.tranches)
    out += fmt::format("{:<14} {:>8.1f}m {:>7.3f}% {:>11} {:>9} {:>9} {:>8} {:>6.2f} {:>9} {:>7}\n", printable(t.name),
                       t.notional / 1e6, 100.0 * t.expected_coupon, percent(t.expected_loss),
                       percent(t.expected_loss_stderr), percent(t.default_probability), percent(t.loss_given_default),
                       t.wal_years, spread(t.fair_spread_bp), printable(t.implied_rating));
  out += "  coupon: the expected coupon the balance bore; floating tranches at each path's fixings and margins\n";
  for (const auto& t : results.tranches)
    if (const auto& d = t.delayed_draw)
      out += fmt::format(
          "  {} draws {:.1f}m of {:.1f}m committed (s.e. {:.1f}m); P(a draw refused) {}; commitment fees "
          "{:.3f}m\n",
          printable(t.name), d->expected_drawn / 1e6, d->commitment / 1e6, d->expected_drawn_stderr / 1e6,
          percent(d->refusal_probability), d->expected_commitment_fees / 1e6);
  for (const auto& d : w.deliveries) {
    out += fmt::format("  delivery {} funded {}: P(cancelled) {} (s.e. {})", printable(d.cohort), d.funding_date,
                       percent(d.cancel_probability), percent(d.cancel_probability_stderr));
    if (d.late_probability > 0.0)
      out += fmt::format("; P(late) {}, mean delay {:.2f} months (s.e. {:.2f})", percent(d.late_probability),
                         d.expected_delay_months, d.expected_delay_months_stderr);
    out += "\n";
  }
  const auto& e = w.equity;
  out += fmt::format("\nEquity {:.1f}m   IRR mean {} (s.e. {})   p05 {}  p50 {}  p95 {}\n", e.investment / 1e6,
                     percent(e.irr_mean), percent(e.irr_mean_stderr), percent(e.irr_p05), percent(e.irr_p50),
                     percent(e.irr_p95));
  out += fmt::format("               P(IRR < 0) {}   money multiple {:.3f} (s.e. {:.3f})\n",
                     percent(e.probability_negative_irr), e.money_multiple, e.money_multiple_stderr);
  if (e.expected_cures_paid_in > 0.0)
    out += fmt::format("               equity cures paid in {:.1f}m (s.e. {:.1f}m)\n", e.expected_cures_paid_in / 1e6,
                       e.expected_cures_paid_in_stderr / 1e6);
  out += fmt::format("\n{:<24} {:<38} {:>11} {:>9} {:>8} {:>6} {:>16}\n", "covenant or event", "metric: consequence",
                     "probability", "s.e.", "months", "cures", "likeliest first");
  for (const auto& c : w.covenants)
    out += fmt::format("{:<24} {:<38} {:>11} {:>9} {:>8.2f} {:>6.3f} {:>16}\n", printable(c.breach.name),
                       printable(c.metric + ": " + c.consequence), percent(c.breach.probability),
                       percent(c.breach.probability_stderr), c.expected_months_in_breach, c.expected_cures_used,
                       likeliest_date(c.breach, w.payment_dates));
  const auto& d = w.events_of_default;
  out += fmt::format("{:<24} {:<38} {:>11} {:>9} {:>8} {:>6} {:>16}\n", printable(d.name), "", percent(d.probability),
                     percent(d.probability_stderr), "", "", likeliest_date(d, w.payment_dates));
  if (!w.hedges.empty()) {
    out += fmt::format("\n{:<24} {:<5} {:>16} {:>10} {:>14} {:>14} {:>14}\n", "hedge", "type", "net payments", "s.e.",
                       "P(cpty dflt)", "P(EoD close)", "close-out");
    for (const auto& h : w.hedges)
      out += fmt::format("{:<24} {:<5} {:>15.3f}m {:>9.3f}m {:>14} {:>14} {:>13.3f}m\n", printable(h.name), h.type,
                         h.expected_net_payments / 1e6, h.expected_net_payments_stderr / 1e6,
                         percent(h.counterparty_default_probability),
                         percent(h.event_of_default_termination_probability), h.expected_close_out / 1e6);
    out += "  net payments: expected, undiscounted, to the SPV (negative: it pays)\n";
  }
  if (const auto& b = w.borrowing_base) {
    out += fmt::format("\nBorrowing base {:.1f}m at t0 against {:.1f}m drawn (headroom {:.1f}m)\n",
                       b->initial_borrowing_base / 1e6, b->initial_balance / 1e6,
                       (b->initial_borrowing_base - b->initial_balance) / 1e6);
    out += fmt::format("  P(deficiency) {} (s.e. {}), likeliest first {}; expected months deficient {:.2f}\n",
                       percent(b->deficiency.probability), percent(b->deficiency.probability_stderr),
                       likeliest_date(b->deficiency, w.payment_dates), b->expected_months_deficient);
    out += fmt::format("  mandatory prepayments {:.3f}m (s.e. {:.3f}m); P(event of default from it) {} (s.e. {})\n",
                       b->expected_prepayments / 1e6, b->expected_prepayments_stderr / 1e6,
                       percent(b->event_of_default_probability), percent(b->event_of_default_probability_stderr));
  }
  const auto& costs = w.operating_costs;
  out +=
      fmt::format("\nOperating costs {:.1f}m: power {:.1f}m (s.e. {:.1f}m), {} of a path's (s.e. {}); other {:.1f}m\n",
                  (costs.energy + costs.other) / 1e6, costs.energy / 1e6, costs.energy_stderr / 1e6,
                  percent(costs.energy_share), percent(costs.energy_share_stderr), costs.other / 1e6);
  if (const auto& generation = costs.generation)
    out += fmt::format("  generation behind the meter changed power by {:+.1f}m (s.e. {:.1f}m)\n",
                       generation->mean / 1e6, generation->standard_error / 1e6);
  out += fmt::format("\nCollateral value at maturity {:.1f}m (s.e. {:.1f}m), before the final sale\n",
                     w.collateral_value_at_maturity / 1e6, w.collateral_value_at_maturity_stderr / 1e6);
  return out;
}

/// One row per loss tranche.
std::string loss_tranche_table(const pricing::Results& results) {
  std::string out = fmt::format("\n{:<24} {:>8} {:>8} {:>11} {:>10} {:>10} {:>9}\n", "tranche", "attach", "detach",
                                "exp. loss", "s.e.", "P(loss)", "LGD");
  for (const auto& t : results.tranches)
    out += fmt::format("{:<24} {:>8} {:>8} {:>11} {:>10} {:>10} {:>9}\n", printable(t.name),
                       fmt::format("{:.2f}%", 100 * t.attachment), fmt::format("{:.2f}%", 100 * t.detachment),
                       percent(t.expected_loss), error_percent(t.expected_loss_stderr), percent(t.default_probability),
                       percent(t.loss_given_default));
  return out;
}

/// The ten counterparties contributing most to the portfolio's expected loss, and the totals they add up to.
std::string contributions_table(const pricing::Contributions& c) {
  std::vector<const pricing::Contribution*> ranked;
  for (const auto& holder : c.counterparties) ranked.push_back(&holder);
  const std::size_t shown = std::min<std::size_t>(10, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(shown), ranked.end(),
                    [](const auto* a, const auto* b) { return a->expected_loss > b->expected_loss; });
  std::string out = fmt::format("\nRisk contributions (top {} of {} counterparties by expected loss; % of exposure)\n",
                                shown, ranked.size());
  out += fmt::format("{:<24} {:>10} {:>9} {:>10} {:>9} {:>10} {:>9}\n", "counterparty", "exp. loss", "s.e.", "VaR 99%",
                     "s.e.", "ES 99%", "s.e.");
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& h = *ranked[i];
    out += fmt::format("{:<24} {:>10} {:>9} {:>10} {:>9} {:>10} {:>9}\n", printable(h.id), percent(h.expected_loss),
                       percent(h.expected_loss_stderr), percent(h.var_99), percent(h.var_99_stderr), percent(h.es_99),
                       percent(h.es_99_stderr));
  }
  out += fmt::format("{:<24} {:>10} {:>9} {:>10} {:>9} {:>10}\n", "all counterparties", percent(c.expected_loss), "",
                     percent(c.var), "", percent(c.es));
  return out;
}

/// The shift, how it was chosen, and each tranche's variance reduction against plain Monte Carlo.
std::string shift_line(const pricing::Results& results) {
  const auto& sampling = *results.importance_sampling;
  std::string how = "given";
  if (sampling.method == "glasserman-li")
    how = fmt::format("Glasserman-Li mode for {}", printable(sampling.target));
  else if (sampling.method == "cross-entropy")
    how = fmt::format("cross-entropy pilot of {} paths for {}", sampling.pilot_paths, printable(sampling.target));
  return fmt::format("Importance shift     {:.4f} ({})\n", fmt::join(results.importance_shift, ", "), how);
}

std::string variance_reduction_table(const pricing::Results& results) {
  std::string out = "\nVariance reduction of each tranche's expected loss against plain Monte Carlo at equal paths\n";
  for (std::size_t t = 0; t < results.tranches.size(); ++t) {
    const double factor = results.importance_sampling->variance_reduction[t];
    out += fmt::format("{:<24} {:>10}\n", printable(results.tranches[t].name),
                       std::isfinite(factor) ? fmt::format("{:.2f}x", factor) : "-");
  }
  return out;
}

/// Each tranche's plain and controlled expected loss, and what the controls gained.
std::string control_variates_table(const pricing::Results& results) {
  const auto& c = *results.control_variates;
  std::string out = fmt::format("\nControl variates   exact portfolio loss mean {} (quadrature error {:.1e})\n",
                                percent(c.portfolio_loss_mean), c.achieved_error);
  out += fmt::format("{:<24} {:>11} {:>9} {:>11} {:>9} {:>10}  {}\n", "tranche", "plain EL", "s.e.", "controlled",
                     "s.e.", "var. red.", "controls");
  for (const auto& t : results.tranches) {
    const auto& v = *t.control_variate;
    std::string controls;
    for (const auto& name : v.controls) controls += (controls.empty() ? "" : ", ") + printable(name);
    out += fmt::format("{:<24} {:>11} {:>9} {:>11} {:>9} {:>10.2f}  {}\n", printable(t.name), percent(v.uncontrolled),
                       error_percent(v.uncontrolled_stderr), percent(t.expected_loss),
                       error_percent(t.expected_loss_stderr), v.variance_reduction, controls.empty() ? "-" : controls);
  }
  return out;
}

}  // namespace

std::string price_table(const pricing::Results& results) {
  const auto& p = results.portfolio;
  std::string out =
      results.semi_analytic
          ? fmt::format("{}: semi-analytic, tolerance {:.1e}, error estimate {:.1e}, {} nodes, {:.3f} s\n\n",
                        printable(results.deal), results.semi_analytic->tolerance,
                        results.semi_analytic->achieved_error, results.semi_analytic->nodes, results.elapsed_seconds)
          : fmt::format("{}: {} paths, seed {}, {} threads, {:.2f} s\n\n", printable(results.deal), results.paths,
                        results.seed, results.threads, results.elapsed_seconds);
  if (results.importance_sampling) out += shift_line(results);
  if (!results.importance_shift.empty())
    out += fmt::format(
        "Importance weights   effective sample size {:.1f} of {} paths, mean weight {:.4f} (s.e. {:.4f})\n\n",
        results.effective_sample_size, results.paths, results.mean_weight, results.mean_weight_stderr);
  out += fmt::format("Portfolio loss   mean {} (s.e. {})\n", percent(p.expected_loss),
                     error_percent(p.expected_loss_stderr));
  out += fmt::format("                 VaR 99% {}   ES 99% {}   VaR 99.9% {}   ES 99.9% {}\n", percent(p.loss_var_99),
                     percent(p.loss_es_99), percent(p.loss_var_999), percent(p.loss_es_999));
  out +=
      fmt::format("Defaults         mean {:.3f} (s.e. {}) counterparties\n", p.expected_defaults,
                  std::isfinite(p.expected_defaults_stderr) ? fmt::format("{:.3f}", p.expected_defaults_stderr) : "-");
  if (results.waterfall)
    out += waterfall_table(results);
  else if (!results.tranches.empty())
    out += loss_tranche_table(results);
  if (results.importance_sampling) out += variance_reduction_table(results);
  if (results.control_variates) out += control_variates_table(results);
  if (results.contributions) out += contributions_table(*results.contributions);
  return out;
}

}  // namespace computedebt::cli
