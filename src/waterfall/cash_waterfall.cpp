#include <computedebt/waterfall/cash_waterfall.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace computedebt::waterfall {

namespace {
/// Balances below this are repaid: the default-probability threshold of docs/methodology.md section 6.1.
constexpr double repaid = 0.01;
constexpr double infinity = std::numeric_limits<double>::infinity();
}  // namespace

CashWaterfall::CashWaterfall(const calibration::Plan& plan) : plan_(plan.waterfall) {
  const std::size_t columns = plan_.dates + 1;
  path_.interest_paid.resize(plan_.tranches * columns);
  path_.principal_paid.resize(plan_.tranches * columns);
  path_.balance.resize(plan_.tranches);
  path_.equity.resize(columns);
  path_.dscr.resize(columns);
  path_.ltv.resize(columns);
  path_.dscr_breach.resize(columns);
  path_.ltv_breach.resize(columns);
  start_balance_.resize(plan_.tranches);
}

const WaterfallPath& CashWaterfall::run(cashflow::CollateralCash& collateral) noexcept {
  collateral_ = &collateral;
  for (std::size_t t = 0; t < plan_.tranches; ++t) path_.balance[t] = plan_.notional[t];
  std::fill(path_.interest_paid.begin(), path_.interest_paid.end(), 0.0);
  std::fill(path_.principal_paid.begin(), path_.principal_paid.end(), 0.0);
  std::fill(path_.equity.begin(), path_.equity.end(), 0.0);
  std::fill(path_.dscr.begin(), path_.dscr.end(), std::numeric_limits<double>::quiet_NaN());
  std::fill(path_.ltv.begin(), path_.ltv.end(), std::numeric_limits<double>::quiet_NaN());
  std::fill(path_.dscr_breach.begin(), path_.dscr_breach.end(), 0);
  std::fill(path_.ltv_breach.begin(), path_.ltv_breach.end(), 0);
  path_.event_of_default = 0;
  path_.collections = path_.costs = path_.fees_paid = 0.0;
  account_ = 0.0;
  reserve_ = plan_.reserve_initial;
  unpaid_fees_ = 0.0;
  period_income_ = 0.0;
  defaulted_ = false;

  const int months = plan_.date_month.back();
  const int p = plan_.frequency_months;
  for (int k = 1; k <= months; ++k) {
    // After an event of default, GPUs are sold until every tranche is repaid.
    bool liquidating = false;
    if (defaulted_)
      for (double b : path_.balance) liquidating |= b > repaid;
    const cashflow::MonthCash cash = collateral.month(k, liquidating);
    path_.collections += cash.revenue + cash.recoveries + cash.sales;
    path_.costs += cash.costs;
    account_ += cash.revenue + cash.recoveries + cash.sales - cash.costs;
    period_income_ += cash.revenue + cash.recoveries - cash.costs;
    if (k % p == 0) {
      pay_date(static_cast<std::size_t>(k / p));
      period_income_ = 0.0;
    }
  }
  path_.collateral_value = collateral.market_value();
  path_.reserve_change = reserve_ - plan_.reserve_initial;
  path_.account = account_;
  return path_;
}

double CashWaterfall::loan_to_value() const noexcept {
  double balances = 0.0;
  for (double b : path_.balance) balances += b;
  const double value = collateral_->market_value();
  return balances <= 0.0 ? 0.0 : value > 0.0 ? balances / value : infinity;
}

void CashWaterfall::pay_date(std::size_t m) noexcept {
  available_ = std::max(account_, 0.0);
  account_ = std::min(account_, 0.0);
  // After an event of default, and on the final date, the reserve joins the collection account.
  if (defaulted_ || m == plan_.dates) {
    available_ += reserve_;
    reserve_ = 0.0;
  }
  std::copy(path_.balance.begin(), path_.balance.end(), start_balance_.begin());
  if (!defaulted_) {
    double due = 0.0;
    for (std::size_t t = 0; t < plan_.tranches; ++t) {
      const double b = start_balance_[t];
      due += b * plan_.coupon[t] * plan_.accrual[m] + std::max(0.0, b - plan_.at(plan_.target, t, m));
    }
    dscr_ = due > 0.0 ? (period_income_ - plan_.fees[m]) / due : infinity;
    path_.dscr[m] = dscr_;
  }
  const bool accelerated_date = defaulted_;
  for (const auto step : accelerated_date ? plan_.after_default : plan_.priority) {
    // An event of default during the date ends reserve funding and trigger tests from then on.
    using enum calibration::PaymentStep;
    if (defaulted_ && !accelerated_date && (step == reserve || step == cash_sweep)) continue;
    run_step(step, m);
  }
  if (!accelerated_date && std::isnan(path_.ltv[m])) path_.ltv[m] = loan_to_value();
  account_ += available_;
  available_ = 0.0;
}

