// The term-sheet parts of a waterfall: accounts, the priority of payments, covenants and anticipated
// repayment dates and the borrowing base (docs/deal_format.md, "Term sheets").

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>

#include "ranges.hpp"
#include "readers.hpp"

namespace computedebt::io::detail {

using namespace computedebt::deal;

namespace {

inline constexpr Range step_up_bp{0.0, 1e4, true, true, "a step-up in [0, 10000] bp"};
inline constexpr Range covenant_level{0.0, max_amount, true, true, "a level >= 0 (at most 1e15)"};

/// Reads `type` and hands back the object reader's verdict: nothing when `type` is missing.
std::optional<std::string> read_type(ObjectReader& object) {
  auto type = read_member(object, "type", true, read_string);
  if (!type) object.ignore_rest();
  return type;
}

/// Reports an unknown `type`, listing the accepted ones.
void unknown_type(ObjectReader& object, const std::string& type, std::string_view accepted) {
  object.problems().add(member_path(object.path(), "type"), fmt::format("expected {}, got \"{}\"", accepted, type));
  object.ignore_rest();
}

std::vector<std::string> read_names(ObjectReader& object, std::string_view key) {
  std::vector<std::string> names;
  if (auto field = object.optional(key))
    if (auto elements = read_array(*field, object.problems(), false))
      for (const auto& element : *elements)
        if (auto name = read_id(element, object.problems())) names.push_back(*name);
  return names;
}

std::optional<AccountTarget> read_target(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  auto type = read_type(object);
  if (!type) return std::nullopt;
  if (*type == "months_of_interest") {
    if (auto months = read_member(object, "months", true, read_number, months_of_interest))
      return MonthsOfInterest{*months};
  } else if (*type == "months_of_debt_service") {
    if (auto months = read_member(object, "months", true, read_integer, 1, 120))
      return MonthsOfDebtService{static_cast<int>(*months)};
  } else if (*type == "fixed") {
    if (auto amount = read_member(object, "amount", true, read_number, non_negative_amount))
      return FixedAmount{*amount};
  } else if (*type == "balance_fraction") {
    if (auto share = read_member(object, "fraction", true, read_number, fraction)) return BalanceFraction{*share};
  } else {
    unknown_type(object, *type, R"("months_of_interest", "months_of_debt_service", "fixed" or "balance_fraction")");
  }
  return std::nullopt;
}

std::vector<Account> read_accounts(const Field& field, Problems& problems) {
  std::vector<Account> accounts;
  auto elements = read_array(field, problems);
  if (!elements) return accounts;
  for (const auto& element : *elements) {
    ObjectReader object(element.value, element.path, problems);
    if (!object.valid()) continue;
    Account account;
    if (auto name = read_member(object, "name", true, read_id)) account.name = *name;
    auto type = read_type(object);
    if (!type) continue;
    if (*type == "reserve") {
      if (auto target = object.required("target"))
        if (auto value = read_target(*target, problems)) account.target = *value;
      if (auto covers = read_member(object, "covers_senior_interest", false, read_bool))
        account.covers_senior_interest = *covers;
    } else if (*type == "trap") {
      account.kind = AccountKind::trap;
      account.covers_senior_interest = false;
    } else {
      unknown_type(object, *type, R"("reserve" or "trap")");
      continue;
    }
    if (auto balance = read_member(object, "initial_balance", false, read_number, non_negative_amount))
      account.initial_balance = *balance;
    accounts.push_back(std::move(account));
  }
  return accounts;
}

std::optional<PaymentStep> read_step(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  auto type = read_type(object);
  if (!type) return std::nullopt;
  const auto pari_passu = [&] { return read_member(object, "pari_passu", false, read_bool).value_or(false); };
  if (*type == "senior_expenses") return SeniorExpenses{};
  if (*type == "interest") {
    InterestPayment step;
    step.tranches = read_names(object, "tranches");
    step.pari_passu = pari_passu();
    return step;
  }
  if (*type == "reserve") {
    if (auto account = read_member(object, "account", true, read_id)) return ReserveFunding{*account};
    return std::nullopt;
  }
  if (*type == "principal") {
    PrincipalPayment step;
    step.tranches = read_names(object, "tranches");
    step.pari_passu = pari_passu();
    const auto mode = read_member(object, "mode", false, read_string).value_or("scheduled");
    if (mode == "scheduled") {
      step.mode = PrincipalMode::scheduled;
    } else if (mode == "all_available") {
      step.mode = PrincipalMode::all_available;
    } else if (mode == "target") {
      step.mode = PrincipalMode::target;
      if (auto balances = object.required("target_balances"))
        if (auto fractions = read_numbers(*balances, problems, fraction)) step.target_balances = *fractions;
    } else {
      problems.add(member_path(field.path, "mode"),
                   fmt::format(R"(expected "scheduled", "target" or "all_available", got "{}")", mode));
    }
    return step;
  }
  if (*type == "cash_sweep") return CashSweep{};
  if (*type == "cash_trap") {
    if (auto account = read_member(object, "account", true, read_id)) return CashTrap{*account};
    return std::nullopt;
  }
  if (*type == "step_up_interest") {
    StepUpInterest step;
    step.tranches = read_names(object, "tranches");
    return step;
  }
  if (*type == "equity") return EquityDistribution{};
  if (*type == "hedge") return HedgePayment{};
  if (*type == "hedge_termination") return HedgeTermination{};
  unknown_type(object, *type,
               R"("senior_expenses", "interest", "reserve", "principal", "cash_sweep", "cash_trap", )"
               R"("step_up_interest", "hedge", "hedge_termination" or "equity")");
  return std::nullopt;
}

std::vector<PaymentStep> read_steps(const Field& field, Problems& problems) {
  std::vector<PaymentStep> steps;
  auto elements = read_array(field, problems, false);
  if (!elements) return steps;
  for (const auto& element : *elements)
    if (auto step = read_step(element, problems)) steps.push_back(std::move(*step));
  if (!steps.empty() && !std::holds_alternative<EquityDistribution>(steps.back()))
    problems.add(element_path(field.path, elements->size() - 1),
                 R"(expected the last step to be {"type": "equity"}: the rest of the cash goes to equity)");
  return steps;
}

std::optional<CovenantLevel> read_level(const Field& field, Problems& problems) {
  if (field.value.is_number()) {
    if (auto level = read_number(field, problems, covenant_level)) return CovenantLevel{*level, {}};
    return std::nullopt;
  }
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  CovenantLevel level;
  const std::size_t before = problems.size();
  if (auto initial = read_member(object, "initial", true, read_number, covenant_level)) level.initial = *initial;
  if (auto steps = object.required("steps")) {
    if (auto elements = read_array(*steps, problems, false)) {
      for (const auto& element : *elements) {
        ObjectReader step(element.value, element.path, problems);
        auto from = read_member(step, "from", true, read_date);
        auto value = read_member(step, "level", true, read_number, covenant_level);
        if (from && value) {
          if (!level.steps.empty() && *from <= level.steps.back().from)
            problems.add(member_path(element.path, "from"), "expected dates in increasing order");
          level.steps.push_back({*from, *value});
        }
      }
    }
  }
  if (problems.size() != before) return std::nullopt;
  return level;
}

std::optional<CovenantConsequence> read_consequence(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  auto type = read_type(object);
  if (!type) return std::nullopt;
  if (*type == "cash_sweep") {
    SweepCash sweep;
    if (auto share = read_member(object, "fraction", false, read_number, fraction)) sweep.fraction = *share;
    return sweep;
  }
  if (*type == "cash_trap") {
    TrapCash trap;
    if (auto account = read_member(object, "account", true, read_id)) trap.account = *account;
    if (auto passes = read_member(object, "release_after_passes", false, read_integer, 1, 1200))
      trap.release_after_passes = static_cast<int>(*passes);
    if (auto failures = read_member(object, "apply_after_failures", false, read_integer, 0, 1200))
      trap.apply_after_failures = static_cast<int>(*failures);
    return trap;
  }
  if (*type == "block_distributions") return BlockDistributions{};
  if (*type == "margin_step_up") {
    MarginStepUp step_up;
    if (auto bp = read_member(object, "bp", true, read_number, step_up_bp)) step_up.bp = *bp;
    step_up.tranches = read_names(object, "tranches");
    return step_up;
  }
  if (*type == "event_of_default") {
    DefaultAfterCure event;
    if (auto months = read_member(object, "cure_period_months", false, read_integer, 0, max_lag_months))
      event.cure_period_months = static_cast<int>(*months);
    if (auto cures = read_member(object, "equity_cures", false, read_integer, 0, 1000))
      event.equity_cures = static_cast<int>(*cures);
    return event;
  }
  unknown_type(object, *type,
               R"("cash_sweep", "cash_trap", "block_distributions", "margin_step_up" or "event_of_default")");
  return std::nullopt;
}

std::vector<Covenant> read_covenants(const Field& field, Problems& problems) {
  std::vector<Covenant> covenants;
  auto elements = read_array(field, problems);
  if (!elements) return covenants;
  for (const auto& element : *elements) {
    ObjectReader object(element.value, element.path, problems);
    if (!object.valid()) continue;
    Covenant covenant;
    auto name = read_member(object, "name", true, read_id);
    std::optional<CovenantMetric> metric;
    std::optional<CovenantLevel> level;
    std::optional<CovenantConsequence> consequence;
    if (auto f = object.required("metric")) metric = read_metric(*f, problems);
    if (auto f = object.required("level")) level = read_level(*f, problems);
    if (auto f = object.required("consequence")) consequence = read_consequence(*f, problems);
    if (!name || !metric || !level || !consequence) continue;
    covenants.push_back({*name, *metric, *level, *consequence});
  }
  return covenants;
}

/// Checks that `names` are tranche names, each named once, at `path`.
void check_tranches(const std::vector<std::string>& names, const std::set<std::string>& tranches,
                    const std::string& path, Problems& problems) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!tranches.contains(names[i]))
      problems.add(element_path(path, i), fmt::format("unknown tranche \"{}\"", names[i]));
    else if (!seen.insert(names[i]).second)
      problems.add(element_path(path, i), fmt::format("tranche \"{}\" is named twice", names[i]));
  }
}

