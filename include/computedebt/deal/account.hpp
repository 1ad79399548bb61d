#pragma once
/// \file
/// The SPV's accounts beside the collection account: reserves with a target, and trap accounts
/// (docs/methodology.md section 5).

#include <string>
#include <variant>

namespace computedebt::deal {

/// Target: `months / 12 x coupon x balance` of the most senior outstanding tranche.
struct MonthsOfInterest {
  double months;

  bool operator==(const MonthsOfInterest&) const = default;
};

/// Target: the scheduled debt service (interest and principal, a final bullet or balloon excluded) of the
/// payment dates in the next `months`.
struct MonthsOfDebtService {
  int months;  ///< A multiple of the payment frequency.

  bool operator==(const MonthsOfDebtService&) const = default;
};

/// Target: a fixed amount, e.g. a maintenance reserve.
struct FixedAmount {
  double amount;

  bool operator==(const FixedAmount&) const = default;
};

/// Target: a fraction of all tranches' balances at the start of the payment date.
struct BalanceFraction {
  double fraction;

  bool operator==(const BalanceFraction&) const = default;
};

/// How much a reserve account holds after its step; 0 on the final payment date.
using AccountTarget = std::variant<MonthsOfInterest, MonthsOfDebtService, FixedAmount, BalanceFraction>;

/// What an account is for.
enum class AccountKind {
  reserve,  ///< Funded to its target by a `reserve` step; the excess is released.
  trap,     ///< Receives trapped cash while a cash-trap covenant holds it.
};

/// A named account. Every account joins the collection account on an event of default and on the final date.
struct Account {
  std::string name;
  AccountKind kind = AccountKind::reserve;
  AccountTarget target = FixedAmount{0.0};  ///< Reserve accounts only.
  double initial_balance = 0.0;             ///< Funded at the valuation date from closing proceeds.
  bool covers_senior_interest = true;       ///< Reserve accounts: drawn for a senior interest shortfall.

  bool operator==(const Account&) const = default;
};

}  // namespace computedebt::deal
