#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/core/date.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/structuring/sculpt.hpp>
#include <computedebt/waterfall/hedge_value.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "tranche_index.hpp"

namespace computedebt::structuring {

namespace {

/// The base case's contracted cash available for debt service on each date: the contracts' promised payments less
/// their power at the forward price (PPAs settled against it) and the fleet's and facilities' fixed operating costs
/// over the period, less the date's senior fees and commitment fees, plus the hedges' net payments at the projected
/// fixings (a DSCR covenant counts them as income).
std::vector<double> base_case_income(const calibration::Plan& plan) {
  const auto& w = plan.waterfall;
  const auto& collateral = plan.collateral;
  std::vector<double> income(w.dates + 1, 0.0);
  for (std::size_t m = 1; m <= w.dates; ++m) {
    for (int k = w.date_month[m - 1] + 1; k <= w.date_month[m]; ++k) {
      const auto month = static_cast<std::size_t>(k);
      // The GPUs owned that month, every delivery made.
      double opex = 0.0;
      for (std::size_t g = 0; g < collateral.types; ++g)
        opex += collateral.owned[g * collateral.columns + month] * collateral.fixed_opex_per_gpu_month;
      // Power at the forward price, and the PPAs settled against it.
      double power = 0.0;
      const double rebill = calibration::add_forward_power(plan.power, collateral, month, power);
      income[m] += collateral.base_payments[month] + rebill - power - opex;
      // The facilities' fixed costs; their re-leasing income is market income, not contracted.
      if (plan.facilities.any()) income[m] += plan.facilities.base_case_income(month, false);
    }
    income[m] -= w.fees[m];
    // Commitment fees on the undrawn commitments, every planned draw made, as a DSCR covenant counts them.
    for (std::size_t t = 0; t < w.tranches; ++t) {
      if (w.commitment[t] <= 0.0 || m > w.availability_date[t]) continue;
      double drawn = 0.0;
      for (std::size_t n = 1; n < m; ++n) drawn += w.at(w.draw_at, t, n);
      income[m] -= w.commitment_fee[t] * std::max(0.0, w.commitment[t] - w.notional[t] - drawn) * w.accrual[m];
    }
    for (const auto& hedge : w.hedges)
      if (m <= hedge.end) income[m] += waterfall::hedge_flow(hedge, w, m, plan.rates.indices[hedge.index].projected[m]);
  }
  return income;
}

/// The scheduled debt service of the tranches before `sculpted` on each date, as a DSCR covenant counts it: interest
/// on their scheduled balances at their projected coupons, and scheduled principal before their final bullet or
/// balloon; a delayed-draw tranche's draws as planned. The sculpted tranche's own draws count too: the sculpt shapes
/// its closing notional around them (docs/methodology.md section 10.5).
std::vector<double> other_debt_service(const calibration::WaterfallPlan& w, std::size_t sculpted) {
  std::vector<double> service(w.dates + 1, 0.0);
  for (std::size_t t = 0; t < sculpted; ++t) {
    for (std::size_t m = 1; m <= w.dates; ++m) {
      // What a date repays net of what it lends; `promised_flow` is net of the draws.
      const double drawn = w.at(w.draw_at, t, m);
      const double principal = w.at(w.target, t, m - 1) - w.at(w.target, t, m) + drawn;
      service[m] += w.at(w.promised_flow, t, m) + drawn - (m < w.balloon_date[t] ? 0.0 : principal);
    }
  }
  const std::size_t columns = w.dates + 1;
  for (std::size_t d = 0; d < w.draws.size(); ++d) {
    const auto& draw = w.draws[d];
    if (draw.tranche != sculpted) continue;
    const double* balance = w.draw_target.data() + d * columns;
    // Interest and principal from the date after the draw to the legal maturity, a balloon aside as a DSCR
    // covenant leaves it.
    for (std::size_t m = draw.date + 1; m <= std::min(w.maturity_date[sculpted], w.dates); ++m)
      service[m] += balance[m - 1] * w.at(w.coupon, sculpted, m) * w.accrual[m] +
                    (m < w.balloon_date[sculpted] ? balance[m - 1] - balance[m] : 0.0);
  }
  return service;
}

/// One sculpt of tranche `t` on `file`'s base case, its hedges at their notionals in `file`.
SculptResult sculpt_once(const io::DealFile& file, std::size_t t, const std::string& tranche, double target_dscr) {
  const auto plan = calibration::calibrate(file);
  const auto& w = plan.waterfall;
  const std::size_t last = std::min(w.maturity_date[t], w.dates);
  const auto income = base_case_income(plan);
  const auto others = other_debt_service(w, t);

  // The target debt service, and the balance it leaves from a notional N: B_m = a_m N - b_m.
  std::vector<double> target(last + 1, 0.0), rate(last + 1, 0.0), a(last + 1, 1.0), b(last + 1, 0.0);
  for (std::size_t m = 1; m <= last; ++m) {
    target[m] = std::max(0.0, income[m] / target_dscr - others[m]);
    rate[m] = w.at(w.coupon, t, m) * w.accrual[m];
    a[m] = a[m - 1] * (1.0 + rate[m]);
    b[m] = b[m - 1] * (1.0 + rate[m]) + target[m];
  }
  SculptResult result;
  result.tranche = tranche;
  result.target_dscr = target_dscr;
  // Repaid exactly at maturity, unless on some date the target debt service cannot even pay the interest on the
  // balance left: principal never runs negative, so that date bounds the notional instead.
  double notional = last > 0 ? b[last] / a[last] : 0.0;
  result.binding = "maturity";
  std::size_t binding = 0;
  for (std::size_t m = 1; m <= last; ++m)
    if (rate[m] > 0.0) {
      const double bound = (target[m] / rate[m] + b[m - 1]) / a[m - 1];
      if (bound < notional) {
        notional = bound;
        binding = m;
        result.binding = "interest";
      }
    }
  const auto& structure = std::get<deal::Waterfall>(file.deal.structure);
  const double capital = structure.tranches[t].notional + structure.equity.investment;
  // The equity keeps 0.1% of the tranche's notional, as in `size`, so that its investment stays positive.
  const double most = capital - 0.001 * structure.tranches[t].notional;
  if (notional > most) {
    notional = most;
    binding = 0;
    result.binding = "capital";
  }
  // A delayed-draw tranche keeps room in its commitment for its draws.
  if (const double room = detail::notional_room(file, t); notional > room) {
    notional = room;
    binding = 0;
    result.binding = "commitment";
  }
  if (!(notional > 0.0))
    throw InputError({Problem{"dscr", fmt::format("the base case's cash over a DSCR of {} leaves nothing to service "
                                                  "\"{}\" after the tranches before it",
                                                  target_dscr, tranche)}});
  const auto date = [&](std::size_t m) {
    return format_date(plan.grid.dates[static_cast<std::size_t>(w.date_month[m])]);
  };
  if (binding > 0) result.binding_date = date(binding);

  double balance = notional, fraction = 1.0;
  for (std::size_t m = 1; m <= last; ++m) {
    const double interest = balance * rate[m];
    const double principal =
        m == last ? balance : std::min(balance, std::max(0.0, target[m] - interest));  // maturity clears rounding
    balance -= principal;
    fraction = std::clamp(std::min(fraction, balance / notional), 0.0, 1.0);
    result.dates.push_back(date(m));
    result.income.push_back(income[m]);
    result.senior_debt_service.push_back(others[m]);
    result.interest.push_back(interest);
    result.principal.push_back(principal);
    result.balance.push_back(balance);
    const double service = others[m] + interest + principal;
    result.dscr.push_back(service > 0.0 ? income[m] / service : std::numeric_limits<double>::infinity());
    if (m < last) result.schedule.push_back(fraction);
  }
  // Zeros after the last are implied; a schedule keeps at least one entry.
  while (result.schedule.size() > 1 && result.schedule.back() == 0.0 && result.schedule.end()[-2] == 0.0)
    result.schedule.pop_back();
  if (result.schedule.empty()) result.schedule.push_back(0.0);

  result.notional = notional;
  result.equity_investment = capital - notional;
  result.deal = file;
  auto& sculpted = std::get<deal::Waterfall>(result.deal.deal.structure);
  auto& sculpted_tranche = sculpted.tranches[t];
  sculpted_tranche.notional = notional;
  // The draws keep the amortisation they had; the schedule is the closing notional's.
  if (sculpted_tranche.delayed_draw && !sculpted_tranche.delayed_draw->draw_amortization)
    sculpted_tranche.delayed_draw->draw_amortization = sculpted_tranche.amortization;
  sculpted_tranche.amortization = deal::Schedule{result.schedule};
  sculpted.equity.investment = result.equity_investment;
  return result;
}

}  // namespace

SculptResult sculpt_tranche(const io::DealFile& file, const std::string& tranche, double target_dscr) {
  const std::size_t t = detail::tranche_index(file, tranche);
  if (!(target_dscr > 0.0 && target_dscr <= 100.0))
    throw InputError({Problem{"dscr", fmt::format("expected a target DSCR in (0, 100], got {}", target_dscr)}});
  auto result = sculpt_once(file, t, tranche, target_dscr);
  // A hedge whose notional follows the tranche's schedule, or a commitment fee on what its notional leaves undrawn,
  // moves the income with it: sculpt again on the sculpted deal until the schedule settles. Each pass shrinks the
  // change by the hedge's or the fee's small share of income (docs/methodology.md section 10.5).
  const auto& structure = std::get<deal::Waterfall>(file.deal.structure);
  const bool hedged = std::any_of(structure.hedges.begin(), structure.hedges.end(), [&](const deal::Hedge& hedge) {
    const auto* notional = std::get_if<deal::TrancheNotional>(&hedge.notional);
    return notional && notional->tranche == tranche;
  });
  const auto& terms = structure.tranches[t].delayed_draw;
  const bool feed_back = hedged || (terms && terms->commitment_fee_bp > 0.0);
  for (int pass = 0; feed_back && pass < 100; ++pass) {
    auto next = sculpt_once(result.deal, t, tranche, target_dscr);
    // Settled when no balance moves: a notional bound by the commitment or the capital settles at once, its
    // schedule (and the hedge's notional) later.
    bool settled = next.balance.size() == result.balance.size();
    for (std::size_t m = 0; settled && m < next.balance.size(); ++m)
      settled = std::abs(next.balance[m] - result.balance[m]) <= 1e-9 * result.notional;
    result = std::move(next);
    if (settled) break;
  }
  return result;
}

nlohmann::ordered_json to_json(const SculptResult& result) {
  nlohmann::ordered_json document{{"tranche", result.tranche},
                                  {"target_dscr", result.target_dscr},
                                  {"notional", result.notional},
                                  {"equity_investment", result.equity_investment},
                                  {"binding", result.binding}};
  if (!result.binding_date.empty()) document["binding_date"] = result.binding_date;
  document["amortization"] = {{"type", "schedule"}, {"balances", result.schedule}};
  nlohmann::ordered_json dates = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < result.dates.size(); ++i) {
    const double dscr = result.dscr[i];
    dates.push_back({{"date", result.dates[i]},
                     {"income", result.income[i]},
                     {"senior_debt_service", result.senior_debt_service[i]},
                     {"interest", result.interest[i]},
                     {"principal", result.principal[i]},
                     {"balance", result.balance[i]},
                     {"dscr", std::isfinite(dscr) ? nlohmann::ordered_json(dscr) : nullptr}});
  }
  document["dates"] = dates;
  return document;
}

}  // namespace computedebt::structuring
