#include <computedebt/core/error.hpp>
#include <computedebt/waterfall/cash_waterfall.hpp>
#include <computedebt/waterfall/hedge_value.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace computedebt::waterfall {

namespace {
/// Balances below this are repaid: the default-probability threshold of docs/methodology.md section 6.1.
constexpr double repaid = 0.01;
constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
}  // namespace

const calibration::RatePlan CashWaterfall::no_rates{};

CashWaterfall::CashWaterfall(const calibration::WaterfallPlan& plan, const calibration::RatePlan& rates)
    : plan_(plan), rates_(rates) {
  require((plan.hedges.empty() && plan.margin_grids.empty()) || !rates.indices.empty(),
          "a waterfall with hedges or margin grids needs the plan's rate indices");
  const std::size_t columns = plan_.dates + 1, covenants = plan_.covenants.size(), hedges = plan_.hedges.size();
  path_.hedge_flow.resize(hedges * columns);
  path_.hedge_close_out.resize(hedges);
  path_.hedge_end.resize(hedges);
  path_.hedge_counterparty_default.resize(hedges);
  path_.coupon.resize(plan_.tranches * columns);
  grid_margin_.resize(plan_.margin_grids.size());
  path_.interest_paid.resize(plan_.tranches * columns);
  path_.principal_paid.resize(plan_.tranches * columns);
  path_.balance.resize(plan_.tranches);
  path_.balance_after.resize(plan_.tranches * columns);
  path_.equity.resize(columns);
  path_.injected.resize(columns);
  path_.dscr.resize(columns);
  path_.ltv.resize(columns);
  path_.borrowing_base_headroom.resize(columns);
  path_.mandatory_prepayment.resize(columns);
  if (plan_.borrowing_base) type_value_.resize(plan_.borrowing_base->gpu_types);
  path_.drawn.resize(plan_.tranches * columns);
  path_.delivery_equity.resize(columns);
  path_.energy_cost.resize(columns);
  path_.draw_proceeds.resize(columns);
  path_.draw_refused.resize(plan_.draws.size());
  path_.delivery_cancelled.resize(plan_.delivery_date.size());
  path_.delivery_delay.resize(plan_.delivery_date.size());
  delivery_date_.resize(plan_.delivery_date.size());
  delivery_value_.resize(plan_.delivery_date.size());
  drawable_.resize(plan_.delivery_date.size());
  path_.commitment_fees.resize(plan_.tranches);
  due_target_.resize(plan_.target.size());
  drawn_total_.resize(plan_.tranches);
  delivery_done_.resize(plan_.delivery_date.size());
  if (plan_.borrowing_base) contract_cancelled_.resize(plan_.borrowing_base->counterparty.size());
  path_.breached.resize(covenants * columns);
  path_.months_in_breach.resize(covenants);
  path_.cures_used.resize(covenants);
  path_.account_balance.resize(plan_.accounts.size() * columns);
  for (auto* v : {&start_balance_, &interest_due_, &margin_step_up_, &deferred_step_up_, &due_})
    v->resize(plan_.tranches);
  accounts_.resize(plan_.accounts.size());
  for (auto* v : {&income_, &debt_service_, &debt_service_without_balloons_}) v->resize(columns);
  for (auto* v : {&passes_, &failures_, &breach_start_}) v->resize(covenants);
  trapping_.resize(covenants);
}

