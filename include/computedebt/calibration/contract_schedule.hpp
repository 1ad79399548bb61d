#pragma once
/// \file
/// Promised contract payments: GPU-hours or kW-months times the escalated rate (docs/methodology.md sections 4.2
/// and 4.10).

#include <computedebt/calibration/month_grid.hpp>
#include <computedebt/deal/contract.hpp>

#include <vector>

namespace computedebt::calibration {

/// Payments promised for the days of `[from, to)` inside `[start_date, end_date)`, the rate in force on a day being
/// `price (1 + escalator)^n` with `n` the whole contract years since the start. A GPU lease pays 24 x days x GPUs x
/// rate; a capacity lease pays kW x rate for each calendar month, pro rata by its days. Zero for a contract with
/// neither (a loss-tranche contract's notional).
double promised_payments(const deal::Contract& contract, Date from, Date to);

/// Promised payments for each grid month `k = 1..K` (index 0 is zero): the days `[t_{k-1}, t_k)`.
std::vector<double> promised_schedule(const deal::Contract& contract, const MonthGrid& grid);

}  // namespace computedebt::calibration
