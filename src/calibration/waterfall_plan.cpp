#include <computedebt/calibration/waterfall_plan.hpp>

#include <algorithm>
#include <variant>

namespace computedebt::calibration {

namespace {

/// The target balance of `tranche` after date `m` of a deal paying every `p` months, before its maturity.
double scheduled_target(const deal::DebtTranche& tranche, std::size_t m, int p) {
  return std::visit(
      [&](const auto& amortization) -> double {
        using Type = std::decay_t<decltype(amortization)>;
        if constexpr (std::is_same_v<Type, deal::Bullet>) {
          return tranche.notional;
        } else if constexpr (std::is_same_v<Type, deal::Level>) {
          const double elapsed = static_cast<double>(m) * p / amortization.term_months;
          return tranche.notional * std::max(0.0, 1.0 - elapsed);
        } else {
          return m <= amortization.balances.size() ? tranche.notional * amortization.balances[m - 1] : 0.0;
        }
      },
      tranche.amortization);
}

}  // namespace

WaterfallPlan plan_waterfall(const deal::Waterfall& structure, const MonthGrid& grid,
                             const std::vector<double>& discount) {
  WaterfallPlan plan;
  const int p = structure.payment_frequency_months;
  plan.frequency_months = p;
  plan.dates = static_cast<std::size_t>(grid.months() / p);
  plan.tranches = structure.tranches.size();
  const std::size_t columns = plan.dates + 1;
  for (std::size_t m = 0; m <= plan.dates; ++m) {
    const int month = static_cast<int>(m) * p;
    plan.date_month.push_back(month);
    plan.date_time.push_back(grid.times[static_cast<std::size_t>(month)]);
    plan.date_discount.push_back(discount[static_cast<std::size_t>(month)]);
    plan.accrual.push_back(m == 0 ? 0.0
                                  : year_fraction(grid.dates[static_cast<std::size_t>(month - p)],
                                                  grid.dates[static_cast<std::size_t>(month)]));
    plan.fees.push_back(structure.senior_fees_per_year * plan.accrual.back());
  }
  const Date t0 = grid.dates.front();
  for (const auto& tranche : structure.tranches) {
    plan.names.push_back(tranche.name);
    plan.notional.push_back(tranche.notional);
    plan.coupon.push_back(tranche.coupon);
    const auto maturity = static_cast<std::size_t>(deal::last_payment_month(t0, p, tranche.legal_maturity) / p);
    plan.maturity_date.push_back(maturity);
    double scheduled = tranche.notional, factor = 1.0;
    for (std::size_t m = 0; m < columns; ++m) {
      if (m == 0) {
        plan.target.push_back(tranche.notional);
        plan.coupon_discount.push_back(1.0);
        plan.promised_flow.push_back(0.0);
        continue;
      }
      const double target = m >= maturity ? 0.0 : std::min(scheduled, scheduled_target(tranche, m, p));
      const double interest = scheduled * tranche.coupon * plan.accrual[m];
      plan.target.push_back(target);
      plan.promised_flow.push_back(interest + scheduled - target);
      factor /= 1.0 + tranche.coupon * plan.accrual[m];
      plan.coupon_discount.push_back(factor);
      scheduled = target;
    }
  }
  if (structure.reserve_account) {
    plan.has_reserve = true;
    plan.reserve_months_of_interest = structure.reserve_account->target_months_of_interest;
    plan.reserve_initial = structure.reserve_account->initial_balance;
  }
  if (structure.triggers.dscr_cash_sweep) {
    plan.has_dscr_trigger = true;
    plan.dscr_sweep = *structure.triggers.dscr_cash_sweep;
  }
  if (structure.triggers.ltv_cash_sweep) {
    plan.has_ltv_trigger = true;
    plan.ltv_sweep = *structure.triggers.ltv_cash_sweep;
  }
  plan.equity_investment = structure.equity.investment;

  using enum PaymentStep;
  plan.priority = {fees, interest};
  if (plan.has_reserve) plan.priority.push_back(reserve);
  plan.priority.push_back(scheduled_principal);
  if (plan.has_dscr_trigger || plan.has_ltv_trigger) plan.priority.push_back(cash_sweep);
  plan.priority.push_back(equity);
  plan.after_default = {fees, accelerated, equity};
  return plan;
}

}  // namespace computedebt::calibration
