#include <computedebt/waterfall/loss_tranches.hpp>

#include <algorithm>

namespace computedebt::waterfall {

double portfolio_loss(const calibration::ContractPlan& contracts, std::span<const double> recovery,
                      std::span<const int> default_month, std::span<const std::uint32_t> defaulted,
                      std::span<double> name_loss) noexcept {
  const int survives = static_cast<int>(contracts.columns);
  double loss = 0.0;
  const double scale = contracts.total_exposure > 0.0 ? 1.0 / contracts.total_exposure : 0.0;
  for (std::size_t k = 0; k < defaulted.size(); ++k) {
    const std::uint32_t counterparty = defaulted[k];
    double own = 0.0;
    for (std::uint32_t c = contracts.contracts_of_start[counterparty];
         c < contracts.contracts_of_start[counterparty + 1]; ++c) {
      const std::uint32_t j = contracts.contracts_of[c];
      const auto outcome = scenario::resolve_contract(contracts, j, default_month);
      if (outcome.month >= survives) continue;
      const double r = recovery[outcome.recovering];
      const double lost = contracts.exposure_at(j, outcome.month) * (1.0 - r);
      loss += lost;
      own += lost;
    }
    if (!name_loss.empty()) name_loss[k] = own * scale;
  }
  return contracts.total_exposure > 0.0 ? loss / contracts.total_exposure : 0.0;
}

}  // namespace computedebt::waterfall
