#pragma once
/// \file
/// The priority of payments as data: the ordered steps run on each payment date (docs/methodology.md
/// section 5).

#include <string>
#include <variant>
#include <vector>

namespace computedebt::deal {

/// Senior expenses (the deal's fees), with any left unpaid before.
struct SeniorExpenses {
  bool operator==(const SeniorExpenses&) const = default;
};

/// Interest of the named tranches (all, most senior first, when empty): one after the other, or as one
/// pari-passu class paid pro rata to what each is due.
struct InterestPayment {
  std::vector<std::string> tranches;
  bool pari_passu = false;

  bool operator==(const InterestPayment&) const = default;
};

/// Funds a reserve account to its target, or releases the excess.
struct ReserveFunding {
  std::string account;

  bool operator==(const ReserveFunding&) const = default;
};

/// How much principal a principal step pays.
enum class PrincipalMode {
  scheduled,      ///< Down to each tranche's amortisation target; what is unpaid stays due.
  target,         ///< Down to the step's own target balances (fractions of notional by payment date).
  all_available,  ///< Every unit of cash left.
};

/// Principal of the named tranches (all, most senior first, when empty), one after the other or pro rata.
struct PrincipalPayment {
  std::vector<std::string> tranches;
  bool pari_passu = false;
  PrincipalMode mode = PrincipalMode::scheduled;
  std::vector<double> target_balances;  ///< `target` mode: after each payment date; 0 after the last.

  bool operator==(const PrincipalPayment&) const = default;
};

/// Pays principal, sequentially, with the share of cash that breached sweep covenants or a passed anticipated
/// repayment date call for.
struct CashSweep {
  bool operator==(const CashSweep&) const = default;
};

/// Moves cash into a trap account while a cash-trap covenant holds it; releases or applies the balance.
struct CashTrap {
  std::string account;

  bool operator==(const CashTrap&) const = default;
};

/// Step-up interest after anticipated repayment dates, deferred until paid, for the named tranches (all when
/// empty), most senior first.
struct StepUpInterest {
  std::vector<std::string> tranches;

  bool operator==(const StepUpInterest&) const = default;
};

/// The hedges' net periodic payments: what they pay the SPV joins the cash, what the SPV owes is paid from it.
struct HedgePayment {
  bool operator==(const HedgePayment&) const = default;
};

/// Termination payments the SPV owes on hedges closed out early.
struct HedgeTermination {
  bool operator==(const HedgeTermination&) const = default;
};

/// What is left goes to equity, unless a covenant blocks distributions.
struct EquityDistribution {
  bool operator==(const EquityDistribution&) const = default;
};

/// One step of a priority of payments.
using PaymentStep = std::variant<SeniorExpenses, InterestPayment, ReserveFunding, PrincipalPayment, CashSweep, CashTrap,
                                 StepUpInterest, EquityDistribution, HedgePayment, HedgeTermination>;

/// The two lists of steps: before an event of default, and from it on (enforcement).
struct PriorityOfPayments {
  std::vector<PaymentStep> before_enforcement;
  std::vector<PaymentStep> after_enforcement;  ///< Empty: fees, then each tranche's interest and balance in order.

  bool operator==(const PriorityOfPayments&) const = default;
};

}  // namespace computedebt::deal