const WaterfallPath& CashWaterfall::run(cashflow::CollateralCash& collateral, const PathRates& rates,
                                        WaterfallTrace* trace) {
  collateral_ = &collateral;
  const auto coupons = rates.coupons.empty() ? std::span<const double>(plan_.coupon) : rates.coupons;
  std::copy(coupons.begin(), coupons.end(), path_.coupon.begin());
  for (std::size_t g = 0; g < grid_margin_.size(); ++g) grid_margin_[g] = plan_.margin_grids[g].initial;
  fixings_ = rates.fixings;
  states_ = rates.states;
  default_month_ = rates.default_month;
  trace_ = trace;
  if (trace_) *trace_ = {};
  for (std::size_t t = 0; t < plan_.tranches; ++t) path_.balance[t] = plan_.notional[t];
  for (auto* v : {&path_.interest_paid, &path_.principal_paid, &path_.equity, &path_.injected, &path_.months_in_breach,
                  &path_.account_balance, &margin_step_up_, &deferred_step_up_})
    std::fill(v->begin(), v->end(), 0.0);
  std::fill(path_.dscr.begin(), path_.dscr.end(), not_a_number);
  std::fill(path_.ltv.begin(), path_.ltv.end(), not_a_number);
  std::fill(path_.borrowing_base_headroom.begin(), path_.borrowing_base_headroom.end(), not_a_number);
  std::fill(path_.mandatory_prepayment.begin(), path_.mandatory_prepayment.end(), 0.0);
  path_.borrowing_base_default = false;
  // The scheduled principal of a date aims at the target before the date's draws.
  for (std::size_t i = 0; i < due_target_.size(); ++i) due_target_[i] = plan_.target[i] - plan_.draw_at[i];
  for (auto* v : {&path_.drawn, &path_.commitment_fees, &drawn_total_, &path_.delivery_equity, &path_.draw_proceeds})
    std::fill(v->begin(), v->end(), 0.0);
  for (auto* v : {&path_.draw_refused, &path_.delivery_cancelled, &delivery_done_, &contract_cancelled_})
    std::fill(v->begin(), v->end(), 0);
  any_cancelled_ = false;
  path_.purchases = 0.0;
  if (!plan_.delivery_date.empty()) delay_deliveries(rates.delivery_outcomes);
  if (plan_.borrowing_base) {
    // Until the first counterparty default the contracts' part of the base is the plan's.
    first_default_month_ = plan_.date_month.back() + 1;
    if (!rates.defaulted.empty())
      for (const std::uint32_t name : rates.defaulted)
        first_default_month_ = std::min(first_default_month_, rates.default_month[name]);
    else
      for (const int month : rates.default_month) first_default_month_ = std::min(first_default_month_, month);
  }
  std::fill(path_.breached.begin(), path_.breached.end(), 0);
  std::fill(path_.cures_used.begin(), path_.cures_used.end(), 0);
  std::fill(passes_.begin(), passes_.end(), 0);
  std::fill(failures_.begin(), failures_.end(), 0);
  std::fill(breach_start_.begin(), breach_start_.end(), -1);
  std::fill(trapping_.begin(), trapping_.end(), 0);
  path_.event_of_default = 0;
  path_.collections = path_.costs = path_.generation = path_.fees_paid = path_.step_up_paid = 0.0;
  std::fill(path_.energy_cost.begin(), path_.energy_cost.end(), 0.0);
  path_.hedge_received = path_.hedge_paid = 0.0;
  std::fill(path_.hedge_flow.begin(), path_.hedge_flow.end(), 0.0);
  std::fill(path_.hedge_close_out.begin(), path_.hedge_close_out.end(), 0.0);
  std::fill(path_.hedge_end.begin(), path_.hedge_end.end(), 0);
  std::fill(path_.hedge_counterparty_default.begin(), path_.hedge_counterparty_default.end(), 0);
  hedge_due_ = hedge_unpaid_ = termination_owed_ = 0.0;
  account_ = 0.0;
  double initial_accounts = 0.0;
  for (std::size_t a = 0; a < accounts_.size(); ++a) {
    accounts_[a] = plan_.accounts[a].initial_balance;
    initial_accounts += accounts_[a];
  }
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
    if (trace_) trace_->months.push_back(cash);
    path_.collections += cash.revenue + cash.recoveries + cash.sales;
    path_.costs += cash.costs;
    path_.energy_cost[static_cast<std::size_t>((k + p - 1) / p)] += cash.energy;
    path_.generation += cash.generation;
    account_ += cash.revenue + cash.recoveries + cash.sales - cash.costs;
    period_income_ += cash.revenue + cash.recoveries - cash.costs;
    if (k % p == 0) {
      pay_date(static_cast<std::size_t>(k / p));
      period_income_ = 0.0;
    }
  }
  path_.collateral_value = collateral.market_value();
  double final_accounts = 0.0;
  for (const double balance : accounts_) final_accounts += balance;
  path_.reserve_change = final_accounts - initial_accounts;
  path_.account = account_;
  return path_;
}

double CashWaterfall::total_balance() const noexcept {
  double balances = 0.0;
  for (double b : path_.balance) balances += b;
  return balances;
}

double CashWaterfall::loan_to_value() const noexcept {
  const double balances = total_balance();
  const double value = collateral_->market_value();
  return balances <= 0.0 ? 0.0 : value > 0.0 ? balances / value : infinity;
}

CashWaterfall::Coverage CashWaterfall::coverage(std::size_t trailing_dates, bool include_balloon,
                                                std::size_t m) const noexcept {
  const auto& service = include_balloon ? debt_service_ : debt_service_without_balloons_;
  Coverage window;
  for (std::size_t j = m + 1 - std::min(trailing_dates, m); j <= m; ++j) {
    window.income += income_[j];
    window.debt_service += service[j];
  }
  return window;
}

double CashWaterfall::dscr(std::size_t trailing_dates, bool include_balloon, std::size_t m) const noexcept {
  const auto window = coverage(trailing_dates, include_balloon, m);
  return window.debt_service > 0.0 ? window.income / window.debt_service : infinity;
}

double CashWaterfall::contracted_value(std::size_t m, ContractValue which) const noexcept {
  const auto& per_contract = which == ContractValue::all                ? plan_.contract_value
                             : which == ContractValue::investment_grade ? plan_.investment_grade_value
                                                                        : plan_.rating_factor_value;
  double value = (which == ContractValue::all                ? plan_.total_contract_value
                  : which == ContractValue::investment_grade ? plan_.total_investment_grade_value
                                                             : plan_.total_rating_factor_value)[m];
  for (const auto& contract : collateral_->defaulted_contracts())
    if (contract.month <= plan_.date_month[m]) value -= per_contract[contract.index * (plan_.dates + 1) + m];
  for (const auto& contract : collateral_->cancelled_contracts())
    if (contract.month <= plan_.date_month[m]) value -= per_contract[contract.index * (plan_.dates + 1) + m];
  return std::max(value, 0.0);
}

