#include <computedebt/calibration/contract_schedule.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::calibration {

namespace {
/// The `n`-th anniversary of the start, with the day clipped as QuantLib does (29 Feb -> 28 Feb).
Date anniversary(const deal::Contract& contract, int n) { return add_months(contract.start_date, 12 * n); }
}  // namespace

double promised_payments(const deal::Contract& contract, Date from, Date to) {
  if (!contract.lease) return 0.0;
  const Date begin = std::max(from, contract.start_date);
  const Date end = std::min(to, contract.end_date);
  double total = 0.0;
  // Walk the contract years that overlap [begin, end): the rate is constant within each.
  for (int n = 0; anniversary(contract, n) < end; ++n) {
    const Date year_begin = std::max(begin, anniversary(contract, n));
    const Date year_end = std::min(end, anniversary(contract, n + 1));
    if (year_end <= year_begin) continue;
    const double hours = 24.0 * static_cast<double>(days_between(year_begin, year_end));
    total += hours * static_cast<double>(contract.lease->gpu_count) * contract.lease->price_per_gpu_hour *
             std::pow(1.0 + contract.annual_escalator, n);
  }
  return total;
}

std::vector<double> promised_schedule(const deal::Contract& contract, const MonthGrid& grid) {
  std::vector<double> schedule(grid.dates.size(), 0.0);
  for (std::size_t k = 1; k < grid.dates.size(); ++k)
    schedule[k] = promised_payments(contract, grid.dates[k - 1], grid.dates[k]);
  return schedule;
}

}  // namespace computedebt::calibration
