#pragma once
/// \file
/// The cash-flow waterfall of one path (docs/methodology.md section 5.2): the collateral's months feed the
/// collection account, and on each payment date one engine runs the plan's priority of payments and tests its
/// covenants.

#include <computedebt/calibration/plan.hpp>
#include <computedebt/cashflow/collateral_cash.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace computedebt::waterfall {

/// What one path paid, date by date. Per-tranche arrays are `tranches x (dates + 1)`, per-covenant arrays
/// `covenants x (dates + 1)`, per-account arrays `accounts x (dates + 1)`; date 0 is `t0`.
struct WaterfallPath {
  /// Per tranche and date, the coupon the balance bore over the period ending there, step-ups excluded: the one
  /// given, or for a tranche with a margin grid, at the margin the path's metrics set.
  std::vector<double> coupon;
  std::vector<double> interest_paid, principal_paid;
  std::vector<double> balance;  ///< Per tranche, after the final date: the unpaid balance is its loss.
  /// Per tranche and date, the balance after the date: principal lowers it, capitalised interest raises it.
  std::vector<double> balance_after;
  std::vector<double> equity;     ///< Distributions `D_m` per date.
  std::vector<double> injected;   ///< Equity cures paid in per date.
  std::vector<double> dscr, ltv;  ///< Per date while no event of default has occurred; NaN after.
  /// Per date, the borrowing base less the facility's balance at its test, before any mandatory prepayment; NaN
  /// when not tested (no borrowing base, or after an event of default).
  std::vector<double> borrowing_base_headroom;
  std::vector<double> mandatory_prepayment;  ///< Per date: principal prepaid to cure a borrowing-base deficiency.
  bool borrowing_base_default = false;       ///< Whether an uncured deficiency was the event of default.
  // Deliveries and delayed draws (docs/methodology.md section 5.8).
  std::vector<double> drawn;                     ///< Per tranche and date: drawn after the date's payments.
  std::vector<std::uint8_t> draw_refused;        ///< Per draw of the plan: not made on this path.
  std::vector<std::uint8_t> delivery_cancelled;  ///< Per delivery: cancelled (a refused draw, an event of default).
  std::vector<int> delivery_delay;               ///< Per delivery: months late on this path.
  std::vector<double> commitment_fees;           ///< Per tranche: commitment fees charged, undiscounted.
  std::vector<double> delivery_equity;           ///< Per date: what the equity paid of the deliveries.
  std::vector<double> draw_proceeds;             ///< Per date: dated draws paid to the equity.
  double purchases = 0.0;                        ///< Deliveries bought, paid by the draws and the equity.
  std::vector<std::uint8_t> breached;            ///< Per covenant and date: tested and breached, before any cure.
  std::vector<double> months_in_breach;          ///< Per covenant: months breached and not cured.
  std::vector<int> cures_used;                   ///< Per covenant: equity cures used.
  std::vector<double> account_balance;           ///< Per account and date, after the date.
  std::size_t event_of_default = 0;              ///< The date of the event of default; 0 if none.
  double collateral_value = 0.0;                 ///< The fleet's market value at `t_K`, before the sale.
  // The cash-conservation identity: collections + injected + delivery equity + drawn = costs + purchases + fees +
  // interest + principal + step-up interest + account change + equity + draw proceeds + what is left in the
  // collection account.
  double collections = 0.0;         ///< Revenue, recoveries and sales, over all months.
  double costs = 0.0;               ///< Operating costs incurred.
  double generation = 0.0;          ///< What generation behind the meter changed in the power cost (in `costs`).
  std::vector<double> energy_cost;  ///< Per date: the power in the costs of its period's months, PPAs included.
  double fees_paid = 0.0;
  double step_up_paid = 0.0;    ///< Step-up interest after anticipated repayment dates.
  double reserve_change = 0.0;  ///< Final minus initial balances of every reserve and trap account.
  double account = 0.0;         ///< Collection account after the final date (negative: costs left unpaid).
  double hedge_received = 0.0;  ///< Periodic hedge payments, recoveries and close-outs received.
  double hedge_paid = 0.0;      ///< Periodic hedge payments and close-outs paid by the SPV.