void CashWaterfall::pay_date(std::size_t m) noexcept {
  // A late delivery's leases are eligible for the borrowing base from its funding date on, as an on-time one's:
  // that date's tests count them (a cancellation takes them out again).
  if (!contract_cancelled_.empty() && any_late_)
    for (std::size_t d = 0; d < delivery_date_.size(); ++d)
      if (!delivery_done_[d] && delivery_date_[d] == m && delivery_date_[d] != plan_.delivery_date[d])
        for (const std::uint32_t c : collateral_->tied_contracts(d)) contract_cancelled_[c] = 0;
  available_ = std::max(account_, 0.0);
  account_ = std::min(account_, 0.0);
  // After an event of default, and on the final date, the accounts join the collection account.
  if (defaulted_ || m == plan_.dates) release_accounts();
  std::copy(path_.balance.begin(), path_.balance.end(), start_balance_.begin());
  if (!grid_margin_.empty()) set_grid_coupons(m - 1);
  double due = 0.0, due_without_balloons = 0.0;
  for (std::size_t t = 0; t < plan_.tranches; ++t) {
    const double b = start_balance_[t];
    interest_due_[t] = b * (coupon(t, m) + margin_step_up_[t]) * plan_.accrual[m];
    const double principal = std::max(0.0, b - due_target(t, m));
    due += interest_due_[t] + principal;
    due_without_balloons += interest_due_[t] + (m < plan_.balloon_date[t] ? principal : 0.0);
    // Step-up interest accrues over the periods that start on or after the anticipated repayment date.
    if (plan_.repayment_date[t] < m) deferred_step_up_[t] += b * plan_.step_up[t] * plan_.accrual[m];
  }
  if (!plan_.hedges.empty()) accrue_hedges(m);
  // The commitment fee on each facility's undrawn commitment, over the periods of its availability.
  commitment_fee_due_ = 0.0;
  for (std::size_t t = 0; t < plan_.commitment.size() && !defaulted_; ++t) {
    if (plan_.commitment[t] <= 0.0 || m > plan_.availability_date[t]) continue;
    const double undrawn = std::max(0.0, plan_.commitment[t] - plan_.notional[t] - drawn_total_[t]);
    const double fee = plan_.commitment_fee[t] * undrawn * plan_.accrual[m];
    path_.commitment_fees[t] += fee;
    commitment_fee_due_ += fee;
  }
  // Coverage counts the hedges' net periodic payments as income, as hedged loan agreements do.
  income_[m] = period_income_ - plan_.fees[m] - commitment_fee_due_ + hedge_due_;
  debt_service_[m] = due;
  debt_service_without_balloons_[m] = due_without_balloons;
  if (!defaulted_) {
    const auto c = plan_.fan_chart_dscr;
    path_.dscr[m] = c == calibration::no_covenant
                        ? dscr(1, true, m)
                        : dscr(plan_.covenants[c].trailing_dates, plan_.covenants[c].include_balloon, m);
  }
  tested_ = false;
  sweep_fraction_ = 0.0;
  distributions_blocked_ = false;

  using Handler = void (CashWaterfall::*)(const Step&, std::size_t) noexcept;
  static constexpr std::array<Handler, calibration::step_kinds> handlers{&CashWaterfall::pay_senior_expenses,
                                                                         &CashWaterfall::pay_interest,
                                                                         &CashWaterfall::fund_reserve,
                                                                         &CashWaterfall::pay_principal,
                                                                         &CashWaterfall::sweep_cash,
                                                                         &CashWaterfall::trap_cash,
                                                                         &CashWaterfall::pay_step_up_interest,
                                                                         &CashWaterfall::distribute,
                                                                         &CashWaterfall::pay_accelerated,
                                                                         &CashWaterfall::pay_hedges,
                                                                         &CashWaterfall::pay_hedge_terminations};
  const bool accelerated_date = defaulted_;
  accelerated_date_ = accelerated_date;
  const auto& steps = accelerated_date ? plan_.after_default : plan_.priority;
  for (std::size_t s = 0; s < steps.size(); ++s) {
    const auto& step = steps[s];
    using enum calibration::StepKind;
    if (!accelerated_date) {
      // Covenants are tested once, after the scheduled payments and before what depends on the tests.
      const bool needs_tests = step.kind == cash_sweep || step.kind == cash_trap || step.kind == step_up_interest ||
                               step.kind == equity ||
                               (step.kind == principal && step.mode != deal::PrincipalMode::scheduled);
      if (needs_tests && !tested_ && !defaulted_) {
        check_maturities(m);
        if (!defaulted_) test_covenants(m);
      }
      // An event of default during the date ends reserve funding, sweeps, traps and step-up interest.
      if (defaulted_ &&
          (step.kind == reserve || step.kind == cash_sweep || step.kind == cash_trap || step.kind == step_up_interest))
        continue;
    }
    const double before = available_;
    (this->*handlers[static_cast<std::size_t>(step.kind)])(step, m);
    if (trace_) trace_->steps.push_back({m, s, accelerated_date, before - available_});
  }
  if (!plan_.draws.empty() || !plan_.delivery_date.empty()) make_deliveries(m);
  if (!accelerated_date && std::isnan(path_.ltv[m])) path_.ltv[m] = loan_to_value();
  if (!grid_margin_.empty() && !defaulted_ && m < plan_.dates) read_margin_grids(m);
  account_ += available_;
  available_ = 0.0;
  for (std::size_t a = 0; a < accounts_.size(); ++a) path_.account_balance[a * (plan_.dates + 1) + m] = accounts_[a];
  for (std::size_t t = 0; t < plan_.tranches; ++t) path_.balance_after[t * (plan_.dates + 1) + m] = path_.balance[t];
}

double CashWaterfall::metric(const calibration::CovenantPlan& covenant, std::size_t m,
                             double loan_to_value) const noexcept {
  using enum calibration::MetricKind;
  switch (covenant.metric) {
    case dscr:
      return this->dscr(covenant.trailing_dates, covenant.include_balloon, m);
    case ltv:
      return loan_to_value;
    case contracted_coverage: {
      const double balances = total_balance();
      return balances > 0.0 ? contracted_value(m, ContractValue::all) / balances : infinity;
    }
    case investment_grade_share: {
      // With nothing left under contract there is no revenue to share out: the test passes.
      const double total = contracted_value(m, ContractValue::all);
      return total > 0.0 ? contracted_value(m, ContractValue::investment_grade) / total : 1.0;
    }
    case rating_factor: {
      // Nor is there a rating to average: the test passes.
      const double total = contracted_value(m, ContractValue::all);
      return total > 0.0 ? contracted_value(m, ContractValue::rating_factor) / total : 0.0;
    }
    case borrowing_base:
      return path_.borrowing_base_headroom[m];
    case liquidity: {
      // On the final date every account has joined the cash and the deal ends: nothing is left to hold.
      if (m == plan_.dates) return infinity;
      double held = 0.0;
      for (const double balance : accounts_) held += balance;
      return held;
    }
  }
  return not_a_number;
}

