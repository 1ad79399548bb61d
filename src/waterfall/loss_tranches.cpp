#include <computedebt/waterfall/loss_tranches.hpp>

#include <algorithm>

namespace computedebt::waterfall {

double portfolio_loss(const calibration::ContractPlan& contracts, std::span<const double> recovery,
                      std::span<const int> default_month, std::span<const std::uint32_t> defaulted) noexcept {
  const int survives = static_cast<int>(contracts.columns);
  double loss = 0.0;
  for (const std::uint32_t counterparty : defaulted) {
    for (std::uint32_t c = contracts.contracts_of_start[counterparty];
         c < contracts.contracts_of_start[counterparty + 1]; ++c) {
      const std::uint32_t j = contracts.contracts_of[c];
      const auto outcome = scenario::resolve_contract(contracts, j, default_month);
      if (outcome.month >= survives) continue;
      const double r = recovery[outcome.recovering];
      loss += contracts.exposure_at(j, outcome.month) * (1.0 - r);
    }
  }
  return contracts.total_exposure > 0.0 ? loss / contracts.total_exposure : 0.0;
}

}  // namespace computedebt::waterfall
