#pragma once
/// \file
/// The cash-flow waterfall on its payment dates (docs/methodology.md section 5): the priority of payments as data, each
/// tranche's target balances and promised flows.

#include <computedebt/calibration/month_grid.hpp>
#include <computedebt/deal/waterfall.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace computedebt::calibration {

/// One step of a priority of payments. The engine runs a list of them on each payment date.
enum class PaymentStep : std::uint8_t {
  fees,                 ///< Senior fees, with any unpaid before.
  interest,             ///< Interest by seniority; a senior shortfall draws the reserve, else an event of default.
  reserve,              ///< Top the reserve up to its target, or release the excess.
  scheduled_principal,  ///< Principal down to each tranche's target balance, sequentially.
  cash_sweep,           ///< Test DSCR and LTV; on a breach all remaining cash pays principal sequentially.
  accelerated,          ///< After an event of default: interest then the whole balance, tranche by tranche.
  equity,               ///< The rest to equity.
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
  std::vector<double> notional, coupon;
  std::vector<std::size_t> maturity_date;  ///< The date of each tranche's legal maturity.
  std::vector<double> target;              ///< Target balance after date `m`.
  std::vector<double> coupon_discount;     ///< `DF_m = prod_{i <= m} 1 / (1 + coupon alpha_i)`.
  std::vector<double> promised_flow;       ///< Interest and principal on the scheduled balances.

  bool has_reserve = false;
  double reserve_months_of_interest = 0.0;
  double reserve_initial = 0.0;
  double dscr_sweep = -std::numeric_limits<double>::infinity();  ///< Sweep below it; off at -inf.
  double ltv_sweep = std::numeric_limits<double>::infinity();    ///< Sweep above it; off at +inf.
  bool has_dscr_trigger = false, has_ltv_trigger = false;
  double equity_investment = 0.0;

  std::vector<PaymentStep> priority;       ///< Before an event of default.
  std::vector<PaymentStep> after_default;  ///< From an event of default on.

  double at(const std::vector<double>& per_tranche, std::size_t tranche, std::size_t date) const {
    return per_tranche[tranche * (dates + 1) + date];
  }
};

/// Precomputes the waterfall of `structure` on `grid`, `discount` being `P(t0, t_k)` on the grid.
WaterfallPlan plan_waterfall(const deal::Waterfall& structure, const MonthGrid& grid,
                             const std::vector<double>& discount);

}  // namespace computedebt::calibration