bool CashWaterfall::cure(const calibration::CovenantPlan& covenant, std::size_t m, double value) noexcept {
  const double level = covenant.level[m];
  double amount = 0.0;
  bool prepay = true;
  switch (covenant.metric) {
    case calibration::MetricKind::dscr: {
      // The cure counts as income of the test; the cash prepays principal.
      const auto window = coverage(covenant.trailing_dates, covenant.include_balloon, m);
      amount = std::max(level * window.debt_service - window.income, 0.0);
      // The cure counts as income of its period in every later trailing test that covers it.
      income_[m] += amount;
      break;
    }
    case calibration::MetricKind::ltv: {
      const double market = collateral_->market_value();
      amount = total_balance() - level * market;
      break;
    }
    case calibration::MetricKind::contracted_coverage:
      amount = level > 0.0 ? total_balance() - contracted_value(m, ContractValue::all) / level : 0.0;
      break;
    case calibration::MetricKind::liquidity:
      if (accounts_.empty()) return false;
      amount = level - value;
      prepay = false;
      break;
    case calibration::MetricKind::investment_grade_share:
    case calibration::MetricKind::rating_factor:
    case calibration::MetricKind::borrowing_base:
      return false;
  }
  amount = std::max(amount, 0.0);
  path_.injected[m] += amount;
  if (!prepay) {
    // Paid into the first reserve account, or the first account when there is no reserve.
    std::size_t a = 0;
    while (a < accounts_.size() && plan_.accounts[a].trap) ++a;
    accounts_[a < accounts_.size() ? a : 0] += amount;
    return true;
  }
  const double kept = available_;
  available_ = amount;
  pay_principal_sequentially(m);
  available_ += kept;
  return true;
}

void CashWaterfall::test_covenants(std::size_t m) noexcept {
  tested_ = true;
  double ltv = loan_to_value();
  path_.ltv[m] = ltv;
  std::fill(margin_step_up_.begin(), margin_step_up_.end(), 0.0);
  bool default_now = false;
  const std::size_t columns = plan_.dates + 1;
  const int month = plan_.date_month[m];
  for (std::size_t c = 0; c < plan_.covenants.size(); ++c) {
    const auto& covenant = plan_.covenants[c];
    // The final date repays every balance: the borrowing base is tested before it only.
    if (covenant.metric == calibration::MetricKind::borrowing_base && m < plan_.dates)
      path_.borrowing_base_headroom[m] = borrowing_base_headroom(m);
    const double value = metric(covenant, m, ltv);
    bool breached = covenant.breached(value, m);
    path_.breached[c * columns + m] = breached;
    using enum calibration::ConsequenceKind;
    if (breached && covenant.consequence == mandatory_prepayment) {
      // The deficiency counts as breached from the test on; what the prepayment leaves runs the cure period.
      breached = covenant.breached(prepay_deficiency(value, m), m);
      ltv = loan_to_value();
      path_.ltv[m] = ltv;  // the fan chart's LTV is the one the later covenants test
    }
    if (breached && covenant.consequence == default_after_cure && path_.cures_used[c] < covenant.equity_cures &&
        cure(covenant, m, value)) {
      ++path_.cures_used[c];
      breached = false;
      ltv = loan_to_value();  // a cure that prepays moves the LTV the later covenants see
    }
    if (breached) {
      ++failures_[c];
      passes_[c] = 0;
      path_.months_in_breach[c] += plan_.frequency_months;
    } else {
      ++passes_[c];
      failures_[c] = 0;
    }
    switch (covenant.consequence) {
      case cash_sweep:
        if (breached) sweep_fraction_ = std::max(sweep_fraction_, covenant.sweep_fraction);
        break;
      case cash_trap:
        if (breached)
          trapping_[c] = 1;
        else if (passes_[c] >= covenant.release_after_passes)
          trapping_[c] = 0;
        break;
      case block_distributions:
        distributions_blocked_ |= breached;
        break;
      case margin_step_up:
        if (breached)
          for (std::size_t t = 0; t < plan_.tranches; ++t)
            if (covenant.stepped_up[t]) margin_step_up_[t] += covenant.step_up;
        break;
      case default_after_cure:
      case mandatory_prepayment:
        if (!breached) {
          breach_start_[c] = -1;
        } else {
          if (breach_start_[c] < 0) breach_start_[c] = month;
          const bool expired = month - breach_start_[c] >= covenant.cure_period_months;
          if (expired && !default_now && covenant.consequence == mandatory_prepayment)
            path_.borrowing_base_default = true;
          default_now |= expired;
        }
        break;
    }
  }
  if (default_now) {
    declare_default(m);
    pay_principal_sequentially(m);
  }
}

double CashWaterfall::borrowing_base_headroom(std::size_t m) noexcept {
  const auto& base = *plan_.borrowing_base;
  const int month = plan_.date_month[m];
  double value = base.contract_base[m];
  if (month >= first_default_month_ || any_cancelled_)
    value = base.contracts_at(m, month, default_month_, contract_cancelled_).base(base.advance_rates);
  calibration::BorrowingBaseValue gpus;
  collateral_->type_market_values(type_value_);
  base.add_gpus(gpus, type_value_);
  value += base.advance_rates.gpu * gpus.gpu;
  if (base.advance_rates.facilities > 0.0)
    value += base.advance_rates.facilities * collateral_->facility_market_value();
  double balance = 0.0;
  for (std::size_t t = 0; t < plan_.tranches; ++t)
    if (base.facility[t]) balance += path_.balance[t];
  return value - balance;
}

