#pragma once
/// \file
/// Promised contract payments: GPU-hours times the escalated rate (docs/methodology.md section 4.2).

#include <computedebt/calibration/month_grid.hpp>
#include <computedebt/deal/contract.hpp>

#include <vector>

namespace computedebt::calibration {

/// Payments promised for the days of `[from, to)` inside `[start_date, end_date)`: 24 x days x GPUs x rate, the
/// rate in force on a day being `price (1 + escalator)^n` with `n` the whole contract years since the start.
/// Zero for a contract without a GPU lease.
double promised_payments(const deal::Contract& contract, Date from, Date to);

/// Promised payments for each grid month `k = 1..K` (index 0 is zero): the days `[t_{k-1}, t_k)`.
std::vector<double> promised_schedule(const deal::Contract& contract, const MonthGrid& grid);

}  // namespace computedebt::calibration
