#include "save_term_sheet.hpp"

#include <computedebt/core/date.hpp>
#include <computedebt/core/overloaded.hpp>

#include <utility>

namespace computedebt::io::detail {

namespace {

using Json = nlohmann::ordered_json;
using namespace computedebt::deal;

/// `{"type": type}` with the tranche list when it names any.
Json typed(const char* type, const std::vector<std::string>& tranches = {}) {
  Json object{{"type", type}};
  if (!tranches.empty()) object["tranches"] = tranches;
  return object;
}

Json to_json(const AccountTarget& target) {
  return std::visit(Overloaded{
                        [](const MonthsOfInterest& t) -> Json {
                          return {{"type", "months_of_interest"}, {"months", t.months}};
                        },
                        [](const MonthsOfDebtService& t) -> Json {
                          return {{"type", "months_of_debt_service"}, {"months", t.months}};
                        },
                        [](const FixedAmount& t) -> Json {
                          return {{"type", "fixed"}, {"amount", t.amount}};
                        },
                        [](const BalanceFraction& t) -> Json {
                          return {{"type", "balance_fraction"}, {"fraction", t.fraction}};
                        },
                    },
                    target);
}

Json to_json(const Account& account) {
  Json object{{"name", account.name}, {"type", account.kind == AccountKind::trap ? "trap" : "reserve"}};
  if (account.kind == AccountKind::reserve) {
    object["target"] = to_json(account.target);
    object["covers_senior_interest"] = account.covers_senior_interest;
  }
  object["initial_balance"] = account.initial_balance;
  return object;
}

Json to_json(const PaymentStep& step) {
  return std::visit(Overloaded{
                        [](const SeniorExpenses&) { return typed("senior_expenses"); },
                        [](const InterestPayment& s) {
                          Json object = typed("interest", s.tranches);
                          object["pari_passu"] = s.pari_passu;
                          return object;
                        },
                        [](const ReserveFunding& s) {
                          Json object = typed("reserve");
                          object["account"] = s.account;
                          return object;
                        },
                        [](const PrincipalPayment& s) {
                          Json object = typed("principal", s.tranches);
                          object["pari_passu"] = s.pari_passu;
                          object["mode"] = s.mode == PrincipalMode::scheduled ? "scheduled"
                                           : s.mode == PrincipalMode::target  ? "target"
                                                                              : "all_available";
                          if (s.mode == PrincipalMode::target) object["target_balances"] = s.target_balances;
                          return object;
                        },
                        [](const CashSweep&) { return typed("cash_sweep"); },
                        [](const CashTrap& s) {
                          Json object = typed("cash_trap");
                          object["account"] = s.account;
                          return object;
                        },
                        [](const StepUpInterest& s) { return typed("step_up_interest", s.tranches); },
                        [](const EquityDistribution&) { return typed("equity"); },
                        [](const HedgePayment&) { return typed("hedge"); },
                        [](const HedgeTermination&) { return typed("hedge_termination"); },
                    },
                    step);
}

Json to_json(const std::vector<PaymentStep>& steps) {
  Json list = Json::array();
  for (const auto& step : steps) list.push_back(to_json(step));
  return list;
}

Json to_json(const CovenantMetric& metric) {
  return std::visit(Overloaded{
                        [](const DebtServiceCoverage& m) {
                          Json object = typed("dscr");
                          if (m.trailing_months > 0) object["trailing_months"] = m.trailing_months;
                          object["include_balloon"] = m.include_balloon;
                          return object;
                        },
                        [](const LoanToValue&) { return typed("ltv"); },
                        [](const ContractedCoverage&) { return typed("contracted_coverage"); },
                        [](const InvestmentGradeShare&) { return typed("investment_grade_share"); },
                        [](const Liquidity&) { return typed("liquidity"); },
                        [](const WeightedAverageRatingFactor&) { return typed("weighted_average_rating_factor"); },
                    },
                    metric);
}

Json to_json(const CovenantLevel& level) {
  if (level.steps.empty()) return level.initial;
  Json steps = Json::array();
  for (const auto& step : level.steps) steps.push_back({{"from", format_date(step.from)}, {"level", step.level}});
  return {{"initial", level.initial}, {"steps", steps}};
}

Json to_json(const CovenantConsequence& consequence) {
  return std::visit(Overloaded{
                        [](const SweepCash& c) {
                          Json object = typed("cash_sweep");
                          object["fraction"] = c.fraction;
                          return object;
                        },
                        [](const TrapCash& c) {
                          Json object = typed("cash_trap");
                          object["account"] = c.account;
                          object["release_after_passes"] = c.release_after_passes;
                          object["apply_after_failures"] = c.apply_after_failures;
                          return object;
                        },
                        [](const BlockDistributions&) { return typed("block_distributions"); },
                        [](const MarginStepUp& c) {
                          Json object = typed("margin_step_up", c.tranches);
                          object["bp"] = c.bp;
                          return object;
                        },
                        [](const DefaultAfterCure& c) {
                          Json object = typed("event_of_default");
                          object["cure_period_months"] = c.cure_period_months;
                          object["equity_cures"] = c.equity_cures;
                          return object;
                        },
                    },
                    consequence);
}

}  // namespace

Json to_json(const MarginGrid& grid) {
  const char* key = higher_is_worse(grid.metric) ? "at_most" : "at_least";
  Json levels = Json::array();
  for (const auto& level : grid.levels) {
    Json row =
        level.rating ? Json{{"at_least_rating", std::string(to_string(*level.rating))}} : Json{{key, level.threshold}};
    row["margin_bp"] = level.margin_bp;
    levels.push_back(row);
  }
  return {{"metric", to_json(grid.metric)}, {"levels", levels}};
}

Json to_json(const Amortization& amortization) {
  if (std::holds_alternative<Bullet>(amortization)) return {{"type", "bullet"}};
  if (const auto* level = std::get_if<Level>(&amortization))
    return {{"type", "level"}, {"term_months", level->term_months}};
  return {{"type", "schedule"}, {"balances", std::get<Schedule>(amortization).balances}};
}

Json to_json(const DelayedDraw& terms) {
  Json draws = Json::array();
  for (const auto& draw : terms.draws)
    draws.push_back(draw.cohort.empty() ? Json{{"date", format_date(draw.date)}, {"amount", draw.amount}}
                                        : Json{{"cohort", draw.cohort}, {"advance_rate", draw.advance_rate}});
  Json object{{"commitment", terms.commitment},
              {"availability_end", format_date(terms.availability_end)},
              {"commitment_fee_bp", terms.commitment_fee_bp},
              {"draws", draws}};
  if (terms.draw_amortization) object["draw_amortization"] = to_json(*terms.draw_amortization);
  object["refused_draw"] = terms.refused_draw == RefusedDraw::sponsor_funds ? "sponsor_funds" : "cancel_delivery";
  return object;
}

Json to_json(const AnticipatedRepayment& repayment) {
  return {{"date", format_date(repayment.date)}, {"coupon_step_up_bp", repayment.coupon_step_up_bp}};
}

void put_term_sheet(Json& object, const Waterfall& waterfall) {
  if (!waterfall.accounts.empty()) {
    Json accounts = Json::array();
    for (const auto& account : waterfall.accounts) accounts.push_back(to_json(account));
    object["accounts"] = accounts;
  }
  if (waterfall.priority_of_payments) {
    Json priority{{"before_enforcement", to_json(waterfall.priority_of_payments->before_enforcement)}};
    if (!waterfall.priority_of_payments->after_enforcement.empty())
      priority["after_enforcement"] = to_json(waterfall.priority_of_payments->after_enforcement);
    object["priority_of_payments"] = priority;
  }
  if (!waterfall.covenants.empty()) {
    Json covenants = Json::array();
    for (const auto& covenant : waterfall.covenants)
      covenants.push_back({{"name", covenant.name},
                           {"metric", to_json(covenant.metric)},
                           {"level", to_json(covenant.level)},
                           {"consequence", to_json(covenant.consequence)}});
    object["covenants"] = covenants;
  }
  if (const auto& base = waterfall.borrowing_base) {
    const auto& rates = base->advance_rates;
    Json limits = Json::object();
    const auto& l = base->concentration_limits;
    for (const auto& [key, limit] :
         {std::pair{"single_counterparty", l.single_counterparty},
          std::pair{"sub_investment_grade", l.sub_investment_grade}, std::pair{"single_gpu_type", l.single_gpu_type}})
      if (limit) limits[key] = *limit;
    Json json{{"advance_rates",
               {{"investment_grade", rates.investment_grade},
                {"sub_investment_grade", rates.sub_investment_grade},
                {"guaranteed", rates.guaranteed},
                {"gpu", rates.gpu},
                {"facilities", rates.facilities}}},
              {"minimum_remaining_months", base->minimum_remaining_months},
              {"cure_period_months", base->cure_period_months}};
    if (!base->tranches.empty()) json["tranches"] = base->tranches;
    if (!limits.empty()) json["concentration_limits"] = limits;
    object["borrowing_base"] = json;
  }
}

}  // namespace computedebt::io::detail
