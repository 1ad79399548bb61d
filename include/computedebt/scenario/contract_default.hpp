#pragma once
/// \file
/// When a contract defaults, guarantees included (docs/methodology.md section 2.5), and what its guarantor pays last.

#include <computedebt/calibration/plan.hpp>

#include <algorithm>
#include <cstdint>
#include <span>

namespace computedebt::scenario {

/// The month a contract defaults in and whose recovery applies, guarantees included (docs/methodology.md section 2.5).
struct ContractDefault {
  int month;          ///< `K + 1` when it does not default on the grid.
  bool by_guarantor;  ///< The guarantor's default ended the guarantee: its recovery applies.
};

/// Double default: the guarantor pays from the counterparty's default month until its own default or the
/// guarantee's end month (its expiry, or the month its cap runs out), and the contract defaults then. A
/// guarantor that defaulted first, or a guarantee that ended first, leaves the contract unguaranteed.
inline ContractDefault contract_default(int counterparty_month, int guarantor_month, int guarantee_end_month,
                                        bool guaranteed, int survives) noexcept {
  if (!guaranteed || counterparty_month >= survives || guarantor_month < counterparty_month ||
      guarantee_end_month < counterparty_month)
    return {counterparty_month, false};
  if (guarantor_month <= guarantee_end_month) return {std::min(guarantor_month, survives), guarantor_month < survives};
  return {std::min(guarantee_end_month, survives), false};
}

/// A contract's default on a path, resolved from its counterparty's and guarantor's default months.
struct ContractOutcome {
  int month;                 ///< `K + 1` when it does not default on the grid.
  std::uint32_t recovering;  ///< The name whose recovery rate applies.
  double final_guarantee;    ///< What the guarantor pays in `month` when its cap runs out then; else 0.
};

/// Resolves contract `j` given every name's default month (`K + 1` for survivors).
inline ContractOutcome resolve_contract(const calibration::ContractPlan& contracts, std::uint32_t j,
                                        std::span<const int> default_month) noexcept {
  const int survives = static_cast<int>(contracts.columns);
  const std::uint32_t counterparty = contracts.counterparty[j], guarantor = contracts.guarantor[j];
  const bool guaranteed = guarantor != calibration::no_guarantor;
  const int first = default_month[counterparty];
  if (!guaranteed || first >= survives) return {first, counterparty, 0.0};
  // The guarantee ends at its expiry or when its cap runs out, whichever comes first.
  const int cap_month = contracts.cap_exhausted_month(j, first);
  const int end = std::min(contracts.guarantee_end_month[j], cap_month);
  const auto outcome = contract_default(first, default_month[guarantor], end, true, survives);
  double final_guarantee = 0.0;
  // Ended by its cap (not by the guarantor's default nor its expiry): the cap's remainder is paid that month.
  if (outcome.month < survives && !outcome.by_guarantor && outcome.month == cap_month &&
      cap_month < contracts.guarantee_end_month[j]) {
    const double* cumulative = contracts.promised_cumulative.data() + j * contracts.columns;
    final_guarantee = contracts.guarantee_cap[j] - (cumulative[cap_month - 1] - cumulative[first - 1]);
  }
  return {outcome.month, outcome.by_guarantor ? guarantor : counterparty, final_guarantee};
}

}  // namespace computedebt::scenario
