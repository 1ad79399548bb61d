#include <computedebt/calibration/contract_schedule.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::calibration {

namespace {
/// The `n`-th anniversary of the start, with the day clipped as QuantLib does (29 Feb -> 28 Feb).
Date anniversary(const deal::Contract& contract, int n) { return add_months(contract.start_date, 12 * n); }

/// The first day of the calendar month after `date`'s.
Date next_month_start(Date date) { return date.year() / date.month() / 1 + std::chrono::months{1}; }

/// A capacity lease's charges over `[begin, end)`: each calendar month's days at the kW-month rate in force on them
/// over that month's length (docs/methodology.md section 4.10).
double capacity_charges(const deal::Contract& contract, Date begin, Date end) {
  const double kw = contract.capacity->megawatts * 1000.0;
  double total = 0.0;
  int n = 0;
  for (Date day = begin; day < end;) {
    while (anniversary(contract, n + 1) <= day) ++n;
    const Date month_start = day.year() / day.month() / 1, month_end = next_month_start(day);
    const Date piece_end = std::min({end, month_end, anniversary(contract, n + 1)});
    total += kw * contract.capacity->price_per_kw_month * std::pow(1.0 + contract.annual_escalator, n) *
             static_cast<double>(days_between(day, piece_end)) /
             static_cast<double>(days_between(month_start, month_end));
    day = piece_end;
  }
  return total;
}
}  // namespace

double promised_payments(const deal::Contract& contract, Date from, Date to) {
  const Date begin = std::max(from, contract.start_date);
  const Date end = std::min(to, contract.end_date);
  if (contract.capacity) return begin < end ? capacity_charges(contract, begin, end) : 0.0;
  if (!contract.lease) return 0.0;
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