double CashWaterfall::prepay_deficiency(double headroom, std::size_t m) noexcept {
  const auto& base = *plan_.borrowing_base;
  double deficiency = -headroom;
  for (std::size_t t = 0; t < plan_.tranches && available_ > 0.0 && deficiency > 0.0; ++t) {
    if (!base.facility[t]) continue;
    const double paid = std::min({available_, path_.balance[t], deficiency});
    path_.balance[t] -= paid;
    available_ -= paid;
    deficiency -= paid;
    at(path_.principal_paid, t, m) += paid;
    path_.mandatory_prepayment[m] += paid;
  }
  return -deficiency;
}

void CashWaterfall::drop_draw_schedule(std::uint32_t j) noexcept {
  const std::size_t columns = plan_.dates + 1, t = plan_.draws[j].tranche;
  const std::uint32_t d = plan_.draws[j].delivery;
  const std::size_t date = d == calibration::no_delivery ? plan_.draws[j].date : delivery_date_[d];
  for (std::size_t n = date + 1; n < columns; ++n) due_target_[t * columns + n] -= plan_.draw_schedule(j, date, n);
}

void CashWaterfall::delay_deliveries(std::span<const std::uint32_t> outcomes) noexcept {
  std::copy(plan_.delivery_date.begin(), plan_.delivery_date.end(), delivery_date_.begin());
  std::copy(plan_.delivery_value.begin(), plan_.delivery_value.end(), delivery_value_.begin());
  std::fill(drawable_.begin(), drawable_.end(), 1);
  std::fill(path_.delivery_delay.begin(), path_.delivery_delay.end(), 0);
  any_late_ = false;
  if (outcomes.empty()) return;
  const auto& delay = *plan_.delivery_delay;
  const std::size_t columns = plan_.dates + 1;
  for (std::size_t d = 0; d < outcomes.size(); ++d) {
    const std::uint32_t i = outcomes[d];
    path_.delivery_delay[d] = delay.months[i];
    if (delay.date[i] == plan_.delivery_date[d]) continue;
    // Arriving on or after the last date, the delivery is outside the deal: no one buys it.
    if (delay.date[i] >= plan_.dates) {
      cancel_delivery(d);
      continue;
    }
    const std::uint32_t j = plan_.delivery_draw[d];
    if (j != calibration::no_draw) {
      // The draw moves with its delivery and amortises from its new date.
      drop_draw_schedule(j);
      const std::size_t t = plan_.draws[j].tranche;
      for (std::size_t n = delay.date[i] + 1; n < columns; ++n)
        due_target_[t * columns + n] += plan_.draw_schedule(j, delay.date[i], n);
    }
    delivery_date_[d] = delay.date[i];
    delivery_value_[d] = delay.value[i];
    drawable_[d] = delay.drawable[i];
    collateral_->postpone(d, delay.month[i]);
    // Its leases are not eligible for the borrowing base before their GPUs arrive.
    any_late_ = true;
    if (!contract_cancelled_.empty()) {
      for (const std::uint32_t c : collateral_->tied_contracts(d)) contract_cancelled_[c] = 1;
      any_cancelled_ = true;
    }
  }
}

void CashWaterfall::cancel_delivery(std::size_t d) noexcept {
  delivery_done_[d] = 1;
  path_.delivery_cancelled[d] = 1;
  const std::uint32_t j = plan_.delivery_draw[d];
  if (j != calibration::no_draw && !path_.draw_refused[j]) {
    path_.draw_refused[j] = 1;
    // The tranche's schedule loses the draw.
    drop_draw_schedule(j);
  }
  collateral_->cancel(d);
  if (!contract_cancelled_.empty())
    for (const auto& contract : collateral_->cancelled_contracts()) contract_cancelled_[contract.index] = 1;
  any_cancelled_ = true;
}

bool CashWaterfall::draw_allowed(std::size_t j, std::size_t m) noexcept {
  if (defaulted_) return false;
  for (std::size_t c = 0; c < plan_.covenants.size(); ++c) {
    using enum calibration::ConsequenceKind;
    const auto consequence = plan_.covenants[c].consequence;
    if ((consequence == default_after_cure || consequence == mandatory_prepayment) && failures_[c] > 0) return false;
  }
  const auto& draw = plan_.draws[j];
  const bool dated = draw.delivery == calibration::no_delivery;
  // A delivery delayed past the availability period, or to the tranche's maturity, is no longer drawn for.
  if (!dated && !drawable_[draw.delivery]) return false;
  // A dated draw pays the equity: not while distributions are blocked or cash is trapped.
  if (dated && (distributions_blocked_ || std::any_of(trapping_.begin(), trapping_.end(), [](auto t) { return t; })))
    return false;
  const auto& base = plan_.borrowing_base;
  if (!base || !base->facility[draw.tranche]) return true;
  // The base after the draw: a delivery's GPUs join their type at the path's market multiplier.
  const int month = plan_.date_month[m];
  collateral_->type_market_values(type_value_);
  if (!dated) {
    const std::uint32_t g = plan_.delivery_type[draw.delivery];
    type_value_[g] += delivery_value_[draw.delivery] * collateral_->multiplier(g, month);
  }
  auto value = base->contracts_at(m, month, default_month_, contract_cancelled_);
  base->add_gpus(value, type_value_);
  if (base->advance_rates.facilities > 0.0) value.facilities = collateral_->facility_market_value();
  double balance = draw.amount;
  for (std::size_t t = 0; t < plan_.tranches; ++t)
    if (base->facility[t]) balance += path_.balance[t];
  return value.base(base->advance_rates) - balance >= -repaid;
}

