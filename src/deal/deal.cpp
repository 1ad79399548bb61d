#include <computedebt/core/error.hpp>
#include <computedebt/deal/deal.hpp>

#include <algorithm>
#include <map>

namespace computedebt::deal {

PeakUsage peak_gpus_under_contract(const Deal& deal, std::string_view gpu_type) {
  // Sweep the start and end days of the leases; a contract occupies [start, end).
  const auto t0 = std::chrono::sys_days{deal.valuation_date};
  std::map<std::chrono::sys_days, std::int64_t> change;
  for (const auto& contract : deal.contracts) {
    if (!contract.lease || contract.lease->gpu_type != gpu_type) continue;
    const auto start = std::max(std::chrono::sys_days{contract.start_date}, t0);
    const auto end = std::chrono::sys_days{contract.end_date};
    if (end <= start) continue;
    change[start] += contract.lease->gpu_count;
    change[end] -= contract.lease->gpu_count;
  }
  PeakUsage peak{0, deal.valuation_date};
  std::int64_t running = 0;
  for (const auto& [day, delta] : change) {
    running += delta;
    if (running > peak.gpus) peak = {running, Date{day}};
  }
  return peak;
}

std::vector<FleetCohort> effective_fleet(const Deal& deal) {
  if (deal.fleet) return *deal.fleet;
  std::vector<FleetCohort> fleet;
  for (const auto& type : deal.gpu_types) {
    const auto peak = peak_gpus_under_contract(deal, type.id);
    if (peak.gpus > 0) fleet.push_back({type.id, peak.gpus, deal.valuation_date, {}});
  }
  return fleet;
}

int funding_month(Date valuation_date, int payment_frequency_months, Date acquired) {
  require(payment_frequency_months > 0, "funding_month needs a payment frequency of at least one month");
  if (acquired <= valuation_date) return 0;
  int month = payment_frequency_months;
  while (add_months(valuation_date, month) < acquired) month += payment_frequency_months;
  return month;
}

int last_payment_month(Date valuation_date, int payment_frequency_months, Date legal_maturity) {
  require(payment_frequency_months > 0, "last_payment_month needs a payment frequency of at least one month");
  int last = 0;
  // Each date from t0 (never by repeated addition); months of payment dates are multiples of the frequency.
  for (int month = payment_frequency_months; add_months(valuation_date, month) <= legal_maturity;
       month += payment_frequency_months)
    last = month;
  return last;
}

}  // namespace computedebt::deal