/// Reads a borrowing base; its tranche names are checked against `tranches`.
std::optional<BorrowingBase> read_borrowing_base(const Field& field, const std::set<std::string>& tranches,
                                                 Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  const std::size_t before = problems.size();
  BorrowingBase base;
  base.tranches = read_names(object, "tranches");
  check_tranches(base.tranches, tranches, member_path(field.path, "tranches"), problems);
  if (auto rates_field = object.required("advance_rates")) {
    ObjectReader rates(rates_field->value, rates_field->path, problems);
    const std::size_t before_rates = problems.size();
    auto& advance = base.advance_rates;
    for (auto [key, rate] : {std::pair{"investment_grade", &advance.investment_grade},
                             std::pair{"sub_investment_grade", &advance.sub_investment_grade},
                             std::pair{"guaranteed", &advance.guaranteed}, std::pair{"gpu", &advance.gpu},
                             std::pair{"facilities", &advance.facilities}})
      if (auto value = read_member(rates, key, false, read_number, fraction)) *rate = *value;
    if (rates.valid() && problems.size() == before_rates && advance == AdvanceRates{})
      problems.add(rates_field->path, "expected at least one advance rate above 0");
  }
  if (auto months = read_member(object, "minimum_remaining_months", false, read_integer, 0, max_lag_months))
    base.minimum_remaining_months = static_cast<int>(*months);
  if (auto limits_field = object.optional("concentration_limits")) {
    ObjectReader limits(limits_field->value, limits_field->path, problems);
    auto& l = base.concentration_limits;
    l.single_counterparty = read_member(limits, "single_counterparty", false, read_number, fraction);
    l.sub_investment_grade = read_member(limits, "sub_investment_grade", false, read_number, fraction);
    l.single_gpu_type = read_member(limits, "single_gpu_type", false, read_number, fraction);
  }
  if (auto months = read_member(object, "cure_period_months", false, read_integer, 0, max_lag_months))
    base.cure_period_months = static_cast<int>(*months);
  if (problems.size() != before) return std::nullopt;
  return base;
}

}  // namespace