void CashWaterfall::make_deliveries(std::size_t m) noexcept {
  for (std::size_t d = 0; d < delivery_done_.size(); ++d) {
    if (delivery_done_[d] || delivery_date_[d] != m) continue;
    if (defaulted_) {
      cancel_delivery(d);
      continue;
    }
    const double cost = plan_.delivery_cost[d];
    const std::uint32_t j = plan_.delivery_draw[d];
    double drawn = 0.0;
    if (j != calibration::no_draw) {
      const auto& draw = plan_.draws[j];
      if (draw_allowed(j, m)) {
        drawn = draw.amount;
        path_.balance[draw.tranche] += drawn;
        at(path_.drawn, draw.tranche, m) += drawn;
        drawn_total_[draw.tranche] += drawn;
      } else if (plan_.cancel_refused[draw.tranche]) {
        cancel_delivery(d);
        continue;
      } else {
        path_.draw_refused[j] = 1;
        drop_draw_schedule(j);
      }
    }
    // The draw pays its share of the purchase; the equity pays the rest.
    delivery_done_[d] = 1;
    path_.delivery_equity[m] += cost - drawn;
    path_.purchases += cost;
    collateral_->deliver(d);
  }
  // Dated draws pay their proceeds to the equity, after the deliveries, which the base counts first.
  for (std::uint32_t j = 0; j < plan_.draws.size(); ++j) {
    const auto& draw = plan_.draws[j];
    if (draw.delivery != calibration::no_delivery || draw.date != m) continue;
    if (draw_allowed(j, m)) {
      path_.balance[draw.tranche] += draw.amount;
      at(path_.drawn, draw.tranche, m) += draw.amount;
      drawn_total_[draw.tranche] += draw.amount;
      path_.draw_proceeds[m] += draw.amount;
    } else {
      path_.draw_refused[j] = 1;
      drop_draw_schedule(j);
    }
  }
}

void CashWaterfall::set_grid_coupons(std::size_t m) noexcept {
  const std::size_t columns = plan_.dates + 1;
  for (std::size_t g = 0; g < grid_margin_.size(); ++g) {
    const std::size_t t = plan_.margin_grids[g].tranche;
    const auto fixings = index_fixings(plan_.rate_index[t]);
    // The period ending at m + 1 bears the margin in force; so does the one after, until the next reading.
    for (std::size_t n = m + 1; n <= std::min(m + 2, plan_.dates); ++n)
      path_.coupon[t * columns + n] = plan_.floating_coupon(t, fixings[n], grid_margin_[g]);
  }
}

void CashWaterfall::read_margin_grids(std::size_t m) noexcept {
  // Read after the date's payments: the balances and contracts that bear the next period's interest
  // (docs/methodology.md section 5.5). A metric with no value (nothing under contract, nothing owed) leaves the
  // tranche's own margin.
  const double total = plan_.uses_contract_values ? contracted_value(m, ContractValue::all) : 0.0;
  const double balances = total_balance();
  for (std::size_t g = 0; g < grid_margin_.size(); ++g) {
    const auto& grid = plan_.margin_grids[g];
    double value = not_a_number;
    using enum calibration::MetricKind;
    switch (grid.metric) {
      case ltv:
        value = loan_to_value();
        break;
      case contracted_coverage:
        if (balances > 0.0) value = total / balances;
        break;
      case investment_grade_share:
        if (total > 0.0) value = contracted_value(m, ContractValue::investment_grade) / total;
        break;
      case rating_factor:
        if (total > 0.0) value = contracted_value(m, ContractValue::rating_factor) / total;
        break;
      case dscr:
      case liquidity:
      case borrowing_base:
        break;  // not a metric of the deal file
    }
    grid_margin_[g] = grid.margin_at(value);
  }
  set_grid_coupons(m);
}

void CashWaterfall::release_accounts() noexcept {
  for (double& balance : accounts_) {
    available_ += balance;
    balance = 0.0;
  }
}

void CashWaterfall::declare_default(std::size_t m) noexcept {
  if (defaulted_) return;
  defaulted_ = true;
  path_.event_of_default = m;
  // Enforcement charges the coupon: margin step-ups end with the tests that set them.
  std::fill(margin_step_up_.begin(), margin_step_up_.end(), 0.0);
  // No delivery is funded from an event of default on.
  for (std::size_t d = 0; d < delivery_done_.size(); ++d)
    if (!delivery_done_[d]) cancel_delivery(d);
  collateral_->start_liquidation(plan_.date_month[m]);
  release_accounts();
  if (!plan_.hedges.empty()) terminate_hedges(m);
}

std::span<const double> CashWaterfall::index_fixings(std::size_t index) const noexcept {
  const std::size_t columns = plan_.dates + 1;
  return fixings_.empty() ? std::span<const double>(rates_.indices[index].projected)
                          : fixings_.subspan(index * columns, columns);
}

double CashWaterfall::state(std::size_t index, std::size_t m) const noexcept {
  if (states_.empty() || !rates_.indices[index].hull_white) return 0.0;
  const std::size_t months = static_cast<std::size_t>(plan_.date_month.back()) + 1;
  return states_[index * months + static_cast<std::size_t>(plan_.date_month[m])];
}

void CashWaterfall::accrue_hedges(std::size_t m) noexcept {
  hedge_due_ = 0.0;
  if (defaulted_) return;
  const std::size_t columns = plan_.dates + 1;
  for (std::size_t h = 0; h < plan_.hedges.size(); ++h) {
    const auto& hedge = plan_.hedges[h];
    if (path_.hedge_end[h] != 0 || m > hedge.end) continue;
    const auto& index = rates_.indices[hedge.index];
    const auto fixings = index_fixings(hedge.index);
    const double flow = hedge_flow(hedge, plan_, m, fixings[m]);
    path_.hedge_flow[h * columns + m] = flow;
    if (default_month_.empty() || default_month_[hedge.counterparty] > plan_.date_month[m]) {
      hedge_due_ += flow;
      continue;
    }
    // The counterparty defaulted during the period: the hedge is closed out today at this period's payment plus
    // its value; the SPV recovers its share of what the counterparty owes, and owes what it owes in full.
    const double close_out = flow + hedge_value(hedge, index, plan_, m, state(hedge.index, m), fixings);
    path_.hedge_close_out[h] = close_out;
    path_.hedge_end[h] = m;
    path_.hedge_counterparty_default[h] = 1;
    if (close_out > 0.0)
      hedge_due_ += hedge.recovery_rate * close_out;
    else
      termination_owed_ -= close_out;
  }
}