void CashWaterfall::declare_default(std::size_t m) noexcept {
  if (defaulted_) return;
  defaulted_ = true;
  path_.event_of_default = m;
  collateral_->start_liquidation(plan_.date_month[m]);
  available_ += reserve_;
  reserve_ = 0.0;
}

void CashWaterfall::pay_principal_sequentially(std::size_t m) noexcept {
  for (std::size_t t = 0; t < plan_.tranches && available_ > 0.0; ++t) {
    const double paid = std::min(available_, path_.balance[t]);
    path_.balance[t] -= paid;
    available_ -= paid;
    at(path_.principal_paid, t, m) += paid;
  }
}

void CashWaterfall::run_step(calibration::PaymentStep step, std::size_t m) noexcept {
  using enum calibration::PaymentStep;
  switch (step) {
    case fees: {
      const double due = unpaid_fees_ + plan_.fees[m];
      const double paid = std::min(available_, due);
      available_ -= paid;
      unpaid_fees_ = due - paid;
      path_.fees_paid += paid;
      break;
    }
    case interest: {
      bool senior_found = false;
      for (std::size_t t = 0; t < plan_.tranches; ++t) {
        if (start_balance_[t] <= 0.0) continue;
        const bool senior = !senior_found;
        senior_found = true;
        const double due = start_balance_[t] * plan_.coupon[t] * plan_.accrual[m];
        double paid = std::min(available_, due);
        available_ -= paid;
        if (senior && paid < due) {
          const double drawn = std::min(reserve_, due - paid);
          reserve_ -= drawn;
          paid += drawn;
        }
        at(path_.interest_paid, t, m) += paid;
        // Unpaid interest is capitalised, the senior's included once it has triggered an event of default.
        if (paid < due) {
          path_.balance[t] += due - paid;
          if (senior) declare_default(m);
        }
      }
      break;
    }
    case reserve: {
      // Nothing is reserved past the final date.
      double target = 0.0;
      for (std::size_t t = 0; t < plan_.tranches && m < plan_.dates; ++t)
        if (start_balance_[t] > 0.0) {
          target = plan_.reserve_months_of_interest / 12.0 * plan_.coupon[t] * start_balance_[t];
          break;
        }
      if (reserve_ < target) {
        const double top_up = std::min(available_, target - reserve_);
        reserve_ += top_up;
        available_ -= top_up;
      } else {
        available_ += reserve_ - target;
        reserve_ = target;
      }
      break;
    }
    case scheduled_principal: {
      for (std::size_t t = 0; t < plan_.tranches; ++t) {
        const double due = std::max(0.0, path_.balance[t] - plan_.at(plan_.target, t, m));
        const double paid = std::min(available_, due);
        path_.balance[t] -= paid;
        available_ -= paid;
        at(path_.principal_paid, t, m) += paid;
      }
      // A tranche not repaid at its legal maturity is an event of default: all cash then repays principal.
      for (std::size_t t = 0; t < plan_.tranches; ++t)
        if (plan_.maturity_date[t] <= m && path_.balance[t] > repaid) declare_default(m);
      if (defaulted_) pay_principal_sequentially(m);
      break;
    }
    case cash_sweep: {
      const double ltv = loan_to_value();
      path_.ltv[m] = ltv;
      path_.dscr_breach[m] = plan_.has_dscr_trigger && dscr_ < plan_.dscr_sweep;
      path_.ltv_breach[m] = plan_.has_ltv_trigger && ltv > plan_.ltv_sweep;
      if (path_.dscr_breach[m] || path_.ltv_breach[m]) pay_principal_sequentially(m);
      break;
    }
    case accelerated: {
      for (std::size_t t = 0; t < plan_.tranches; ++t) {
        const double due = path_.balance[t] * plan_.coupon[t] * plan_.accrual[m];
        const double paid = std::min(available_, due);
        available_ -= paid;
        at(path_.interest_paid, t, m) += paid;
        path_.balance[t] += due - paid;
        const double principal = std::min(available_, path_.balance[t]);
        path_.balance[t] -= principal;
        available_ -= principal;
        at(path_.principal_paid, t, m) += principal;
      }
      break;
    }
    case equity: {
      path_.equity[m] += available_;
      available_ = 0.0;
      break;
    }
  }
}

}  // namespace computedebt::waterfall
