#pragma once
/// \file
/// The loss-tranche structure on one path: portfolio loss at the horizon and each tranche's share of it
/// (docs/methodology.md section 5.1).

#include <computedebt/calibration/plan.hpp>
#include <computedebt/scenario/contract_default.hpp>

#include <algorithm>
#include <span>

namespace computedebt::waterfall {

/// `L = sum_j EAD_j (1 - R_j) 1{tau_j <= T} / sum_j E_j`, with each contract's default month and recovery
/// from `scenario::contract_default`. Only contracts of `defaulted` counterparties can default, so only they
/// are visited: the cost follows the number of defaults, not of contracts. `recovery` is per counterparty.
double portfolio_loss(const calibration::ContractPlan& contracts, std::span<const double> recovery,
                      std::span<const int> default_month, std::span<const std::uint32_t> defaulted) noexcept;

/// Tranche `[A, D]` loses `min(max(L - A, 0), D - A) / (D - A)`.
inline double tranche_loss(double loss, double attachment, double detachment) noexcept {
  const double width = detachment - attachment;
  return std::min(std::max(loss - attachment, 0.0), width) / width;
}

}  // namespace computedebt::waterfall