  // Per hedge (`hedges x (dates + 1)` for the flows).
  std::vector<double> hedge_flow;       ///< The periodic payment due to the SPV per date (negative: due from it).
  std::vector<double> hedge_close_out;  ///< The close-out value to the SPV when terminated early, else 0.
  std::vector<std::size_t> hedge_end;   ///< The date of an early termination, 0 if the hedge ran to its end.
  std::vector<std::uint8_t> hedge_counterparty_default;  ///< Whether the counterparty's default ended it.
};

/// What a path's rates and credit give the waterfall besides its collateral. An empty span takes the plan's
/// projected values.
struct PathRates {
  std::span<const double> coupons;     ///< Per tranche and date.
  std::span<const double> fixings;     ///< Per rate index and date (`RateSampler::fixings`).
  std::span<const double> states;      ///< Per rate index and month, Hull-White indices only (`RateSampler::states`).
  std::span<const int> default_month;  ///< Per counterparty (`K + 1` for survivors); hedges need it.
  /// The counterparties that defaulted on the grid; when empty, a borrowing base looks for them in `default_month`.
  std::span<const std::uint32_t> defaulted;
  /// Per delivery, its delay on the path (`DeliveryDelaySampler::outcomes`); empty: every delivery on time.
  std::span<const std::uint32_t> delivery_outcomes;
};

/// What a traced path records besides its `WaterfallPath`: the collateral's cash each month, and what each step of
/// the priority of payments took from the cash on hand on each date (negative when it released cash into it).
struct WaterfallTrace {
  struct StepPayment {
    std::size_t date;  ///< Payment date index, 1-based.
    std::size_t step;  ///< Index in the list that ran: the priority of payments, or after enforcement.
    bool after_enforcement;
    double amount;
  };
  std::vector<cashflow::MonthCash> months;  ///< Months 1..K.
  std::vector<StepPayment> steps;
};

/// Runs the waterfall of one path; owns its workspace, so one per thread and no allocation per path.
class CashWaterfall {
 public:
  /// A waterfall without hedges or margin grids needs only its plan; with them, also the rate indices they are on.
  explicit CashWaterfall(const calibration::WaterfallPlan& plan, const calibration::RatePlan& rates = no_rates);

  /// Runs every month and payment date on `collateral`, already started on the path, at the path's `rates`;
  /// records the month cash and the steps' payments in `trace` when given (one path replayed alone, not the hot
  /// loop).
  const WaterfallPath& run(cashflow::CollateralCash& collateral, const PathRates& rates = {},
                           WaterfallTrace* trace = nullptr);

 private:
  using Step = calibration::PlannedStep;

  void pay_date(std::size_t m) noexcept;
  // One function per kind of step (calibration::StepKind).
  void pay_senior_expenses(const Step& step, std::size_t m) noexcept;
  void pay_interest(const Step& step, std::size_t m) noexcept;
  void fund_reserve(const Step& step, std::size_t m) noexcept;
  void pay_principal(const Step& step, std::size_t m) noexcept;
  void sweep_cash(const Step& step, std::size_t m) noexcept;
  void trap_cash(const Step& step, std::size_t m) noexcept;
  void pay_step_up_interest(const Step& step, std::size_t m) noexcept;
  void distribute(const Step& step, std::size_t m) noexcept;
  void pay_accelerated(const Step& step, std::size_t m) noexcept;
  void pay_hedges(const Step& step, std::size_t m) noexcept;
  void pay_hedge_terminations(const Step& step, std::size_t m) noexcept;
  /// The hedges' periodic payments due on date `m`, and the close-out of those whose counterparty has defaulted.
  void accrue_hedges(std::size_t m) noexcept;
  /// Closes out every hedge still running at its value on date `m`, after the SPV's event of default.
  void terminate_hedges(std::size_t m) noexcept;
  double state(std::size_t index, std::size_t m) const noexcept;
  /// The path's fixings of rate index `index` per date, or its projected ones.
  std::span<const double> index_fixings(std::size_t index) const noexcept;

