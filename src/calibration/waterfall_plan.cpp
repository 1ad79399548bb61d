#include <computedebt/calibration/plan.hpp>
#include <computedebt/calibration/waterfall_plan.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/core/overloaded.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <variant>

namespace computedebt::calibration {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

/// Payments a final bullet or balloon is larger than every earlier scheduled payment by at least this factor.
constexpr double balloon_factor = 1.0 + 1e-9;

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

/// Resolves tranche names to indices; every tranche, most senior first, when `names` is empty.
std::vector<std::uint32_t> tranche_indices(const std::vector<std::string>& names,
                                           const std::vector<std::string>& tranches) {
  std::vector<std::uint32_t> indices;
  if (names.empty())
    for (std::size_t t = 0; t < tranches.size(); ++t) indices.push_back(static_cast<std::uint32_t>(t));
  for (const auto& name : names)
    indices.push_back(static_cast<std::uint32_t>(std::find(tranches.begin(), tranches.end(), name) - tranches.begin()));
  return indices;
}

std::uint32_t account_index(const std::string& name, const std::vector<PlannedAccount>& accounts) {
  return static_cast<std::uint32_t>(
      std::find_if(accounts.begin(), accounts.end(), [&](const PlannedAccount& a) { return a.name == name; }) -
      accounts.begin());
}

PlannedStep plan_step(const deal::PaymentStep& step, const WaterfallPlan& plan) {
  using enum StepKind;
  return std::visit(
      Overloaded{
          [](const deal::SeniorExpenses&) { return PlannedStep{senior_expenses}; },
          [&](const deal::InterestPayment& s) {
            return PlannedStep{interest, tranche_indices(s.tranches, plan.names), s.pari_passu};
          },
          [&](const deal::ReserveFunding& s) {
            PlannedStep planned{reserve};
            planned.account = account_index(s.account, plan.accounts);
            return planned;
          },
          [&](const deal::PrincipalPayment& s) {
            PlannedStep planned{principal, tranche_indices(s.tranches, plan.names), s.pari_passu, s.mode};
            if (s.mode == deal::PrincipalMode::target)
              for (const std::uint32_t t : planned.tranches)
                for (std::size_t m = 0; m <= plan.dates; ++m) {
                  const double fraction = m == 0 ? 1.0 : m <= s.target_balances.size() ? s.target_balances[m - 1] : 0.0;
                  planned.target.push_back(plan.notional[t] * fraction);
                }
            return planned;
          },
          [](const deal::CashSweep&) { return PlannedStep{cash_sweep}; },
          [&](const deal::CashTrap& s) {
            PlannedStep planned{cash_trap};
            planned.account = account_index(s.account, plan.accounts);
            return planned;
          },
          [&](const deal::StepUpInterest& s) {
            return PlannedStep{step_up_interest, tranche_indices(s.tranches, plan.names)};
          },
          [](const deal::EquityDistribution&) { return PlannedStep{equity}; },
          [](const deal::HedgePayment&) { return PlannedStep{hedge}; },
          [](const deal::HedgeTermination&) { return PlannedStep{hedge_termination}; },
      },
      step);
}

/// The default priority: fees, the hedges, interest, each reserve, scheduled principal, the sweep when anything
/// calls for it, each trap, step-up interest after anticipated repayment dates, hedge terminations, equity.
std::vector<PlannedStep> default_priority(const WaterfallPlan& plan, bool sweep, bool step_up) {
  using enum StepKind;
  const auto all = tranche_indices({}, plan.names);
  std::vector<PlannedStep> steps{{senior_expenses}};
  if (!plan.hedges.empty()) steps.push_back({hedge});
  steps.push_back({interest, all});
  for (std::size_t a = 0; a < plan.accounts.size(); ++a)
    if (!plan.accounts[a].trap) {
      steps.push_back({reserve});
      steps.back().account = static_cast<std::uint32_t>(a);
    }
  steps.push_back({principal, all});
  if (sweep) steps.push_back({cash_sweep});
  for (std::size_t a = 0; a < plan.accounts.size(); ++a)
    if (plan.accounts[a].trap) {
      steps.push_back({cash_trap});
      steps.back().account = static_cast<std::uint32_t>(a);
    }
  if (step_up) steps.push_back({step_up_interest, all});
  if (!plan.hedges.empty()) steps.push_back({hedge_termination});
  steps.push_back({equity});
  return steps;
}

MetricKind metric_kind(const deal::CovenantMetric& metric) {
  return std::visit(Overloaded{
                        [](const deal::DebtServiceCoverage&) { return MetricKind::dscr; },
                        [](const deal::LoanToValue&) { return MetricKind::ltv; },
                        [](const deal::ContractedCoverage&) { return MetricKind::contracted_coverage; },
                        [](const deal::InvestmentGradeShare&) { return MetricKind::investment_grade_share; },
                        [](const deal::Liquidity&) { return MetricKind::liquidity; },
                        [](const deal::WeightedAverageRatingFactor&) { return MetricKind::rating_factor; },
                    },
                    metric);
}

CovenantPlan plan_covenant(const deal::Covenant& covenant, const WaterfallPlan& plan, const MonthGrid& grid) {
  CovenantPlan planned;
  planned.name = covenant.name;
  planned.metric = metric_kind(covenant.metric);
  planned.breached_above = deal::higher_is_worse(covenant.metric);
  if (const auto* dscr = std::get_if<deal::DebtServiceCoverage>(&covenant.metric)) {
    planned.trailing_dates =
        dscr->trailing_months == 0 ? 1 : static_cast<std::size_t>(dscr->trailing_months / plan.frequency_months);
    planned.include_balloon = dscr->include_balloon;
  }
  for (std::size_t m = 0; m <= plan.dates; ++m) {
    double level = covenant.level.initial;
    const Date date = grid.dates[static_cast<std::size_t>(plan.date_month[m])];
    for (const auto& step : covenant.level.steps)
      if (step.from <= date) level = step.level;
    planned.level.push_back(level);
  }
  std::visit(Overloaded{
                 [&](const deal::SweepCash& c) {
                   planned.consequence = ConsequenceKind::cash_sweep;
                   planned.sweep_fraction = c.fraction;
                 },
                 [&](const deal::TrapCash& c) {
                   planned.consequence = ConsequenceKind::cash_trap;
                   planned.account = account_index(c.account, plan.accounts);
                   planned.release_after_passes = c.release_after_passes;
                   planned.apply_after_failures = c.apply_after_failures;
                 },
                 [&](const deal::BlockDistributions&) { planned.consequence = ConsequenceKind::block_distributions; },
                 [&](const deal::MarginStepUp& c) {
                   planned.consequence = ConsequenceKind::margin_step_up;
                   planned.step_up = c.bp / 1e4;
                   planned.stepped_up.assign(plan.tranches, c.tranches.empty() ? 1 : 0);
                   for (const std::uint32_t t : tranche_indices(c.tranches, plan.names)) planned.stepped_up[t] = 1;
                 },
                 [&](const deal::DefaultAfterCure& c) {
                   planned.consequence = ConsequenceKind::default_after_cure;
                   planned.cure_period_months = c.cure_period_months;
                   planned.equity_cures = c.equity_cures;
                 },
             },
             covenant.consequence);
  return planned;
}

/// A trigger shorthand: a covenant on the period's DSCR (bullets included) or LTV with a full sweep.
CovenantPlan trigger(std::string name, MetricKind metric, double level, std::size_t dates) {
  CovenantPlan planned;
  planned.name = std::move(name);
  planned.metric = metric;
  planned.breached_above = metric == MetricKind::ltv;
  planned.level.assign(dates + 1, level);
  return planned;
}

/// Per contract and date, the PV at the date of the payments after it, overall and investment-grade only.
void plan_contract_values(WaterfallPlan& waterfall, const deal::Deal& deal, const Plan& plan) {
  const auto& collateral = plan.collateral;
  const auto& counterparties = deal.counterparties;
  const auto investment_grade = [&](std::uint32_t name) {
    return name != no_guarantor && counterparties[name].rating &&
           deal::is_investment_grade(*counterparties[name].rating);
  };
  // The better of the two ratings' factors; NaN when neither is rated (a rating factor metric refuses that).
  const auto factor = [&](std::uint32_t name, std::uint32_t guarantor) {
    double best = std::numeric_limits<double>::quiet_NaN();
    for (const std::uint32_t n : {name, guarantor})
      if (n != no_guarantor && counterparties[n].rating)
        best = std::fmin(best, deal::rating_factor(*counterparties[n].rating));
    return best;
  };
  const std::size_t columns = waterfall.dates + 1;
  waterfall.total_contract_value.assign(columns, 0.0);
  waterfall.total_investment_grade_value.assign(columns, 0.0);
  waterfall.total_rating_factor_value.assign(columns, 0.0);
  for (std::size_t c = 0; c < collateral.contracts; ++c) {
    const std::uint32_t name = plan.contracts.counterparty[c], guarantor = plan.contracts.guarantor[c];
    const bool grade = investment_grade(name) || investment_grade(guarantor);
    const double rating_factor = factor(name, guarantor);
    for (std::size_t m = 0; m < columns; ++m) {
      const auto k = static_cast<std::size_t>(waterfall.date_month[m]);
      const std::size_t at = c * collateral.columns + k;
      // The claim at month k holds that month's payment at no discount; what follows it is the rest. At t0 every
      // payment is still to come: the claim at month 1, discounted over that month.
      const double value = k > 0                    ? collateral.claim[at] - collateral.payments[at]
                           : collateral.columns > 1 ? collateral.claim[at + 1] * plan.discount_factors[1]
                                                    : 0.0;
      waterfall.contract_value.push_back(value);
      waterfall.investment_grade_value.push_back(grade ? value : 0.0);
      waterfall.rating_factor_value.push_back(value * rating_factor);
      waterfall.total_contract_value[m] += value;
      if (grade) waterfall.total_investment_grade_value[m] += value;
      waterfall.total_rating_factor_value[m] += value * rating_factor;
    }
  }
}

/// The borrowing base's test, a covenant on its headroom: a deficiency of more than 0.01 breaches it.
CovenantPlan borrowing_base_test(const deal::BorrowingBase& base, std::size_t dates) {
  CovenantPlan planned;
  planned.name = "borrowing_base";
  planned.metric = MetricKind::borrowing_base;
  planned.level.assign(dates + 1, -0.01);
  planned.consequence = ConsequenceKind::mandatory_prepayment;
  planned.cure_period_months = base.cure_period_months;
  return planned;
}

/// Resolves the borrowing base onto the payment dates, its contract values read from `plan.contract_value`
/// (docs/methodology.md section 5.7).
BorrowingBasePlan plan_borrowing_base(const deal::BorrowingBase& base, const deal::Deal& deal,
                                      const WaterfallPlan& plan, const Plan& source) {
  BorrowingBasePlan planned;
  planned.dates = plan.dates;
  planned.gpu_types = source.gpu.types;
  planned.facility.assign(plan.tranches, 0);
  for (const std::uint32_t t : tranche_indices(base.tranches, plan.names)) planned.facility[t] = 1;
  planned.advance_rates = base.advance_rates;
  const auto& limits = base.concentration_limits;
  planned.single_counterparty_limit = limits.single_counterparty.value_or(1.0);
  planned.sub_investment_grade_limit = limits.sub_investment_grade.value_or(1.0);
  planned.single_gpu_type_limit = limits.single_gpu_type.value_or(1.0);
  planned.cure_period_months = base.cure_period_months;

  const auto& contracts = source.contracts;
  const auto grade = [&](std::uint32_t name) {
    const auto& rating = deal.counterparties[name].rating;
    return rating && deal::is_investment_grade(*rating);
  };
  const std::size_t columns = plan.dates + 1;
  for (std::size_t c = 0; c < contracts.contracts; ++c) {
    const std::uint32_t name = contracts.counterparty[c], guarantor = contracts.guarantor[c];
    planned.counterparty.push_back(name);
    planned.guarantor.push_back(guarantor);
    planned.investment_grade.push_back(grade(name) ? 1 : 0);
    planned.investment_grade_guarantee.push_back(guarantor != no_guarantor && grade(guarantor) ? 1 : 0);
    planned.guarantee_end_month.push_back(contracts.guarantee_end_month[c]);
    planned.guarantee_cap.push_back(contracts.guarantee_cap[c]);
    // A lease of a delivery's GPUs is eligible from the delivery's funding date: before it there is nothing to lease.
    const std::uint32_t delivery =
        source.collateral.contract_delivery.empty() ? no_delivery : source.collateral.contract_delivery[c];
    const std::size_t from = delivery == no_delivery ? 0 : plan.delivery_date[delivery];
    // A lease in a facility valued on its income is in that value, when the base advances on it: not counted twice.
    const std::uint32_t in = source.facilities.any() ? source.facilities.contract_facility[c] : no_facility;
    const bool in_value =
        in != no_facility && source.facilities.cap_rate[in] > 0.0 && base.advance_rates.facilities > 0.0;
    for (std::size_t m = 0; m < columns; ++m) {
      const Date date = source.grid.dates[static_cast<std::size_t>(plan.date_month[m])];
      const bool long_enough = deal.contracts[c].end_date >= add_months(date, base.minimum_remaining_months);
      planned.eligible_value.push_back(long_enough && m >= from && !in_value ? plan.contract_value[c * columns + m]
                                                                             : 0.0);
    }
  }
  // Grouped by counterparty, each group in deal order: a counting sort.
  planned.group_start.assign(source.credit.names + 1, 0);
  for (const std::uint32_t name : planned.counterparty) ++planned.group_start[name + 1];
  for (std::size_t name = 0; name < source.credit.names; ++name)
    planned.group_start[name + 1] += planned.group_start[name];
  planned.by_counterparty.resize(contracts.contracts);
  std::vector<std::uint32_t> next(planned.group_start.begin(), planned.group_start.end() - 1);
  for (std::uint32_t c = 0; c < contracts.contracts; ++c) planned.by_counterparty[next[planned.counterparty[c]]++] = c;
  for (std::size_t m = 0; m < columns; ++m)
    planned.contract_base.push_back(planned.contracts_at(m, plan.date_month[m], {}).base(planned.advance_rates));

  const auto& gpu = source.gpu;
  std::vector<double> type_value(gpu.types, 0.0);
  for (std::size_t c = 0; c < gpu.cohorts; ++c)
    type_value[gpu.cohort_type[c]] += static_cast<double>(gpu.cohort_count[c]) * gpu.cohort_value[c * gpu.columns] *
                                      gpu.initial_multiplier[gpu.cohort_type[c]];
  planned.initial = planned.contracts_at(0, 0, {});
  planned.add_gpus(planned.initial, type_value);
  for (const double value : source.facilities.initial_value) planned.initial.facilities += value;
  planned.initial_base = planned.initial.base(planned.advance_rates);
  for (std::size_t t = 0; t < plan.tranches; ++t)
    if (planned.facility[t]) planned.initial_balance += plan.notional[t];
  return planned;
}

/// The deliveries' funding dates and the delayed draws on them: each draw's scheduled balance from its own date on
/// its tranche's amortisation, added to the tranche's target, promised flows and debt service (docs/methodology.md
/// section 5.8).
void plan_draws(WaterfallPlan& plan, const deal::Deal& deal, const deal::Waterfall& structure, const Plan& source,
                std::vector<double>& debt_service) {
  const std::size_t columns = plan.dates + 1;
  const int p = plan.frequency_months;
  const auto& deliveries = source.collateral.deliveries;
  plan.draw_at.assign(plan.tranches * columns, 0.0);
  plan.commitment.assign(plan.tranches, 0.0);
  plan.commitment_fee.assign(plan.tranches, 0.0);
  plan.availability_date.assign(plan.tranches, 0);
  plan.cancel_refused.assign(plan.tranches, 0);
  plan.delivery_draw.assign(deliveries.size(), no_draw);
  for (const auto& delivery : deliveries) {
    plan.delivery_date.push_back(static_cast<std::size_t>(delivery.month / p));
    plan.delivery_value.push_back(delivery.count * source.gpu.cohort_funding_value[delivery.cohort]);
    plan.delivery_cost.push_back(delivery.cost);
    const auto& id = (*deal.fleet)[delivery.cohort].id;
    plan.delivery_name.push_back(id.empty() ? "fleet[" + std::to_string(delivery.cohort) + "]" : id);
    plan.delivery_type.push_back(delivery.type);
  }
  for (std::size_t t = 0; t < plan.tranches; ++t) {
    const auto& tranche = structure.tranches[t];
    if (!tranche.delayed_draw) continue;
    const auto& terms = *tranche.delayed_draw;
    plan.commitment[t] = terms.commitment;
    plan.commitment_fee[t] = terms.commitment_fee_bp / 1e4;
    // The fee runs to the end of availability, never past the legal maturity.
    plan.availability_date[t] =
        std::min(static_cast<std::size_t>(deal::funding_month(deal.valuation_date, p, terms.availability_end) / p),
                 std::min(plan.maturity_date[t], plan.dates));
    plan.cancel_refused[t] = terms.refused_draw == deal::RefusedDraw::cancel_delivery ? 1 : 0;
    const double* coupon = plan.coupon.data() + t * columns;
    const deal::Amortization& draw_amortization =
        terms.draw_amortization ? *terms.draw_amortization : tranche.amortization;
    for (const auto& draw : terms.draws) {
      std::size_t d = 0, date = 0;
      double amount = draw.amount;
      if (draw.cohort.empty()) {
        // A dated draw, on the first payment date on or after its date.
        d = no_delivery;
        date = static_cast<std::size_t>(deal::funding_month(deal.valuation_date, p, draw.date) / p);
      } else {
        while (d < deliveries.size() && (*deal.fleet)[deliveries[d].cohort].id != draw.cohort) ++d;
        require(d < deliveries.size(), "a draw names a cohort that is not a delivery: load the deal to validate it");
        date = plan.delivery_date[d];
        amount = draw.advance_rate * deliveries[d].cost;
      }
      const std::size_t j = plan.draws.size();
      if (d != no_delivery) plan.delivery_draw[d] = static_cast<std::uint32_t>(j);
      // The draw's own schedule: level from its date over its term, or a bullet; all due at maturity.
      const auto* level = std::get_if<deal::Level>(&draw_amortization);
      plan.draws.push_back(
          {static_cast<std::uint32_t>(t), static_cast<std::uint32_t>(d), date, amount, level ? level->term_months : 0});
      plan.draw_at[t * columns + date] += amount;
      double previous = 0.0;
      for (std::size_t m = 0; m < columns; ++m) {
        const double scheduled = plan.draw_schedule(j, date, m);
        plan.draw_target.push_back(scheduled);
        const std::size_t at = t * columns + m;
        plan.target[at] += scheduled;
        if (m > date)
          plan.promised_flow[at] += previous * coupon[m] * plan.accrual[m] + previous - scheduled;
        else if (m == date) {
          plan.promised_flow[at] -= amount;
        }
        previous = scheduled;
      }
    }
    // The combined schedule's balloon (a draw's tail at the legal maturity) and debt service.
    double largest = 0.0;
    std::size_t balloon = columns;
    std::vector<double> service(columns, 0.0), principal(columns, 0.0);
    for (std::size_t m = 1; m < columns; ++m) {
      const std::size_t at = t * columns + m;
      const double opening = plan.target[at - 1], closing = plan.target[at] - plan.draw_at[at];
      principal[m] = opening - closing;
      service[m] = opening * coupon[m] * plan.accrual[m];
      if (closing == 0.0 && opening > 0.0 && principal[m] > balloon_factor * largest && balloon == columns) balloon = m;
      largest = std::max(largest, principal[m]);
    }
    plan.balloon_date[t] = balloon;
    for (std::size_t m = 1; m < columns; ++m) debt_service[m] += service[m] + (m < balloon ? principal[m] : 0.0);
  }
}

/// Whether a metric reads the contracts' values.
bool reads_contracts(const deal::CovenantMetric& metric) {
  return std::holds_alternative<deal::ContractedCoverage>(metric) ||
         std::holds_alternative<deal::InvestmentGradeShare>(metric) ||
         std::holds_alternative<deal::WeightedAverageRatingFactor>(metric);
}

/// A tranche's margin grid, its first period's margin read from the metric at `t0` (docs/methodology.md section
/// 5.5).
PlannedMarginGrid plan_margin_grid(const deal::MarginGrid& grid, const deal::FloatingRate& rate, std::size_t tranche,
                                   const deal::Waterfall& structure, const WaterfallPlan& plan, const Plan& source) {
  PlannedMarginGrid planned;
  planned.tranche = tranche;
  planned.metric = metric_kind(grid.metric);
  planned.higher_is_worse = deal::higher_is_worse(grid.metric);
  for (const auto& level : grid.levels) {
    planned.threshold.push_back(level.threshold);
    planned.margin.push_back(level.margin_bp / 1e4);
  }
  planned.otherwise = rate.margin_bp / 1e4;
  double debt = 0.0;
  for (const auto& t : structure.tranches) debt += t.notional;
  const double contracted = plan.uses_contract_values ? plan.total_contract_value[0] : 0.0;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  double value = nan;
  switch (planned.metric) {
    case MetricKind::ltv: {
      const double collateral = source.initial_collateral_value();
      value = collateral > 0.0 ? debt / collateral : std::numeric_limits<double>::infinity();
      break;
    }
    case MetricKind::contracted_coverage:
      value = contracted / debt;
      break;
    case MetricKind::investment_grade_share:
      value = contracted > 0.0 ? plan.total_investment_grade_value[0] / contracted : nan;
      break;
    case MetricKind::rating_factor:
      value = contracted > 0.0 ? plan.total_rating_factor_value[0] / contracted : nan;
      break;
    case MetricKind::dscr:
    case MetricKind::liquidity:
    case MetricKind::borrowing_base:
      break;  // refused by the reader: no value at t0
  }
  planned.initial = planned.margin_at(value);
  return planned;
}

}  // namespace

