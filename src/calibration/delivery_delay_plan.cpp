#include <computedebt/calibration/delivery_delay_plan.hpp>
#include <computedebt/calibration/plan.hpp>

namespace computedebt::calibration {

DeliveryDelayPlan plan_delivery_delay(const deal::Deal& deal, const assumptions::DeliveryDelay& delay,
                                      const WaterfallPlan& waterfall, const Plan& plan) {
  const auto& structure = std::get<deal::Waterfall>(deal.structure);
  const int p = structure.payment_frequency_months;
  const Date t0 = deal.valuation_date;
  const auto& gpu = plan.gpu;
  DeliveryDelayPlan planned;
  planned.start.push_back(0);
  for (std::size_t d = 0; d < plan.collateral.deliveries.size(); ++d) {
    const auto& delivery = plan.collateral.deliveries[d];
    const auto& cohort = (*deal.fleet)[delivery.cohort];
    const auto found = delay.cohorts.find(cohort.id);
    const auto& distribution = found != delay.cohorts.end() ? found->second : delay.delay;
    // The draw's tranche bounds when it may still fund the delivery.
    const std::uint32_t j = waterfall.delivery_draw[d];
    const deal::DebtTranche* tranche = j == no_draw ? nullptr : &structure.tranches[waterfall.draws[j].tranche];
    double cumulative = 0.0;
    for (std::size_t i = 0; i < distribution.months.size(); ++i) {
      const int months = distribution.months[i];
      const int month = deal::funding_month(t0, p, add_months(cohort.acquired, months));
      const std::size_t date = static_cast<std::size_t>(month / p);
      cumulative += distribution.probabilities[i];
      planned.cumulative.push_back(i + 1 == distribution.months.size() ? 1.0 : cumulative);
      planned.months.push_back(months);
      planned.month.push_back(month);
      planned.date.push_back(date);
      // On time, the value is the plan's own; late, the cohort's value in its funding month.
      planned.value.push_back(
          month == delivery.month
              ? waterfall.delivery_value[d]
              : delivery.count *
                    gpu.cohort_value[delivery.cohort * gpu.columns +
                                     static_cast<std::size_t>(std::min(month, static_cast<int>(gpu.columns) - 1))]);
      planned.drawable.push_back(tranche && add_months(t0, month) <= tranche->delayed_draw->availability_end &&
                                         month < deal::last_payment_month(t0, p, tranche->legal_maturity)
                                     ? 1
                                     : 0);
    }
    planned.start.push_back(static_cast<std::uint32_t>(planned.cumulative.size()));
  }
  return planned;
}

}  // namespace computedebt::calibration