  /// A tranche owing more than 0.01 at its legal maturity is an event of default, whatever the list pays it by.
  void check_maturities(std::size_t m) noexcept;
  /// Tests every covenant and sets what their breaches call for; may declare an event of default.
  void test_covenants(std::size_t m) noexcept;
  double metric(const calibration::CovenantPlan& covenant, std::size_t m, double ltv) const noexcept;
  /// The equity pays in what restores the covenant's level; false when cash cannot cure it.
  bool cure(const calibration::CovenantPlan& covenant, std::size_t m, double value) noexcept;
  /// Income and debt service summed over the trailing window of dates ending at `m`.
  struct Coverage {
    double income = 0.0, debt_service = 0.0;
  };
  Coverage coverage(std::size_t trailing_dates, bool include_balloon, std::size_t m) const noexcept;
  double dscr(std::size_t trailing_dates, bool include_balloon, std::size_t m) const noexcept;
  /// Which contracts' values `contracted_value` sums.
  enum class ContractValue { all, investment_grade, rating_factor };
  /// The PV of the performing contracts' remaining payments at date `m`: all of it, the investment-grade part, or
  /// each contract's times its rating factor.
  double contracted_value(std::size_t m, ContractValue which) const noexcept;
  /// The margin grids' coupons for the period after date `m`, at the margins in force.
  void set_grid_coupons(std::size_t m) noexcept;
  /// Re-reads each margin grid's metric after date `m`'s payments, for the next period's margin.
  void read_margin_grids(std::size_t m) noexcept;
  /// The borrowing base on date `m` less the facility's balances (docs/methodology.md section 5.7).
  double borrowing_base_headroom(std::size_t m) noexcept;
  /// Prepays what it can of a borrowing-base deficiency `-headroom` from the cash on hand; returns the headroom
  /// after.
  double prepay_deficiency(double headroom, std::size_t m) noexcept;
  /// Makes the dated draws of date `m`, and makes, funds or cancels the deliveries funded on it, after its payments.
  void make_deliveries(std::size_t m) noexcept;
  /// Whether draw `j` may be made on date `m`: no event of default, no uncured breach of a covenant that ends in one,
  /// and the borrowing base's headroom after the draw, the delivery's GPUs counted.
  bool draw_allowed(std::size_t j, std::size_t m) noexcept;
  /// Cancels delivery `d` on this path, and its draw.
  void cancel_delivery(std::size_t d) noexcept;
  /// Moves the deliveries a path's `outcomes` delay, with their leases and draws; cancels those that would arrive
  /// after the deal's last date.
  void delay_deliveries(std::span<const std::uint32_t> outcomes) noexcept;
  /// Takes draw `j`'s schedule out of its tranche's target from the date after its funding date on.
  void drop_draw_schedule(std::uint32_t j) noexcept;
  /// The target balance tranche `t`'s scheduled principal aims at on date `m`: before the date's draws.
  double due_target(std::size_t t, std::size_t m) const noexcept { return due_target_[t * (plan_.dates + 1) + m]; }
  /// All balances over the market value of the GPUs owned: 0 when nothing is owed, +inf when no GPU is owned.
  double loan_to_value() const noexcept;
  double total_balance() const noexcept;
  void declare_default(std::size_t m) noexcept;
  /// Moves every account's balance to the cash on hand.
  void release_accounts() noexcept;
  /// Pays all the cash on hand as principal, tranche after tranche in seniority order.
  void pay_principal_sequentially(std::size_t m) noexcept;
  /// Pays each listed tranche `t` the principal `due_[t]` out of the cash on hand, one after the other or pro
  /// rata.
  void pay_down(const std::vector<std::uint32_t>& tranches, bool pari_passu, std::size_t m) noexcept;
  double coupon(std::size_t t, std::size_t m) const noexcept { return path_.coupon[t * (plan_.dates + 1) + m]; }
  double& at(std::vector<double>& per_tranche, std::size_t t, std::size_t m) noexcept {
    return per_tranche[t * (plan_.dates + 1) + m];
  }

