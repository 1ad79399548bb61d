#pragma once
/// \file
/// Covenants as data: a metric tested on each payment date against a level, and what a breach sets off
/// (docs/methodology.md section 5).

#include <computedebt/core/date.hpp>

#include <string>
#include <variant>
#include <vector>

namespace computedebt::deal {

/// Debt service coverage: income less fees over interest plus scheduled principal, on the period or trailing.
struct DebtServiceCoverage {
  int trailing_months = 0;       ///< 0: the period; else a multiple of the payment frequency.
  bool include_balloon = false;  ///< Whether a final bullet or balloon counts as debt service.

  bool operator==(const DebtServiceCoverage&) const = default;
};

/// All balances over the market value of the GPUs owned, after scheduled principal.
struct LoanToValue {
  bool operator==(const LoanToValue&) const = default;
};

/// Contracted coverage: the PV of the performing contracts' remaining payments over all balances.
struct ContractedCoverage {
  bool operator==(const ContractedCoverage&) const = default;
};

/// The investment-grade share of the performing contracts' remaining contracted revenue (by PV).
struct InvestmentGradeShare {
  bool operator==(const InvestmentGradeShare&) const = default;
};

/// Liquidity: the balances of every reserve and trap account.
struct Liquidity {
  bool operator==(const Liquidity&) const = default;
};

/// The weighted average rating factor (WARF) of the performing contracts' remaining contracted revenue (by PV):
/// each contract counts at the Moody's rating factor of the better of its counterparty's and guarantor's ratings.
struct WeightedAverageRatingFactor {
  bool operator==(const WeightedAverageRatingFactor&) const = default;
};

/// What a covenant measures. LTV and the rating factor are breached above their level, every other metric below
/// it.
using CovenantMetric = std::variant<DebtServiceCoverage, LoanToValue, ContractedCoverage, InvestmentGradeShare,
                                    Liquidity, WeightedAverageRatingFactor>;

/// Whether a higher value of the metric is worse: LTV and the rating factor.
inline bool higher_is_worse(const CovenantMetric& metric) {
  return std::holds_alternative<LoanToValue>(metric) || std::holds_alternative<WeightedAverageRatingFactor>(metric);
}

/// A level that changes on dates: `initial`, then each step's level from its date on.
struct CovenantLevel {
  struct Step {
    Date from;
    double level;

    bool operator==(const Step&) const = default;
  };
  double initial = 0.0;
  std::vector<Step> steps;  ///< In date order.

  bool operator==(const CovenantLevel&) const = default;
};

/// Pays `fraction` of the cash left at the cash-sweep step as principal.
struct SweepCash {
  double fraction = 1.0;

  bool operator==(const SweepCash&) const = default;
};

/// Traps cash at the account's trap step from a failed test until `release_after_passes` consecutive passes;
/// after `apply_after_failures` consecutive failures (0: never) the trapped cash repays principal.
struct TrapCash {
  std::string account;
  int release_after_passes = 1;
  int apply_after_failures = 0;

  bool operator==(const TrapCash&) const = default;
};

/// Nothing is distributed to equity while breached; the cash stays in the collection account.
struct BlockDistributions {
  bool operator==(const BlockDistributions&) const = default;
};

/// The coupons of the named tranches (all when empty) rise by `bp` for the period after a failed test.
struct MarginStepUp {
  double bp = 0.0;
  std::vector<std::string> tranches;

  bool operator==(const MarginStepUp&) const = default;
};

/// An event of default once the covenant has been breached for `cure_period_months`; up to `equity_cures`
/// breaches are cured by the equity paying in what restores the level.
struct DefaultAfterCure {
  int cure_period_months = 0;
  int equity_cures = 0;

  bool operator==(const DefaultAfterCure&) const = default;
};

/// What a breach sets off.
using CovenantConsequence = std::variant<SweepCash, TrapCash, BlockDistributions, MarginStepUp, DefaultAfterCure>;

/// A covenant of the waterfall.
struct Covenant {
  std::string name;
  CovenantMetric metric;
  CovenantLevel level;
  CovenantConsequence consequence;

  bool operator==(const Covenant&) const = default;
};

}  // namespace computedebt::deal