namespace {

PlannedHedge plan_hedge(const deal::Hedge& hedge, const deal::Deal& deal, const WaterfallPlan& plan,
                        const Plan& source) {
  PlannedHedge planned{hedge.name, hedge.kind, source.rates.find(hedge.index), 0, hedge.rate, 0.0, {}};
  const auto counterparty = std::find_if(deal.counterparties.begin(), deal.counterparties.end(),
                                         [&](const deal::Counterparty& c) { return c.id == hedge.counterparty; });
  planned.counterparty = static_cast<std::uint32_t>(counterparty - deal.counterparties.begin());
  planned.recovery_rate = source.credit.recovery_rates[planned.counterparty];
  const auto end = static_cast<std::size_t>(
      deal::last_payment_month(source.grid.dates.front(), plan.frequency_months, hedge.end_date) /
      plan.frequency_months);
  planned.end = std::min(end, plan.dates);
  planned.notional.assign(plan.dates + 1, 0.0);
  for (std::size_t m = 1; m <= std::min(end, plan.dates); ++m)
    planned.notional[m] = std::visit(
        Overloaded{[](double amount) { return amount; },
                   [&](const deal::TrancheNotional& n) {
                     const auto t = static_cast<std::size_t>(
                         std::find(plan.names.begin(), plan.names.end(), n.tranche) - plan.names.begin());
                     return n.share * plan.at(plan.target, t, m - 1);
                   },
                   [&](const std::vector<double>& schedule) { return m <= schedule.size() ? schedule[m - 1] : 0.0; }},
        hedge.notional);
  return planned;
}

}  // namespace