  static const calibration::RatePlan no_rates;
  const calibration::WaterfallPlan& plan_;
  const calibration::RatePlan& rates_;
  std::span<const double> fixings_, states_;
  std::span<const int> default_month_;
  cashflow::CollateralCash* collateral_ = nullptr;
  WaterfallTrace* trace_ = nullptr;
  WaterfallPath path_;
  std::vector<double> start_balance_;     ///< Balances at the start of the current date.
  std::vector<double> interest_due_;      ///< Per tranche, on the current date.
  std::vector<double> margin_step_up_;    ///< Per tranche, for the next period, from breached covenants.
  std::vector<double> grid_margin_;       ///< Per margin grid, the margin in force.
  std::vector<double> deferred_step_up_;  ///< Per tranche, step-up interest accrued and not yet paid.
  std::vector<double> due_;               ///< Per tranche, scratch for `pay_down`.
  std::vector<double> accounts_;          ///< Balance of each account.
  std::vector<double> income_, debt_service_, debt_service_without_balloons_;  ///< Per date, for DSCR.
  std::vector<int> passes_, failures_;  ///< Per covenant: consecutive passing and failing tests.
  std::vector<int> breach_start_;       ///< Per covenant: the month an uncured breach began, -1 if none.
  std::vector<std::uint8_t> trapping_;  ///< Per covenant: a cash trap holds cash.
  std::vector<double> type_value_;      ///< Per GPU type, scratch for the borrowing base.
  /// Per tranche and date, the target before the date's draws: the plan's, less the draws refused on this path.
  std::vector<double> due_target_;
  std::vector<double> drawn_total_;          ///< Per tranche: drawn so far, the notional excluded.
  std::vector<std::uint8_t> delivery_done_;  ///< Per delivery: made or cancelled.
  // Per delivery on this path: its funding date, its value then (multiplier 1), and whether its draw may fund it.
  std::vector<std::size_t> delivery_date_;
  std::vector<double> delivery_value_;
  std::vector<std::uint8_t> drawable_;
  bool any_late_ = false;                         ///< Whether a delivery is funded after its planned date on this path.
  std::vector<std::uint8_t> contract_cancelled_;  ///< Per contract: cancelled with its delivery.
  bool any_cancelled_ = false;
  double commitment_fee_due_ = 0.0;  ///< Commitment fees of the current date.
  int first_default_month_ = 0;      ///< The path's first counterparty default; after the grid when none.
  double available_ = 0.0;           ///< Cash on hand during a payment date.
  double account_ = 0.0;             ///< Collection account between dates; negative for carried costs.
  double unpaid_fees_ = 0.0;
  double hedge_due_ = 0.0;         ///< Net hedge payments to the SPV on the current date (negative: owed by it).
  double hedge_unpaid_ = 0.0;      ///< Hedge payments the SPV owes from earlier dates.
  double termination_owed_ = 0.0;  ///< Close-out amounts the SPV owes.
  double period_income_ = 0.0;     ///< Revenue and recoveries less costs since the last date, for DSCR.
  double sweep_fraction_ = 0.0;    ///< Share of cash the breached sweeps call for on this date.
  bool distributions_blocked_ = false;
  bool tested_ = false;
  bool defaulted_ = false;
  bool accelerated_date_ = false;  ///< The current date runs the list after enforcement.
};

}  // namespace computedebt::waterfall
