#pragma once
/// \file
/// The cash-flow waterfall structure (docs/methodology.md section 5.2).

#include <computedebt/core/date.hpp>
#include <computedebt/deal/account.hpp>
#include <computedebt/deal/amortization.hpp>
#include <computedebt/deal/borrowing_base.hpp>
#include <computedebt/deal/covenant.hpp>
#include <computedebt/deal/delayed_draw.hpp>
#include <computedebt/deal/hedge.hpp>
#include <computedebt/deal/margin_grid.hpp>
#include <computedebt/deal/priority_of_payments.hpp>

#include <optional>
#include <string>
#include <vector>

namespace computedebt::deal {

/// An anticipated repayment date: after it the coupon steps up and all excess cash repays principal; missing it
/// is not an event of default.
struct AnticipatedRepayment {
  Date date;
  double coupon_step_up_bp = 0.0;  ///< Accrues from the first period starting on or after `date`, deferred.

  bool operator==(const AnticipatedRepayment&) const = default;
};

/// A floating coupon: a margin over a rate index fixed at the start of each period, the index floored and capped
/// (docs/methodology.md section 5.5).
struct FloatingRate {
  std::string index;  ///< A key of the assumptions' `rate_indices`.
  double margin_bp = 0.0;
  std::optional<double> floor;  ///< On the index rate.
  std::optional<double> cap;    ///< On the index rate.
  /// A step table that replaces `margin_bp` while one of its levels holds.
  std::optional<MarginGrid> margin_grid;

  bool operator==(const FloatingRate&) const = default;
};

/// A debt tranche of the waterfall.
struct DebtTranche {
  std::string name;
  double notional;  ///< Balance at the valuation date (> 0).
  double coupon;    ///< Fixed annual rate, accrued over each period's Act/365F year fraction; 0 when floating.
  std::optional<FloatingRate> floating;  ///< Replaces `coupon` with index + margin.
  Amortization amortization;
  Date legal_maturity;  ///< Moves to the last payment date on or before it.
  std::optional<AnticipatedRepayment> anticipated_repayment;
  std::optional<DelayedDraw> delayed_draw;  ///< Draws that fund later deliveries, each amortising from its own date.

  bool operator==(const DebtTranche&) const = default;
};

/// The equity's stake: what it paid in at the valuation date.
struct Equity {
  double investment;  ///< > 0.

  bool operator==(const Equity&) const = default;
};

/// A reserve for senior interest, topped up from the waterfall.
struct ReserveAccount {
  double target_months_of_interest;  ///< Target = months / 12 * coupon * senior balance.
  double initial_balance = 0.0;      ///< Funded at the valuation date from closing proceeds.

  bool operator==(const ReserveAccount&) const = default;
};

/// Cash-sweep triggers, shorthand for covenants with a full sweep; an absent threshold turns that test off.
struct Triggers {
  std::optional<double> dscr_cash_sweep;  ///< Sweep when DSCR falls below it.
  std::optional<double> ltv_cash_sweep;   ///< Sweep when LTV rises above it.

  bool operator==(const Triggers&) const = default;
};

/// The `waterfall` structure: tranches most senior first, then equity.
struct Waterfall {
  int payment_frequency_months;  ///< 1, 3 or 6.
  double senior_fees_per_year = 0.0;
  std::vector<DebtTranche> tranches;
  Equity equity;
  std::optional<ReserveAccount> reserve_account;  ///< Shorthand for a first reserve account named "reserve".
  Triggers triggers;
  std::vector<Account> accounts;
  std::optional<PriorityOfPayments> priority_of_payments;  ///< None: the default order (docs/deal_format.md).
  std::vector<Covenant> covenants;
  std::vector<Hedge> hedges;
  std::optional<BorrowingBase> borrowing_base;

  bool operator==(const Waterfall&) const = default;
};

/// The month of a cohort's funding date: the first payment date `t_{m p}` on or after `acquired`, or 0 for a cohort
/// acquired by the valuation date (docs/methodology.md section 5.8).
int funding_month(Date valuation_date, int payment_frequency_months, Date acquired);

/// The month of the last payment date `t_{m p}` on or before `legal_maturity` (docs/methodology.md section 1), or 0 if
/// even the first payment date `t_p` falls after it.
int last_payment_month(Date valuation_date, int payment_frequency_months, Date legal_maturity);

}  // namespace computedebt::deal
