#pragma once
/// \file
/// The cash-flow waterfall on its payment dates (docs/methodology.md section 5): the priority of payments,
/// accounts and covenants as data, each tranche's target balances and promised flows.

#include <computedebt/calibration/borrowing_base_plan.hpp>
#include <computedebt/calibration/covenant_plan.hpp>
#include <computedebt/calibration/delivery_delay_plan.hpp>
#include <computedebt/calibration/hedge_plan.hpp>
#include <computedebt/calibration/margin_grid_plan.hpp>
#include <computedebt/calibration/month_grid.hpp>
#include <computedebt/deal/deal.hpp>
#include <computedebt/deal/waterfall.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace computedebt::calibration {

/// What a step of the priority of payments does; the engine has one function per kind.
enum class StepKind : std::uint8_t {
  senior_expenses,    ///< Fees, with any unpaid before.
  interest,           ///< Interest; a senior shortfall draws the reserves, else an event of default.
  reserve,            ///< Fund a reserve account to its target, or release the excess.
  principal,          ///< Principal, scheduled, to the step's targets or all available.
  cash_sweep,         ///< The share of cash that breached sweeps or passed anticipated repayment dates call for.
  cash_trap,          ///< Trap cash in an account while a covenant holds it; release or apply the balance.
  step_up_interest,   ///< Deferred step-up interest after anticipated repayment dates.
  equity,             ///< The rest to equity, unless distributions are blocked.
  accelerated,        ///< After an event of default: interest then the whole balance, tranche by tranche.
  hedge,              ///< The hedges' net periodic payments, received or paid.
  hedge_termination,  ///< Close-out amounts the SPV owes on terminated hedges.
};
inline constexpr std::size_t step_kinds = 11;

/// One step of a priority of payments, resolved to indices.
struct PlannedStep {
  StepKind kind = StepKind::equity;
  std::vector<std::uint32_t> tranches{};  ///< In payment order.
  bool pari_passu = false;                ///< One class paid pro rata, instead of one tranche after the other.
  deal::PrincipalMode mode = deal::PrincipalMode::scheduled;
  std::uint32_t account = 0;     ///< Reserve and trap steps.
  std::vector<double> target{};  ///< `target` mode: per listed tranche, the target balance after each date.
};

/// How a reserve account's target is set.
enum class TargetKind : std::uint8_t { months_of_interest, months_of_debt_service, fixed, balance_fraction };

/// An account, resolved.
struct PlannedAccount {
  std::string name;
  bool trap = false;
  TargetKind target = TargetKind::fixed;
  double target_value = 0.0;               ///< Months of interest, amount or fraction.
  std::vector<double> scheduled_target{};  ///< `months_of_debt_service`: the target per date.
  double initial_balance = 0.0;
  bool covers_senior_interest = false;
};

/// Per-tranche arrays are `tranches x (dates + 1)`, row-major; date 0 is `t0`.
struct WaterfallPlan {
  std::size_t tranches = 0;
  std::size_t dates = 0;              ///< Payment dates `m = 1..M`; the last is `t_K`.
  int frequency_months = 1;           ///< `p`.
  std::vector<int> date_month;        ///< `m p`.
  std::vector<double> accrual;        ///< `alpha_m`.
  std::vector<double> date_time;      ///< `tau(t0, t_{m p})`.
  std::vector<double> date_discount;  ///< `P(t0, t_{m p})` on the deal's curve.
  std::vector<double> fees;           ///< Fees due on date `m`.

  std::vector<std::string> names;
  std::vector<double> notional;
  /// Per tranche and date, the coupon of the period ending there: fixed, or the projected index (floored and
  /// capped) plus the margin. A path whose index is stochastic fixes its own (`fix_coupons`).
  std::vector<double> coupon;
  /// Per tranche, the position of its index in `Plan::rates`, or `fixed_rate`.
  std::vector<std::size_t> rate_index;
  std::vector<double> margin, index_floor, index_cap;  ///< Per floating tranche; -inf and +inf when not given.
  bool path_rates = false;  ///< Some tranche or hedge is on a Hull-White index: each path fixes its own rates.
  std::vector<PlannedMarginGrid> margin_grids;  ///< Of the floating tranches that have one.
  std::vector<std::size_t> maturity_date;       ///< The date of each tranche's legal maturity.
  std::vector<double> target;                   ///< Target balance after date `m`.
  std::vector<double> coupon_discount;          ///< `DF_m = prod_{i <= m} 1 / (1 + coupon_i alpha_i)`.
  std::vector<double> promised_flow;            ///< Interest and principal on the scheduled balances.
  /// Per tranche, the date of its final bullet or balloon, whose principal a DSCR covenant leaves out of debt
  /// service from then on; `dates + 1` when its amortisation has none.
  std::vector<std::size_t> balloon_date;
  /// Per tranche, the first date on or after its anticipated repayment date; `dates + 1` without one.
  std::vector<std::size_t> repayment_date;
  std::vector<double> step_up;  ///< Per tranche, the coupon step-up after its anticipated repayment date.