double WaterfallPlan::floating_coupon(std::size_t t, double fixing, double tranche_margin) const noexcept {
  // Lenders never pay interest: the all-in coupon is floored at 0 (docs/methodology.md section 5.5).
  return std::max(0.0, tranche_margin + std::clamp(fixing, index_floor[t], index_cap[t]));
}

void WaterfallPlan::fix_coupons(std::span<const double> fixings, std::span<double> coupons,
                                std::span<double> discount) const noexcept {
  const std::size_t columns = dates + 1;
  for (std::size_t t = 0; t < tranches; ++t) {
    const std::size_t row = t * columns;
    if (rate_index[t] == fixed_rate) {
      std::copy_n(coupon.begin() + static_cast<std::ptrdiff_t>(row), columns,
                  coupons.begin() + static_cast<std::ptrdiff_t>(row));
    } else {
      const double* fixing = fixings.data() + rate_index[t] * columns;
      for (std::size_t m = 1; m < columns; ++m) coupons[row + m] = floating_coupon(t, fixing[m]);
      coupons[row] = columns > 1 ? coupons[row + 1] : 0.0;
    }
    double factor = 1.0;
    discount[row] = 1.0;
    for (std::size_t m = 1; m < columns; ++m) discount[row + m] = factor /= 1.0 + coupons[row + m] * accrual[m];
  }
}