void CashWaterfall::terminate_hedges(std::size_t m) noexcept {
  // What the SPV has not paid of its periodic payments joins its close-out debt.
  termination_owed_ += hedge_unpaid_;
  hedge_unpaid_ = 0.0;
  for (std::size_t h = 0; h < plan_.hedges.size(); ++h) {
    const auto& hedge = plan_.hedges[h];
    if (path_.hedge_end[h] != 0 || m >= hedge.end) continue;
    const auto& index = rates_.indices[hedge.index];
    const auto fixings = index_fixings(hedge.index);
    const double close_out = hedge_value(hedge, index, plan_, m, state(hedge.index, m), fixings);
    path_.hedge_close_out[h] = close_out;
    path_.hedge_end[h] = m;
    // A performing counterparty pays what it owes; it reaches the collection account for the next date.
    if (close_out > 0.0) {
      account_ += close_out;
      path_.hedge_received += close_out;
    } else {
      termination_owed_ -= close_out;
    }
  }
}

void CashWaterfall::pay_hedges(const Step&, std::size_t) noexcept {
  const double net = hedge_due_ - hedge_unpaid_;
  hedge_due_ = 0.0;
  if (net >= 0.0) {
    available_ += net;
    path_.hedge_received += net;
    hedge_unpaid_ = 0.0;
    return;
  }
  // What the SPV cannot pay stays due, first on the next date.
  const double paid = std::min(available_, -net);
  available_ -= paid;
  path_.hedge_paid += paid;
  hedge_unpaid_ = -net - paid;
}

void CashWaterfall::pay_hedge_terminations(const Step&, std::size_t) noexcept {
  const double paid = std::min(available_, termination_owed_);
  available_ -= paid;
  termination_owed_ -= paid;
  path_.hedge_paid += paid;
}

void CashWaterfall::pay_principal_sequentially(std::size_t m) noexcept {
  for (std::size_t t = 0; t < plan_.tranches && available_ > 0.0; ++t) {
    const double paid = std::min(available_, path_.balance[t]);
    path_.balance[t] -= paid;
    available_ -= paid;
    at(path_.principal_paid, t, m) += paid;
  }
}

void CashWaterfall::pay_down(const std::vector<std::uint32_t>& tranches, bool pari_passu, std::size_t m) noexcept {
  if (!pari_passu) {
    for (const std::uint32_t t : tranches) {
      const double paid = std::min(available_, due_[t]);
      path_.balance[t] -= paid;
      available_ -= paid;
      at(path_.principal_paid, t, m) += paid;
    }
    return;
  }
  double total = 0.0;
  for (const std::uint32_t t : tranches) total += due_[t];
  if (total <= 0.0) return;
  const double paid = std::min(available_, total);
  for (const std::uint32_t t : tranches) {
    const double share = paid == total ? due_[t] : paid * (due_[t] / total);
    path_.balance[t] -= share;
    at(path_.principal_paid, t, m) += share;
  }
  available_ -= paid;
}

void CashWaterfall::pay_senior_expenses(const Step&, std::size_t m) noexcept {
  const double due = unpaid_fees_ + plan_.fees[m] + commitment_fee_due_;
  commitment_fee_due_ = 0.0;
  const double paid = std::min(available_, due);
  available_ -= paid;
  unpaid_fees_ = due - paid;
  path_.fees_paid += paid;
}

void CashWaterfall::pay_interest(const Step& step, std::size_t m) noexcept {
  std::size_t senior = plan_.tranches;
  for (std::size_t t = 0; t < plan_.tranches && senior == plan_.tranches; ++t)
    if (start_balance_[t] > 0.0) senior = t;
  // A shortfall on the most senior outstanding tranche draws the reserves, then is an event of default;
  // every other shortfall is capitalised.
  const auto draw_reserves = [&](double shortfall) {
    double drawn = 0.0;
    for (std::size_t a = 0; a < accounts_.size(); ++a) {
      if (!plan_.accounts[a].covers_senior_interest) continue;
      const double draw = std::min(accounts_[a], shortfall - drawn);
      accounts_[a] -= draw;
      drawn += draw;
    }
    return drawn;
  };
  if (!step.pari_passu) {
    for (const std::uint32_t t : step.tranches) {
      if (start_balance_[t] <= 0.0) continue;
      const double due = interest_due_[t];
      double paid = std::min(available_, due);
      available_ -= paid;
      if (t == senior && paid < due) paid += draw_reserves(due - paid);
      at(path_.interest_paid, t, m) += paid;
      if (paid < due) {
        path_.balance[t] += due - paid;
        if (t == senior) declare_default(m);
      }
    }
    return;
  }
  double due = 0.0;
  bool holds_senior = false;
  for (const std::uint32_t t : step.tranches)
    if (start_balance_[t] > 0.0) {
      due += interest_due_[t];
      holds_senior |= t == senior;
    }
  if (due <= 0.0) return;
  double paid = std::min(available_, due);
  available_ -= paid;
  if (holds_senior && paid < due) paid += draw_reserves(due - paid);
  for (const std::uint32_t t : step.tranches) {
    if (start_balance_[t] <= 0.0) continue;
    const double share = paid == due ? interest_due_[t] : paid * (interest_due_[t] / due);
    at(path_.interest_paid, t, m) += share;
    path_.balance[t] += interest_due_[t] - share;
  }
  if (holds_senior && paid < due) declare_default(m);
}