  std::vector<PlannedAccount> accounts;      ///< The reserve account shorthand first, as "reserve".
  std::vector<CovenantPlan> covenants;       ///< The trigger shorthands first, as "dscr_cash_sweep", "ltv_cash_sweep".
  std::size_t fan_chart_dscr = no_covenant;  ///< The first DSCR covenant, whose definition the fan chart uses.
  bool uses_contract_values = false;         ///< Whether a covenant or margin grid reads contracted cash.
  /// Per contract and date: the PV at the date of its promised payments after it (`contracts x (dates + 1)`); at
  /// `t0`, of all of them.
  std::vector<double> contract_value;
  std::vector<double> investment_grade_value;  ///< The same, for investment-grade contracts only.
  std::vector<double> rating_factor_value;     ///< The same, times the contract's rating factor.
  std::vector<double> total_contract_value;    ///< Per date, over every contract.
  std::vector<double> total_investment_grade_value;
  std::vector<double> total_rating_factor_value;
  double equity_investment = 0.0;

  std::vector<PlannedHedge> hedges;
  std::optional<BorrowingBasePlan> borrowing_base;

  // Deliveries and the delayed draws that fund them (docs/methodology.md section 5.8). `target` and
  // `promised_flow` include every draw as planned; `promised_flow` is net of the amount lent on a draw's date.
  struct PlannedDraw {
    /// The delivery in `CollateralPlan::deliveries`, or `no_delivery` for a dated draw, whose proceeds go to the
    /// equity.
    std::uint32_t tranche = 0, delivery = 0;
    std::size_t date = 0;                     ///< Its funding date.
    double amount = 0.0;                      ///< The advance rate times the delivery's cost.
    int term_months = 0;                      ///< Its level amortisation's term; 0 for a bullet.
  };
  std::vector<PlannedDraw> draws;
  std::vector<double> draw_target;           ///< `draws x (dates + 1)`: each draw's scheduled balance after each date.
  std::vector<double> draw_at;               ///< Per tranche and date: the amounts drawn on the date as planned.
  std::vector<std::size_t> delivery_date;    ///< Per delivery: its funding date.
  std::vector<std::string> delivery_name;    ///< Per delivery: its cohort's id, or `fleet[i]` without one.
  std::vector<std::uint32_t> delivery_draw;  ///< Per delivery: the draw that funds it, or `no_draw`.
  std::vector<double> delivery_value;        ///< Per delivery: its market value at the funding date, multiplier 1.
  std::vector<double> delivery_cost;         ///< Per delivery: its count times its GPU type's purchase price.
  std::vector<std::uint32_t> delivery_type;  ///< Per delivery: its GPU type.
  std::vector<double> commitment, commitment_fee;   ///< Per tranche: 0 without delayed draws; the fee as a rate.
  std::vector<std::size_t> availability_date;       ///< Per tranche: the last date whose period bears the fee.
  std::vector<std::uint8_t> cancel_refused;         ///< Per tranche: a refused draw cancels its delivery.
  std::optional<DeliveryDelayPlan> delivery_delay;  ///< With the assumptions' delivery delays and deliveries.

  /// Draw `j`'s scheduled balance after date `m` when it is drawn on date `date`: its amount on that date, then its
  /// own amortisation, and nothing from its tranche's legal maturity on.
  double draw_schedule(std::size_t j, std::size_t date, std::size_t m) const noexcept {
    const auto& draw = draws[j];
    if (m == date) return draw.amount;
    if (m < date || m >= maturity_date[draw.tranche]) return 0.0;
    if (draw.term_months == 0) return draw.amount;
    return draw.amount *
           std::max(0.0, 1.0 - static_cast<double>((m - date) * static_cast<std::size_t>(frequency_months)) /
                                   draw.term_months);
  }

  std::vector<PlannedStep> priority;       ///< Before an event of default.
  std::vector<PlannedStep> after_default;  ///< From an event of default on.

  /// Whether coupons differ by path: rates that do, or margins that a path's metrics set.
  bool path_coupons() const noexcept { return path_rates || !margin_grids.empty(); }

  /// How many of the accounts are trap accounts.
  std::size_t trap_accounts() const {
    std::size_t traps = 0;
    for (const auto& account : accounts) traps += account.trap ? 1 : 0;
    return traps;
  }

  double at(const std::vector<double>& per_tranche, std::size_t tranche, std::size_t date) const {
    return per_tranche[tranche * (dates + 1) + date];
  }

  /// Floating tranche `t`'s coupon at an index fixing: the margin plus the floored and capped fixing, at least 0.
  double floating_coupon(std::size_t t, double fixing) const noexcept { return floating_coupon(t, fixing, margin[t]); }
  /// The same at another margin, one a margin grid sets.
  double floating_coupon(std::size_t t, double fixing, double margin) const noexcept;

  /// Writes each tranche's coupons for a path whose index fixings are `fixings` (`indices x (dates + 1)`, from
  /// `scenario::RateSampler`) into `coupons`, and the discount factors at those coupons into `discount`.
  void fix_coupons(std::span<const double> fixings, std::span<double> coupons,
                   std::span<double> discount) const noexcept;
};

/// `WaterfallPlan::delivery_draw` of a delivery no draw funds.
inline constexpr std::uint32_t no_draw = 0xffffffffu;

/// `WaterfallPlan::rate_index` of a fixed-rate tranche.
inline constexpr std::size_t fixed_rate = static_cast<std::size_t>(-1);

struct Plan;

/// Precomputes the waterfall of `structure` on the plan's grid, discount curve and collateral.
WaterfallPlan plan_waterfall(const deal::Deal& deal, const deal::Waterfall& structure, const Plan& plan);

}  // namespace computedebt::calibration