std::optional<CovenantMetric> read_metric(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  auto type = read_type(object);
  if (!type) return std::nullopt;
  if (*type == "dscr") {
    DebtServiceCoverage metric;
    if (auto months = read_member(object, "trailing_months", false, read_integer, 1, 120))
      metric.trailing_months = static_cast<int>(*months);
    if (auto balloon = read_member(object, "include_balloon", false, read_bool)) metric.include_balloon = *balloon;
    return metric;
  }
  if (*type == "ltv") return LoanToValue{};
  if (*type == "contracted_coverage") return ContractedCoverage{};
  if (*type == "investment_grade_share") return InvestmentGradeShare{};
  if (*type == "liquidity") return Liquidity{};
  if (*type == "weighted_average_rating_factor") return WeightedAverageRatingFactor{};
  unknown_type(object, *type,
               R"("dscr", "ltv", "contracted_coverage", "investment_grade_share", "liquidity" or )"
               R"("weighted_average_rating_factor")");
  return std::nullopt;
}

std::optional<AnticipatedRepayment> read_anticipated_repayment(const Field& field, Date legal_maturity,
                                                               Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  auto date = read_member(object, "date", true, read_date);
  auto bp = read_member(object, "coupon_step_up_bp", true, read_number, step_up_bp);
  if (!date || !bp) return std::nullopt;
  if (*date > legal_maturity)
    problems.add(member_path(field.path, "date"), "expected a date on or before the tranche's legal_maturity");
  return AnticipatedRepayment{*date, *bp};
}

