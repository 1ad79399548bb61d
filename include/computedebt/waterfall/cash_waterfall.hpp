#pragma once
/// \file
/// The cash-flow waterfall of one path (docs/methodology.md section 5): the collateral's months feed the collection
/// account, and on each payment date one engine runs the plan's priority of payments.

#include <computedebt/calibration/plan.hpp>
#include <computedebt/cashflow/collateral_cash.hpp>

#include <cstdint>
#include <vector>

namespace computedebt::waterfall {

/// What one path paid, date by date. Per-tranche arrays are `tranches x (dates + 1)`; date 0 is `t0`.
struct WaterfallPath {
  std::vector<double> interest_paid, principal_paid;
  std::vector<double> balance;            ///< Per tranche, after the final date: the unpaid balance is its loss.
  std::vector<double> equity;             ///< Distributions `D_m` per date.
  std::vector<double> dscr, ltv;          ///< Per date while no event of default has occurred; NaN after.
  std::vector<std::uint8_t> dscr_breach;  ///< Per date: DSCR below its sweep level.
  std::vector<std::uint8_t> ltv_breach;   ///< Per date: LTV above its sweep level.
  std::size_t event_of_default = 0;       ///< The date of the event of default; 0 if none.
  double collateral_value = 0.0;          ///< The fleet's market value at `t_K`, before the sale.
  // The cash-conservation identity: collections = costs + fees + interest + principal + reserve change +
  // equity + what is left in the collection account.
  double collections = 0.0;  ///< Revenue, recoveries and sales, over all months.
  double costs = 0.0;        ///< Operating costs incurred.
  double fees_paid = 0.0;
  double reserve_change = 0.0;  ///< Final reserve minus initial reserve.
  double account = 0.0;         ///< Collection account after the final date (negative: costs left unpaid).
};

/// Runs the waterfall of one path; owns its workspace, so one per thread and no allocation per path.
class CashWaterfall {
 public:
  explicit CashWaterfall(const calibration::Plan& plan);

  /// Runs every month and payment date on `collateral`, already started on the path.
  const WaterfallPath& run(cashflow::CollateralCash& collateral) noexcept;

 private:
  void pay_date(std::size_t m) noexcept;
  /// All balances over the market value of the GPUs owned: 0 when nothing is owed, +inf when no GPU is owned.
  double loan_to_value() const noexcept;
  void run_step(calibration::PaymentStep step, std::size_t m) noexcept;
  void declare_default(std::size_t m) noexcept;
  void pay_principal_sequentially(std::size_t m) noexcept;
  double& at(std::vector<double>& per_tranche, std::size_t t, std::size_t m) noexcept {
    return per_tranche[t * (plan_.dates + 1) + m];
  }

  const calibration::WaterfallPlan& plan_;
  cashflow::CollateralCash* collateral_ = nullptr;
  WaterfallPath path_;
  std::vector<double> start_balance_;  ///< Balances at the start of the current date.
  double available_ = 0.0;             ///< Cash on hand during a payment date.
  double account_ = 0.0;               ///< Collection account between dates; negative for carried costs.
  double reserve_ = 0.0;
  double unpaid_fees_ = 0.0;
  double period_income_ = 0.0;  ///< Revenue and recoveries less costs since the last date, for DSCR.
  double dscr_ = 0.0;
  bool defaulted_ = false;
};

}  // namespace computedebt::waterfall
