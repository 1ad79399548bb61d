#include <computedebt/calibration/warnings.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

namespace computedebt::calibration {

namespace {

std::string millions(double amount) { return fmt::format("{:.2f}m", amount / 1e6); }

/// Capital raised against what it buys: the fleet held at `t0` at purchase price, the facilities commissioned by then
/// at build cost and the initial reserve; deliveries are funded when they come.
void check_capital(const deal::Deal& deal, const deal::Waterfall& waterfall, std::vector<Problem>& found) {
  double fleet_cost = 0.0;
  for (const auto& cohort : deal::effective_fleet(deal)) {
    if (cohort.acquired > deal.valuation_date) continue;
    const auto type = std::find_if(deal.gpu_types.begin(), deal.gpu_types.end(),
                                   [&](const deal::GpuType& g) { return g.id == cohort.gpu_type; });
    if (type != deal.gpu_types.end()) fleet_cost += static_cast<double>(cohort.count) * type->purchase_price;
  }
  for (const auto& facility : deal.facilities)
    if (facility.commissioned <= deal.valuation_date) fleet_cost += facility.megawatts * facility.build_cost_per_mw;
  double reserve = waterfall.reserve_account ? waterfall.reserve_account->initial_balance : 0.0;
  for (const auto& account : waterfall.accounts) reserve += account.initial_balance;
  double capital = waterfall.equity.investment;
  for (const auto& tranche : waterfall.tranches) capital += tranche.notional;
  const double uses = fleet_cost + reserve;
  if (std::abs(capital - uses) <= 0.01 * uses) return;
  found.push_back({"deal.structure",
                   fmt::format("tranches and equity raise {}, but the fleet and facilities cost {} (count x "
                               "purchase_price over the cohorts, megawatts x build_cost_per_mw) and the accounts' "
                               "initial balances are {}: they differ by more than 1%",
                               millions(capital), millions(fleet_cost), millions(reserve))});
}

/// The JSON path of covenant `c` of the plan: the trigger shorthands come first.
std::string covenant_path(const deal::Waterfall& waterfall, std::size_t c) {
  const std::size_t triggers =
      (waterfall.triggers.dscr_cash_sweep ? 1 : 0) + (waterfall.triggers.ltv_cash_sweep ? 1 : 0);
  if (c < triggers)
    return c == 0 && waterfall.triggers.dscr_cash_sweep ? "deal.structure.triggers.dscr_cash_sweep"
                                                        : "deal.structure.triggers.ltv_cash_sweep";
  // The borrowing base's test comes right after the triggers (docs/methodology.md section 5.7).
  const std::size_t base = waterfall.borrowing_base ? 1 : 0;
  if (c < triggers + base) return "deal.structure.borrowing_base";
  return fmt::format("deal.structure.covenants[{}].level", c - triggers - base);
}

/// LTV at `t0`: every notional over the collateral's market value, against each LTV covenant's first level.
void check_ltv(const Plan& plan, const deal::Waterfall& waterfall, std::vector<Problem>& found) {
  const double value = plan.initial_collateral_value();
  const double debt = std::accumulate(plan.waterfall.notional.begin(), plan.waterfall.notional.end(), 0.0);
  const double ltv = value > 0.0 ? debt / value : std::numeric_limits<double>::infinity();
  for (std::size_t c = 0; c < plan.waterfall.covenants.size(); ++c) {
    const auto& covenant = plan.waterfall.covenants[c];
    if (covenant.metric != MetricKind::ltv || plan.waterfall.dates == 0 || !covenant.breached(ltv, 1)) continue;
    found.push_back({covenant_path(waterfall, c),
                     fmt::format("the initial LTV is already {:.3f} (notionals {} over the fleet's market value {} at "
                                 "the valuation date), above the level {} of covenant \"{}\": it is breached from "
                                 "the first date",
                                 ltv, millions(debt), millions(value), covenant.level[1], covenant.name)});
  }
}

/// The borrowing base at `t0` against the facility's notionals: a deficiency from the start.
/// Delivery delays on a deal without deliveries.
void check_delivery_delay(const io::DealFile& file, const Plan& plan, std::vector<Problem>& found) {
  if (!file.assumptions.delivery_delay || !plan.collateral.deliveries.empty()) return;
  found.push_back({"assumptions.delivery_delay",
                   "changes nothing: the deal has no deliveries (fleet cohorts acquired after valuation_date in a "
                   "waterfall deal)"});
}

void check_borrowing_base(const Plan& plan, std::vector<Problem>& found) {
  const auto& base = plan.waterfall.borrowing_base;
  if (!base || base->initial_base >= base->initial_balance) return;
  found.push_back({"deal.structure.borrowing_base",
                   fmt::format("the borrowing base at the valuation date is {}, below the facility's notionals {}: "
                               "it is deficient from the first test",
                               millions(base->initial_base), millions(base->initial_balance))});
}

/// DSCR on the first payment date, on the scheduled balances, in the base case: no default, the GPUs not under
/// contract on the spot market when re-leasing is on, at the initial market multiplier, and the facilities' vacant
/// load re-leased at the capacity market's expected price, less their fixed costs; against each DSCR
/// covenant's first level, with or without a bullet or balloon falling due then as the covenant counts it.
void check_dscr(const Plan& plan, const deal::Waterfall& waterfall, std::vector<Problem>& found) {
  if (plan.waterfall.dates == 0) return;
  const auto& collateral = plan.collateral;
  const int first_date = plan.waterfall.date_month[1];
  double revenue = 0.0, costs = 0.0;
  for (int k = 1; k <= first_date; ++k) {
    const auto month = static_cast<std::size_t>(k);
    const double rebill = add_forward_power(plan.power, collateral, month, costs);
    revenue += collateral.base_payments[month] + rebill;
    if (plan.facilities.any()) revenue += plan.facilities.base_case_income(month, true);
    for (std::size_t g = 0; g < collateral.types; ++g) {
      const double price = plan.power.forward_factor(plan.power.type_zone[g], month);
      const std::size_t at = g * collateral.columns + month;
      const double owned = collateral.owned[at];
      const double spot = collateral.re_lease ? std::max(0.0, owned - collateral.base_occupancy[at]) : 0.0;
      revenue += spot * collateral.spot_revenue_per_gpu[at] * plan.gpu.initial_multiplier[g];
      costs += spot * (collateral.spot_power_per_gpu[at] * price) + owned * collateral.fixed_opex_per_gpu_month;
    }
  }
  const auto& w = plan.waterfall;
  const std::size_t columns = w.dates + 1;
  // The senior fees and the commitment fees on what the facilities left undrawn at t0.
  double fees = w.fees[1];
  for (std::size_t t = 0; t < w.tranches; ++t)
    if (w.commitment[t] > 0.0 && w.availability_date[t] >= 1)
      fees += w.commitment_fee[t] * std::max(0.0, w.commitment[t] - w.notional[t]) * w.accrual[1];
  for (std::size_t c = 0; c < w.covenants.size(); ++c) {
    const auto& covenant = w.covenants[c];
    if (covenant.metric != MetricKind::dscr) continue;
    double service = 0.0;
    for (std::size_t t = 0; t < w.tranches; ++t) {
      const double balloon =
          covenant.include_balloon || w.balloon_date[t] > 1 ? 0.0 : w.notional[t] - w.target[t * columns + 1];
      // The promised flow is net of a draw on the date.
      service += w.promised_flow[t * columns + 1] + w.draw_at[t * columns + 1] - balloon;
    }
    if (service <= 0.0) continue;
    const double dscr = (revenue - costs - fees) / service;
    if (!covenant.breached(dscr, 1)) continue;
    found.push_back({covenant_path(waterfall, c),
                     fmt::format("the first payment date's DSCR in the base case is {:.3f} (revenue {} less "
                                 "costs {} and fees {}, over {} of interest and scheduled principal), below the level "
                                 "{} of covenant \"{}\": it is breached from the first date",
                                 dscr, millions(revenue), millions(costs), millions(fees), millions(service),
                                 covenant.level[1], covenant.name)});
  }
}

/// Contracts that end implausibly late: more than `contract_years_after_valuation` years after the valuation date
/// or, in a waterfall, more than `contract_years_after_maturity` years after the last tranche's legal maturity. A
/// 9999-12-31 typed for "open-ended" is accepted by the format, but its payments count in the exposure and dilute
/// the portfolio's expected loss (docs/deal_format.md section 14).
void check_contract_ends(const deal::Deal& deal, const deal::Waterfall* waterfall, std::vector<Problem>& found) {
  const Date late = add_months(deal.valuation_date, 12 * contract_years_after_valuation);
  std::optional<Date> last_maturity;
  if (waterfall)
    for (const auto& tranche : waterfall->tranches)
      if (!last_maturity || tranche.legal_maturity > *last_maturity) last_maturity = tranche.legal_maturity;
  for (std::size_t c = 0; c < deal.contracts.size(); ++c) {
    const Date end = deal.contracts[c].end_date;
    const auto years = [](Date from, Date to) { return static_cast<double>(days_between(from, to)) / 365.0; };
    std::string reason;
    if (end > late)
      reason = fmt::format("{:.1f} years after the valuation date {}, more than {}", years(deal.valuation_date, end),
                           format_date(deal.valuation_date), contract_years_after_valuation);
    else if (last_maturity && end > add_months(*last_maturity, 12 * contract_years_after_maturity))
      reason = fmt::format("{:.1f} years after the last tranche's legal maturity {}, more than {}",
                           years(*last_maturity, end), format_date(*last_maturity), contract_years_after_maturity);
    if (reason.empty()) continue;
    found.push_back({fmt::format("deal.contracts[{}].end_date", c),
                     fmt::format("contract \"{}\" ends on {}, {} years: a placeholder or a typo? Its payments count "
                                 "in the exposure to that date and dilute the portfolio's expected loss",
                                 deal.contracts[c].id, format_date(end), reason)});
  }
}

}  // namespace

std::vector<Problem> warnings(const io::DealFile& file, const Plan& plan) {
  std::vector<Problem> found;
  const auto* waterfall = std::get_if<deal::Waterfall>(&file.deal.structure);
  check_contract_ends(file.deal, waterfall, found);
  check_delivery_delay(file, plan, found);
  if (!waterfall) return found;
  check_capital(file.deal, *waterfall, found);
  check_ltv(plan, *waterfall, found);
  check_dscr(plan, *waterfall, found);
  check_borrowing_base(plan, found);
  return found;
}

}  // namespace computedebt::calibration