WaterfallPlan plan_waterfall(const deal::Deal& deal, const deal::Waterfall& structure, const Plan& source) {
  const MonthGrid& grid = source.grid;
  const std::vector<double>& discount = source.discount_factors;
  WaterfallPlan plan;
  const int p = structure.payment_frequency_months;
  plan.frequency_months = p;
  plan.dates = static_cast<std::size_t>(grid.months() / p);
  plan.tranches = structure.tranches.size();
  plan.path_rates = source.rates.hull_white;
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
  // Contract values come first: a margin grid reads them at t0 for its tranche's first period.
  for (const auto& covenant : structure.covenants) plan.uses_contract_values |= reads_contracts(covenant.metric);
  for (const auto& tranche : structure.tranches)
    if (tranche.floating && tranche.floating->margin_grid)
      plan.uses_contract_values |= reads_contracts(tranche.floating->margin_grid->metric);
  plan.uses_contract_values |= structure.borrowing_base.has_value();
  if (plan.uses_contract_values) plan_contract_values(plan, deal, source);
  const Date t0 = grid.dates.front();
  std::vector<double> debt_service(columns, 0.0);  // Scheduled, bullets and balloons excluded.
  for (const auto& tranche : structure.tranches) {
    plan.names.push_back(tranche.name);
    plan.notional.push_back(tranche.notional);
    const std::size_t first = plan.coupon.size();
    plan.coupon.resize(first + columns, tranche.coupon);
    plan.rate_index.push_back(tranche.floating ? source.rates.find(tranche.floating->index) : fixed_rate);
    plan.margin.push_back(tranche.floating ? tranche.floating->margin_bp / 1e4 : 0.0);
    if (tranche.floating && tranche.floating->margin_grid) {
      plan.margin_grids.push_back(plan_margin_grid(*tranche.floating->margin_grid, *tranche.floating,
                                                   plan.names.size() - 1, structure, plan, source));
      plan.margin.back() = plan.margin_grids.back().initial;  // projected at the first period's margin
    }
    plan.index_floor.push_back(tranche.floating && tranche.floating->floor ? *tranche.floating->floor : -infinity);
    plan.index_cap.push_back(tranche.floating && tranche.floating->cap ? *tranche.floating->cap : infinity);
    if (tranche.floating) {
      const auto& index = source.rates.indices[plan.rate_index.back()];
      for (std::size_t m = 1; m < columns; ++m)
        plan.coupon[first + m] = plan.floating_coupon(plan.names.size() - 1, index.projected[m]);
      plan.coupon[first] = columns > 1 ? plan.coupon[first + 1] : 0.0;
    }
    const double* coupon = plan.coupon.data() + first;
    const auto maturity = static_cast<std::size_t>(deal::last_payment_month(t0, p, tranche.legal_maturity) / p);
    plan.maturity_date.push_back(maturity);
    double scheduled = tranche.notional, factor = 1.0, largest = 0.0;
    std::size_t balloon = columns;
    std::vector<double> interest(columns, 0.0), principal(columns, 0.0);
    for (std::size_t m = 0; m < columns; ++m) {
      if (m == 0) {
        plan.target.push_back(tranche.notional);
        plan.coupon_discount.push_back(1.0);
        plan.promised_flow.push_back(0.0);
        continue;
      }
      const double target = m >= maturity ? 0.0 : std::min(scheduled, scheduled_target(tranche, m, p));
      interest[m] = scheduled * coupon[m] * plan.accrual[m];
      principal[m] = scheduled - target;
      plan.target.push_back(target);
      plan.promised_flow.push_back(interest[m] + scheduled - target);
      factor /= 1.0 + coupon[m] * plan.accrual[m];
      plan.coupon_discount.push_back(factor);
      if (target == 0.0 && scheduled > 0.0 && principal[m] > balloon_factor * largest) balloon = m;
      largest = std::max(largest, principal[m]);
      scheduled = target;
    }
    plan.balloon_date.push_back(balloon);
    // A delayed-draw tranche's debt service and balloon follow its draws too (`plan_draws`).
    if (!tranche.delayed_draw)
      for (std::size_t m = 1; m < columns; ++m) debt_service[m] += interest[m] + (m < balloon ? principal[m] : 0.0);
    std::size_t repayment = columns;
    if (tranche.anticipated_repayment)
      for (std::size_t m = columns; m-- > 1;)
        if (grid.dates[static_cast<std::size_t>(plan.date_month[m])] >= tranche.anticipated_repayment->date)
          repayment = m;
    plan.repayment_date.push_back(repayment);
    plan.step_up.push_back(tranche.anticipated_repayment ? tranche.anticipated_repayment->coupon_step_up_bp / 1e4
                                                         : 0.0);
  }

  plan_draws(plan, deal, structure, source, debt_service);
  for (const auto& hedge : structure.hedges) plan.hedges.push_back(plan_hedge(hedge, deal, plan, source));

  if (structure.reserve_account)
    plan.accounts.push_back({"reserve",
                             false,
                             TargetKind::months_of_interest,
                             structure.reserve_account->target_months_of_interest,
                             {},
                             structure.reserve_account->initial_balance,
                             true});
  for (const auto& account : structure.accounts) {
    PlannedAccount planned{account.name, account.kind == deal::AccountKind::trap};
    planned.initial_balance = account.initial_balance;
    planned.covers_senior_interest = account.covers_senior_interest;
    std::visit(Overloaded{
                   [&](const deal::MonthsOfInterest& t) {
                     planned.target = TargetKind::months_of_interest;
                     planned.target_value = t.months;
                   },
                   [&](const deal::MonthsOfDebtService& t) {
                     planned.target = TargetKind::months_of_debt_service;
                     const auto ahead = static_cast<std::size_t>(t.months / p);
                     for (std::size_t m = 0; m < columns; ++m) {
                       double sum = 0.0;
                       for (std::size_t j = m + 1; j <= std::min(m + ahead, plan.dates); ++j) sum += debt_service[j];
                       planned.scheduled_target.push_back(sum);
                     }
                   },
                   [&](const deal::FixedAmount& t) {
                     planned.target = TargetKind::fixed;
                     planned.target_value = t.amount;
                   },
                   [&](const deal::BalanceFraction& t) {
                     planned.target = TargetKind::balance_fraction;
                     planned.target_value = t.fraction;
                   },
               },
               account.target);
    plan.accounts.push_back(std::move(planned));
  }

  if (structure.triggers.dscr_cash_sweep)
    plan.covenants.push_back(
        trigger("dscr_cash_sweep", MetricKind::dscr, *structure.triggers.dscr_cash_sweep, plan.dates));
  if (structure.triggers.ltv_cash_sweep)
    plan.covenants.push_back(
        trigger("ltv_cash_sweep", MetricKind::ltv, *structure.triggers.ltv_cash_sweep, plan.dates));
  // The borrowing base is tested before the covenants, so that they see the balances after its prepayment.
  if (structure.borrowing_base) {
    plan.borrowing_base = plan_borrowing_base(*structure.borrowing_base, deal, plan, source);
    plan.borrowing_base->covenant = plan.covenants.size();
    plan.covenants.push_back(borrowing_base_test(*structure.borrowing_base, plan.dates));
  }
  for (const auto& covenant : structure.covenants) plan.covenants.push_back(plan_covenant(covenant, plan, grid));
  for (std::size_t c = 0; c < plan.covenants.size(); ++c)
    if (plan.covenants[c].metric == MetricKind::dscr && plan.fan_chart_dscr == no_covenant) plan.fan_chart_dscr = c;
  plan.equity_investment = structure.equity.investment;

  const bool any_repayment_date =
      std::any_of(plan.repayment_date.begin(), plan.repayment_date.end(), [&](std::size_t m) { return m < columns; });
  const bool any_sweep = std::any_of(plan.covenants.begin(), plan.covenants.end(), [](const CovenantPlan& c) {
    return c.consequence == ConsequenceKind::cash_sweep;
  });
  if (structure.priority_of_payments) {
    for (const auto& step : structure.priority_of_payments->before_enforcement)
      plan.priority.push_back(plan_step(step, plan));
    for (const auto& step : structure.priority_of_payments->after_enforcement)
      plan.after_default.push_back(plan_step(step, plan));
  } else {
    plan.priority = default_priority(plan, any_sweep || any_repayment_date, any_repayment_date);
  }
  if (plan.after_default.empty()) {
    plan.after_default = {{StepKind::senior_expenses}, {StepKind::accelerated}, {StepKind::equity}};
    // A close-out the SPV owes after its own default ranks with the senior debt, as swap counterparties require.
    if (!plan.hedges.empty()) plan.after_default.insert(plan.after_default.begin() + 1, {StepKind::hedge_termination});
  }
  return plan;
}

}  // namespace computedebt::calibration
