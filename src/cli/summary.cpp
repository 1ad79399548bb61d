#include "summary.hpp"

#include <computedebt/calibration/contract_schedule.hpp>

#include <fmt/format.h>

#include <array>
#include <map>

#include "printable.hpp"

namespace computedebt::cli {

namespace {

std::string millions(double amount) { return fmt::format("{:.1f}m", amount / 1e6); }

void append_counterparties(std::string& out, const deal::Deal& deal) {
  std::map<std::string, std::map<std::string, int>> by_sector;
  for (const auto& c : deal.counterparties)
    ++by_sector[c.sector.empty() ? std::string("(no sector)") : c.sector]
               [c.rating ? std::string(deal::to_string(*c.rating)) : std::string("unrated")];
  out += fmt::format("\nCounterparties: {}\n", deal.counterparties.size());
  for (const auto& [sector, ratings] : by_sector) {
    int total = 0;
    std::string detail;
    // Best rating first: walk the scale in order, then the unrated.
    for (int r = 0; r <= deal::rating_count; ++r) {
      const std::string key =
          r < deal::rating_count ? std::string(deal::to_string(static_cast<deal::Rating>(r))) : std::string("unrated");
      if (auto found = ratings.find(key); found != ratings.end()) {
        detail += fmt::format("{}{} x{}", detail.empty() ? "" : ", ", key, found->second);
        total += found->second;
      }
    }
    out += fmt::format("  {:<16} {:>4}   {}\n", printable(sector), total, detail);
  }
}

void append_revenue(std::string& out, const deal::Deal& deal) {
  std::map<int, double> by_year;
  const int first_year = static_cast<int>(deal.valuation_date.year());
  for (const auto& contract : deal.contracts) {
    if (!contract.lease && !contract.capacity) continue;
    for (int year = first_year; year <= static_cast<int>(contract.end_date.year()); ++year) {
      const Date from =
          std::max(deal.valuation_date, Date{std::chrono::year{year}, std::chrono::January, std::chrono::day{1}});
      const Date to = Date{std::chrono::year{year + 1}, std::chrono::January, std::chrono::day{1}};
      const double amount = calibration::promised_payments(contract, from, to);
      if (amount > 0.0) by_year[year] += amount;
    }
  }
  if (by_year.empty()) return;
  double total = 0.0;
  out += fmt::format("\nContracted revenue by year, from {} ({})\n", format_date(deal.valuation_date), deal.currency);
  for (const auto& [year, amount] : by_year) {
    out += fmt::format("  {}  {:>12}\n", year, millions(amount));
    total += amount;
  }
  out += fmt::format("  total {:>12}\n", millions(total));
}

void append_gpus(std::string& out, const deal::Deal& deal) {
  if (deal.gpu_types.empty()) return;
  const auto fleet = deal::effective_fleet(deal);
  out += fmt::format("\nGPUs{}\n", deal.fleet ? "" : " (no fleet given: sized to the peak under contract)");
  out += fmt::format("  {:<10} {:>10} {:>12} {:>12}  {}\n", "type", "fleet", "cost", "peak leased", "on");
  for (const auto& type : deal.gpu_types) {
    std::int64_t owned = 0;
    for (const auto& cohort : fleet)
      if (cohort.gpu_type == type.id) owned += cohort.count;
    const auto peak = deal::peak_gpus_under_contract(deal, type.id);
    out += fmt::format("  {:<10} {:>10} {:>12} {:>12}  {}\n", printable(type.id), owned,
                       millions(static_cast<double>(owned) * type.purchase_price), peak.gpus, format_date(peak.date));
  }
}

/// The megawatts of the capacity leases running on or after the valuation date, by who pays the power, and the
/// facilities.
void append_capacity(std::string& out, const deal::Deal& deal) {
  constexpr std::string_view rules[] = {"passed through", "included", "cost plus"};
  double megawatts[3] = {0.0, 0.0, 0.0};
  int leases = 0;
  for (const auto& contract : deal.contracts) {
    if (!contract.capacity || contract.end_date <= deal.valuation_date) continue;
    megawatts[static_cast<int>(contract.capacity->power)] += contract.capacity->megawatts;
    ++leases;
  }
  if (leases > 0) {
    out += fmt::format("\nCapacity leases running on or after {} (MW of IT load, by who pays the power)\n",
                       format_date(deal.valuation_date));
    for (int rule = 0; rule < 3; ++rule)
      if (megawatts[rule] > 0.0) out += fmt::format("  {:<16} {:>10.1f}\n", rules[rule], megawatts[rule]);
  }
  if (deal.facilities.empty()) return;
  out += fmt::format("\nFacilities\n  {:<16} {:>8} {:>12}  {:<12} {}\n", "facility", "MW", "build cost", "commissioned",
                     "value");
  for (const auto& facility : deal.facilities) {
    const auto* cost = std::get_if<deal::DepreciatedCost>(&facility.value);
    out +=
        fmt::format("  {:<16} {:>8.1f} {:>12}  {:<12} {}\n", printable(facility.id), facility.megawatts,
                    millions(facility.megawatts * facility.build_cost_per_mw), format_date(facility.commissioned),
                    cost ? fmt::format("depreciated over {} years", cost->useful_life_years)
                         : fmt::format("cap rate {:.2f}%", 100.0 * std::get<deal::CapRate>(facility.value).cap_rate));
  }
}

/// The sites: the price each buys at, its generation, and what draws power there.
void append_sites(std::string& out, const io::DealFile& file) {
  const auto& deal = file.deal;
  if (deal.sites.empty()) return;
  out += fmt::format("\nSites\n  {:<16} {:>12}  {:<36} {}\n", "site", "power /MWh", "behind the meter", "draws power");
  for (const auto& site : deal.sites) {
    const auto own = file.assumptions.site_power_markets.find(site.id);
    const std::string price =
        own != file.assumptions.site_power_markets.end() ? fmt::format("{:.2f}", own->second.price_per_mwh) : "hub";
    std::string generation = "none";
    if (const auto& plant = site.behind_the_meter)
      generation = fmt::format("{:.1f} MW, {:.2f} MMBtu/MWh, {}", plant->megawatts, plant->heat_rate_mmbtu_per_mwh,
                               plant->dispatch == deal::Dispatch::economic ? "economic" : "must run");
    std::string users;
    const auto add = [&](const std::string& what) { users += (users.empty() ? "" : ", ") + what; };
    for (const auto& facility : deal.facilities)
      if (facility.site == site.id) add(printable(facility.id));
    for (const auto& type : deal.gpu_types)
      if (type.site == site.id) add(printable(type.id) + " GPUs");
    for (const auto& ppa : deal.power_purchases)
      if (ppa.site == site.id) add("PPA " + printable(ppa.id));
    out += fmt::format("  {:<16} {:>12}  {:<36} {}\n", printable(site.id), price, generation,
                       users.empty() ? "nothing" : users);
  }
}

std::string describe(const deal::Amortization& amortization) {
  if (std::holds_alternative<deal::Bullet>(amortization)) return "bullet";
  if (const auto* level = std::get_if<deal::Level>(&amortization))
    return fmt::format("level over {} months", level->term_months);
  return fmt::format("schedule of {} dates", std::get<deal::Schedule>(amortization).balances.size());
}

/// A covenant's or margin grid's metric, in words.
std::string_view describe_metric(calibration::MetricKind metric) {
  switch (metric) {
    case calibration::MetricKind::dscr:
      return "DSCR";
    case calibration::MetricKind::ltv:
      return "LTV";
    case calibration::MetricKind::contracted_coverage:
      return "contracted coverage";
    case calibration::MetricKind::investment_grade_share:
      return "investment-grade share";
    case calibration::MetricKind::liquidity:
      return "liquidity";
    case calibration::MetricKind::rating_factor:
      return "rating factor";
    case calibration::MetricKind::borrowing_base:
      return "borrowing-base headroom";
  }
  return "";
}

/// A fixed coupon as a percentage, a floating one as its index, margin, floor and cap.
std::string describe_coupon(const deal::DebtTranche& t) {
  if (!t.floating) return fmt::format("{:>6.3f}%", 100.0 * t.coupon);
  std::string text = fmt::format("{} {:+.0f} bp", printable(t.floating->index), t.floating->margin_bp);
  if (t.floating->floor) text += fmt::format(", floor {:.2f}%", 100.0 * *t.floating->floor);
  if (t.floating->cap) text += fmt::format(", cap {:.2f}%", 100.0 * *t.floating->cap);
  return text;
}

/// A margin grid's levels, best first, then the tranche's own margin and the first period's.
std::string describe_grid(const calibration::PlannedMarginGrid& grid) {
  std::string text(describe_metric(grid.metric));
  for (std::size_t i = 0; i < grid.threshold.size(); ++i)
    text += fmt::format("{} {} {:.4g}: {:+.0f} bp", i == 0 ? "" : ",",
                        grid.higher_is_worse ? "<=" : ">=", grid.threshold[i], 1e4 * grid.margin[i]);
  return text + fmt::format(", else {:+.0f} bp; {:+.0f} bp at t0", 1e4 * grid.otherwise, 1e4 * grid.initial);
}

void append_structure(std::string& out, const deal::Deal& deal) {
  if (const auto* loss = std::get_if<deal::LossTranches>(&deal.structure)) {
    out += fmt::format("\nLoss tranches at {} years\n", loss->horizon_years);
    for (const auto& t : loss->tranches)
      out += fmt::format("  {:<24} {:>6.2f}% - {:>6.2f}%\n", printable(t.name), 100.0 * t.attachment,
                         100.0 * t.detachment);
    return;
  }
  const auto& waterfall = std::get<deal::Waterfall>(deal.structure);
  double capital = waterfall.equity.investment;
  for (const auto& t : waterfall.tranches) capital += t.notional;
  out += fmt::format("\nWaterfall, payments every {} months, capital {}\n", waterfall.payment_frequency_months,
                     millions(capital));
  for (const auto& t : waterfall.tranches)
    out += fmt::format("  {:<16} {:>10} {:>6.1f}%  coupon {}  {:<22} legal maturity {}\n", printable(t.name),
                       millions(t.notional), 100.0 * t.notional / capital, describe_coupon(t), describe(t.amortization),
                       format_date(t.legal_maturity));
  out += fmt::format("  {:<16} {:>10} {:>6.1f}%\n", "Equity", millions(waterfall.equity.investment),
                     100.0 * waterfall.equity.investment / capital);
  for (const auto& t : waterfall.tranches)
    if (const auto& d = t.delayed_draw)
      out += fmt::format(
          "  {} delayed draw: {} committed until {}, {:.0f} bp on the undrawn, {} draw(s); a refused "
          "draw {}\n",
          printable(t.name), millions(d->commitment), format_date(d->availability_end), d->commitment_fee_bp,
          d->draws.size(),
          d->refused_draw == deal::RefusedDraw::sponsor_funds ? "is funded by the sponsor" : "cancels its delivery");
  for (const auto& t : waterfall.tranches)
    if (t.anticipated_repayment)
      out += fmt::format("  {} anticipated repayment {}, then a {:.0f} bp step-up and all excess cash to principal\n",
                         printable(t.name), format_date(t.anticipated_repayment->date),
                         t.anticipated_repayment->coupon_step_up_bp);
}

/// The term sheet as planned: accounts, the priority of payments and covenants, the trigger shorthands included.
void append_term_sheet(std::string& out, const calibration::WaterfallPlan& plan) {
  // Sized by the enumeration, so that a new kind without a name does not compile.
  static constexpr std::array<const char*, calibration::step_kinds> steps{"senior expenses",
                                                                          "interest",
                                                                          "reserve",
                                                                          "principal",
                                                                          "cash sweep",
                                                                          "cash trap",
                                                                          "step-up interest",
                                                                          "equity",
                                                                          "interest and balance by seniority",
                                                                          "hedge payments",
                                                                          "hedge terminations"};
  for (const auto& account : plan.accounts)
    out += fmt::format("  account {:<20} {}, initial balance {}\n", printable(account.name),
                       account.trap ? "trap" : "reserve", millions(account.initial_balance));
  std::string order;
  for (const auto& step : plan.priority) {
    std::string name = steps[static_cast<std::size_t>(step.kind)];
    if (step.kind == calibration::StepKind::reserve || step.kind == calibration::StepKind::cash_trap)
      name += " (" + plan.accounts[step.account].name + ")";
    order += (order.empty() ? "" : ", ") + name;
  }
  out += fmt::format("  priority of payments: {}\n", printable(order));
  for (const auto& grid : plan.margin_grids)
    out += fmt::format("  margin grid {:<17} {}\n", printable(plan.names[grid.tranche]), describe_grid(grid));
  for (const auto& hedge : plan.hedges)
    out += fmt::format("  hedge {:<22} {} {:.3f}% over the first {} payment dates\n", printable(hedge.name),
                       hedge.kind == deal::HedgeKind::swap ? "swap paying fixed" : "cap struck", 100.0 * hedge.rate,
                       hedge.end);
  static constexpr const char* consequences[] = {"cash sweep",     "cash trap",        "distributions blocked",
                                                 "margin step-up", "event of default", "mandatory prepayment"};
  if (const auto& base = plan.borrowing_base) {
    std::string facility;
    for (std::size_t t = 0; t < plan.tranches; ++t)
      if (base->facility[t]) facility += (facility.empty() ? "" : ", ") + plan.names[t];
    const auto& v = base->initial;
    const auto& rates = base->advance_rates;
    out += fmt::format("  borrowing base of {}: {} at t0 against a balance of {}, headroom {}\n", printable(facility),
                       millions(base->initial_base), millions(base->initial_balance),
                       millions(base->initial_base - base->initial_balance));
    out += fmt::format(
        "    eligible: investment grade {} at {:.0f}%, sub-investment grade {} at {:.0f}%, guaranteed {} "
        "at {:.0f}%, GPUs {} at {:.0f}%, facilities {} at {:.0f}%; {} excluded by the concentration limits\n",
        millions(v.investment_grade), 100.0 * rates.investment_grade, millions(v.sub_investment_grade),
        100.0 * rates.sub_investment_grade, millions(v.guaranteed), 100.0 * rates.guaranteed, millions(v.gpu),
        100.0 * rates.gpu, millions(v.facilities), 100.0 * rates.facilities, millions(v.excluded));
  }
  for (const auto& covenant : plan.covenants)
    if (covenant.metric == calibration::MetricKind::borrowing_base)
      out += fmt::format(
          "  covenant {:<20} the facility above its borrowing base -> mandatory prepayment, then an "
          "event of default after {} months\n",
          printable(covenant.name), covenant.cure_period_months);
    else
      out += fmt::format("  covenant {:<20} {} {} {:.4g} -> {}\n", printable(covenant.name),
                         describe_metric(covenant.metric), covenant.breached_above ? ">" : "<", covenant.level[1],
                         consequences[static_cast<std::size_t>(covenant.consequence)]);
}

}  // namespace

std::string deal_summary(const io::DealFile& file, const calibration::Plan& plan) {
  const auto& deal = file.deal;
  std::string out = fmt::format("{}: valid\n  valuation date {}, {} months to {}, {} contracts, currency {}\n",
                                printable(deal.name), format_date(deal.valuation_date), plan.grid.months(),
                                format_date(plan.grid.dates.back()), deal.contracts.size(), printable(deal.currency));
  append_counterparties(out, deal);
  append_revenue(out, deal);
  append_gpus(out, deal);
  append_capacity(out, deal);
  append_sites(out, file);
  append_structure(out, deal);
  if (plan.is_waterfall()) append_term_sheet(out, plan.waterfall);
  return out;
}

}  // namespace computedebt::cli