void read_term_sheet(ObjectReader& object, Waterfall& structure) {
  Problems& problems = object.problems();
  const std::string& path = object.path();
  const int frequency = structure.payment_frequency_months;
  std::set<std::string> tranches;
  for (const auto& t : structure.tranches) tranches.insert(t.name);

  const std::string accounts_path = member_path(path, "accounts");
  if (auto field = object.optional("accounts")) structure.accounts = read_accounts(*field, problems);
  std::set<std::string> account_names, trap_accounts;
  if (structure.reserve_account) account_names.insert("reserve");
  for (std::size_t i = 0; i < structure.accounts.size(); ++i) {
    const auto& account = structure.accounts[i];
    if (!account_names.insert(account.name).second)
      problems.add(member_path(element_path(accounts_path, i), "name"),
                   fmt::format("duplicate account name \"{}\"{}", account.name,
                               account.name == "reserve" ? " (reserve_account is the account \"reserve\")" : ""));
    if (account.kind == AccountKind::trap) trap_accounts.insert(account.name);
    if (const auto* months = std::get_if<MonthsOfDebtService>(&account.target);
        months && frequency > 0 && months->months % frequency)
      problems.add(
          member_path(member_path(element_path(accounts_path, i), "target"), "months"),
          fmt::format("expected a multiple of payment_frequency_months ({}), got {}", frequency, months->months));
  }
  const auto is_reserve = [&](const std::string& name) {
    return account_names.contains(name) && !trap_accounts.contains(name);
  };

  const std::string priority_path = member_path(path, "priority_of_payments");
  std::set<std::string> trap_steps;
  bool has_sweep_step = false, has_step_up_step = false;
  std::array<int, 2> hedge_steps{}, termination_steps{};  // Before and after enforcement.
  std::set<std::string> step_up_paid;                     // tranches whose step-up interest some step pays
  if (auto field = object.optional("priority_of_payments")) {
    ObjectReader priority(field->value, field->path, problems);
    if (priority.valid()) {
      PriorityOfPayments lists;
      const std::string before_path = member_path(priority_path, "before_enforcement");
      const std::string after_path = member_path(priority_path, "after_enforcement");
      if (auto before = priority.required("before_enforcement"))
        lists.before_enforcement = read_steps(*before, problems);
      if (auto after = priority.optional("after_enforcement")) lists.after_enforcement = read_steps(*after, problems);
      const auto check = [&](const std::vector<PaymentStep>& steps, const std::string& list_path, bool enforcement) {
        // Every tranche's interest is paid by exactly one interest step, and fees by at most one step.
        std::map<std::string, int> interest_steps;
        int expense_steps = 0;
        for (const auto& step : steps) {
          if (const auto* interest = std::get_if<InterestPayment>(&step)) {
            if (interest->tranches.empty())
              for (const auto& name : tranches) ++interest_steps[name];
            for (const auto& name : std::set<std::string>(interest->tranches.begin(), interest->tranches.end()))
              ++interest_steps[name];
          }
          expense_steps += std::holds_alternative<SeniorExpenses>(step) ? 1 : 0;
        }
        if (!steps.empty()) {
          for (const auto& name : tranches)
            if (interest_steps[name] != 1)
              problems.add(list_path, fmt::format("expected exactly one interest step paying tranche \"{}\", found {}",
                                                  name, interest_steps[name]));
          if (expense_steps > 1)
            problems.add(list_path, fmt::format("expected at most one senior_expenses step, found {}", expense_steps));
        }
        for (std::size_t i = 0; i < steps.size(); ++i) {
          const std::string step_path = element_path(list_path, i);
          std::visit(
              [&](const auto& step) {
                using Step = std::decay_t<decltype(step)>;
                if constexpr (std::is_same_v<Step, InterestPayment> || std::is_same_v<Step, PrincipalPayment> ||
                              std::is_same_v<Step, StepUpInterest>)
                  check_tranches(step.tranches, tranches, member_path(step_path, "tranches"), problems);
                if constexpr (std::is_same_v<Step, ReserveFunding> || std::is_same_v<Step, CashTrap> ||
                              std::is_same_v<Step, CashSweep> || std::is_same_v<Step, StepUpInterest> ||
                              std::is_same_v<Step, HedgePayment>)
                  if (enforcement)
                    problems.add(step_path,
                                 "expected only senior_expenses, interest, principal, hedge_termination and equity "
                                 "steps after enforcement (an event of default terminates the hedges)");
                if constexpr (std::is_same_v<Step, HedgePayment> || std::is_same_v<Step, HedgeTermination>) {
                  if (structure.hedges.empty()) problems.add(step_path, "the deal has no hedges for this step to pay");
                  (std::is_same_v<Step, HedgePayment> ? hedge_steps : termination_steps)[enforcement ? 1 : 0]++;
                }
                if constexpr (std::is_same_v<Step, ReserveFunding>)
                  if (!is_reserve(step.account))
                    problems.add(member_path(step_path, "account"),
                                 fmt::format("expected a reserve account, got \"{}\"", step.account));
                if constexpr (std::is_same_v<Step, CashTrap>) {
                  if (!trap_accounts.contains(step.account))
                    problems.add(member_path(step_path, "account"),
                                 fmt::format("expected a trap account, got \"{}\"", step.account));
                  trap_steps.insert(step.account);
                }
                if constexpr (std::is_same_v<Step, CashSweep>) has_sweep_step = true;
                if constexpr (std::is_same_v<Step, StepUpInterest>) {
                  has_step_up_step = true;
                  if (step.tranches.empty())
                    step_up_paid.insert(tranches.begin(), tranches.end());
                  else
                    step_up_paid.insert(step.tranches.begin(), step.tranches.end());
                }
              },
              steps[i]);
        }
      };
      check(lists.before_enforcement, before_path, false);
      check(lists.after_enforcement, after_path, true);
      if (!structure.hedges.empty()) {
        if (hedge_steps[0] != 1 || termination_steps[0] != 1)
          problems.add(before_path, fmt::format("expected one hedge and one hedge_termination step for the hedges, "
                                                "found {} and {}",
                                                hedge_steps[0], termination_steps[0]));
        if (!lists.after_enforcement.empty() && termination_steps[1] != 1)
          problems.add(after_path, fmt::format("expected one hedge_termination step for the hedges, found {}",
                                               termination_steps[1]));
      }
      structure.priority_of_payments = std::move(lists);
    }
  }

  if (auto field = object.optional("borrowing_base"))
    structure.borrowing_base = read_borrowing_base(*field, tranches, problems);
  const std::string covenants_path = member_path(path, "covenants");
  if (auto field = object.optional("covenants")) structure.covenants = read_covenants(*field, problems);
  std::set<std::string> covenant_names{"dscr_cash_sweep", "ltv_cash_sweep"};
  if (structure.borrowing_base) covenant_names.insert("borrowing_base");
  for (std::size_t i = 0; i < structure.covenants.size(); ++i) {
    const auto& covenant = structure.covenants[i];
    const std::string covenant_path = element_path(covenants_path, i);
    if (!covenant_names.insert(covenant.name).second)
      problems.add(member_path(covenant_path, "name"),
                   fmt::format("duplicate covenant name \"{}\" (dscr_cash_sweep and ltv_cash_sweep are the "
                               "triggers' names, borrowing_base the borrowing base's)",
                               covenant.name));
    if (const auto* dscr = std::get_if<DebtServiceCoverage>(&covenant.metric);
        dscr && frequency > 0 && dscr->trailing_months % frequency)
      problems.add(member_path(member_path(covenant_path, "metric"), "trailing_months"),
                   fmt::format("expected a multiple of payment_frequency_months ({}), got {}", frequency,
                               dscr->trailing_months));
    const std::string consequence_path = member_path(covenant_path, "consequence");
    if (const auto* trap = std::get_if<TrapCash>(&covenant.consequence)) {
      if (!trap_accounts.contains(trap->account))
        problems.add(member_path(consequence_path, "account"),
                     fmt::format("expected a trap account of accounts, got \"{}\"", trap->account));
      else if (structure.priority_of_payments && !trap_steps.contains(trap->account))
        problems.add(member_path(consequence_path, "account"),
                     fmt::format("the priority of payments has no cash_trap step for account \"{}\"", trap->account));
    }
    if (const auto* step_up = std::get_if<MarginStepUp>(&covenant.consequence))
      check_tranches(step_up->tranches, tranches, member_path(consequence_path, "tranches"), problems);
    if (const auto* event = std::get_if<DefaultAfterCure>(&covenant.consequence);
        event && event->equity_cures > 0 &&
        (std::holds_alternative<InvestmentGradeShare>(covenant.metric) ||
         std::holds_alternative<WeightedAverageRatingFactor>(covenant.metric)))
      problems.add(member_path(consequence_path, "equity_cures"),
                   "expected 0: cash cannot cure the investment-grade share or the rating factor");
    if (std::holds_alternative<SweepCash>(covenant.consequence) && structure.priority_of_payments && !has_sweep_step)
      problems.add(consequence_path, "the priority of payments has no cash_sweep step");
  }
  if ((structure.triggers.dscr_cash_sweep || structure.triggers.ltv_cash_sweep) && structure.priority_of_payments &&
      !has_sweep_step)
    problems.add(member_path(path, "triggers"),
                 "the triggers sweep cash, but the priority of payments has no "
                 "cash_sweep step");
  const bool has_ard = std::any_of(structure.tranches.begin(), structure.tranches.end(),
                                   [](const DebtTranche& t) { return t.anticipated_repayment.has_value(); });
  if (has_ard && structure.priority_of_payments && !has_sweep_step)
    problems.add(member_path(priority_path, "before_enforcement"),
                 "expected a cash_sweep step: after an anticipated repayment date all excess cash repays principal");
  if (has_ard && structure.priority_of_payments && !has_step_up_step)
    problems.add(member_path(priority_path, "before_enforcement"),
                 "expected a step_up_interest step: it pays the step-up of the anticipated repayment dates");
  else if (structure.priority_of_payments)
    for (const auto& tranche : structure.tranches)
      if (tranche.anticipated_repayment && !step_up_paid.contains(tranche.name))
        problems.add(member_path(priority_path, "before_enforcement"),
                     fmt::format("no step_up_interest step pays the step-up of tranche \"{}\"", tranche.name));
}

}  // namespace computedebt::io::detail