void CashWaterfall::fund_reserve(const Step& step, std::size_t m) noexcept {
  const auto& account = plan_.accounts[step.account];
  double& balance = accounts_[step.account];
  // Nothing is reserved past the final date.
  double target = 0.0;
  if (m < plan_.dates) {
    switch (account.target) {
      case calibration::TargetKind::months_of_interest:
        for (std::size_t t = 0; t < plan_.tranches; ++t)
          if (start_balance_[t] > 0.0) {
            // The next period's coupon, fixed today.
            target = account.target_value / 12.0 * coupon(t, m + 1) * start_balance_[t];
            break;
          }
        break;
      case calibration::TargetKind::months_of_debt_service:
        target = account.scheduled_target[m];
        break;
      case calibration::TargetKind::fixed:
        target = account.target_value;
        break;
      case calibration::TargetKind::balance_fraction:
        for (std::size_t t = 0; t < plan_.tranches; ++t) target += start_balance_[t];
        target *= account.target_value;
        break;
    }
  }
  if (balance < target) {
    const double top_up = std::min(available_, target - balance);
    balance += top_up;
    available_ -= top_up;
  } else {
    available_ += balance - target;
    balance = target;
  }
}

void CashWaterfall::pay_principal(const Step& step, std::size_t m) noexcept {
  const std::size_t columns = plan_.dates + 1;
  for (std::size_t i = 0; i < step.tranches.size(); ++i) {
    const std::uint32_t t = step.tranches[i];
    switch (step.mode) {
      case deal::PrincipalMode::scheduled:
        due_[t] = std::max(0.0, path_.balance[t] - due_target(t, m));
        break;
      case deal::PrincipalMode::target:
        due_[t] = std::max(0.0, path_.balance[t] - step.target[i * columns + m]);
        break;
      case deal::PrincipalMode::all_available:
        due_[t] = path_.balance[t];
        break;
    }
  }
  pay_down(step.tranches, step.pari_passu, m);
  if (step.mode != deal::PrincipalMode::scheduled) return;
  // A tranche not repaid at its legal maturity is an event of default: all cash then repays principal.
  for (const std::uint32_t t : step.tranches)
    if (plan_.maturity_date[t] <= m && path_.balance[t] > repaid) declare_default(m);
  // On an event of default declared this date, before enforcement, all cash repays principal in seniority order;
  // after enforcement the list itself says who is paid.
  if (defaulted_ && !accelerated_date_) pay_principal_sequentially(m);
}

void CashWaterfall::check_maturities(std::size_t m) noexcept {
  for (std::size_t t = 0; t < plan_.tranches; ++t)
    if (plan_.maturity_date[t] <= m && path_.balance[t] > repaid) declare_default(m);
  if (defaulted_) pay_principal_sequentially(m);
}

void CashWaterfall::sweep_cash(const Step&, std::size_t m) noexcept {
  double fraction = sweep_fraction_;
  // From a tranche's anticipated repayment date on, all excess cash repays principal.
  for (std::size_t t = 0; t < plan_.tranches; ++t)
    if (plan_.repayment_date[t] <= m && path_.balance[t] > 0.0) fraction = 1.0;
  if (fraction <= 0.0) return;
  const double swept = available_ * fraction;
  const double kept = available_ - swept;
  available_ = swept;
  pay_principal_sequentially(m);
  available_ += kept;
}

void CashWaterfall::trap_cash(const Step& step, std::size_t m) noexcept {
  bool trapping = false, applying = false;
  for (std::size_t c = 0; c < plan_.covenants.size(); ++c) {
    const auto& covenant = plan_.covenants[c];
    if (covenant.consequence != calibration::ConsequenceKind::cash_trap || covenant.account != step.account) continue;
    trapping |= trapping_[c] != 0;
    applying |= covenant.apply_after_failures > 0 && failures_[c] >= covenant.apply_after_failures;
  }
  double& balance = accounts_[step.account];
  if (applying) {
    available_ += balance;
    balance = 0.0;
    pay_principal_sequentially(m);
  } else if (trapping && m < plan_.dates) {
    balance += available_;
    available_ = 0.0;
  } else {
    // Released, or the final date: the deal ends and nothing stays trapped.
    available_ += balance;
    balance = 0.0;
  }
}

void CashWaterfall::pay_step_up_interest(const Step& step, std::size_t) noexcept {
  for (const std::uint32_t t : step.tranches) {
    const double paid = std::min(available_, deferred_step_up_[t]);
    deferred_step_up_[t] -= paid;
    available_ -= paid;
    path_.step_up_paid += paid;
  }
}

void CashWaterfall::distribute(const Step&, std::size_t m) noexcept {
  // Blocked cash stays in the collection account for the next date; nothing is blocked on the final one.
  if (distributions_blocked_ && m < plan_.dates) return;
  path_.equity[m] += available_;
  available_ = 0.0;
}

void CashWaterfall::pay_accelerated(const Step&, std::size_t m) noexcept {
  for (std::size_t t = 0; t < plan_.tranches; ++t) {
    const double due = path_.balance[t] * coupon(t, m) * plan_.accrual[m];
    const double paid = std::min(available_, due);
    available_ -= paid;
    at(path_.interest_paid, t, m) += paid;
    path_.balance[t] += due - paid;
    const double principal = std::min(available_, path_.balance[t]);
    path_.balance[t] -= principal;
    available_ -= principal;
    at(path_.principal_paid, t, m) += principal;
  }
}

}  // namespace computedebt::waterfall
