#include <computedebt/waterfall/loss_tranches.hpp>

namespace computedebt::waterfall {

double portfolio_loss(const calibration::Plan& plan, std::span<const int> default_month) noexcept {
  const auto& contracts = plan.contracts;
  const auto& recovery = plan.credit.recovery_rates;
  const int survives = static_cast<int>(contracts.columns);
  double loss = 0.0, exposure = 0.0;
  for (std::size_t j = 0; j < contracts.contracts; ++j) {
    exposure += contracts.exposure[j];
    const std::uint32_t guarantor = contracts.guarantor[j];
    const bool guaranteed = guarantor != calibration::no_guarantor;
    const auto outcome = scenario::contract_default(default_month[contracts.counterparty[j]],
                                                    guaranteed ? default_month[guarantor] : survives,
                                                    contracts.guarantee_end_month[j], guaranteed, survives);
    if (outcome.month >= survives) continue;
    const double r = recovery[outcome.by_guarantor ? guarantor : contracts.counterparty[j]];
    loss += contracts.exposure_at(j, outcome.month) * (1.0 - r);
  }
  return exposure > 0.0 ? loss / exposure : 0.0;
}

}  // namespace computedebt::waterfall
