#include <computedebt/calibration/month_grid.hpp>

#include <algorithm>
#include <cmath>

#include "quantlib_bridge.hpp"

#include <ql/time/daycounters/actual365fixed.hpp>
#include <ql/time/period.hpp>

namespace computedebt::calibration {

int MonthGrid::month_containing(Date date) const {
  // First k with date <= t_k; dates on or before t0 belong to month 0.
  const auto k = std::lower_bound(dates.begin(), dates.end(), date) - dates.begin();
  return static_cast<int>(k);
}

MonthGrid make_month_grid(Date t0, int months) {
  MonthGrid grid;
  const QuantLib::Date start = detail::to_quantlib(t0);
  for (int k = 0; k <= months; ++k) {
    // Each date from t0, never by repeated addition, so that 31 Jan gives 28 Feb then 31 Mar.
    const QuantLib::Date date = start + QuantLib::Period(k, QuantLib::Months);
    grid.dates.push_back(detail::from_quantlib(date));
    grid.times.push_back(QuantLib::Actual365Fixed().yearFraction(start, date));
  }
  return grid;
}

double year_fraction(Date a, Date b) { return static_cast<double>(days_between(a, b)) / 365.0; }

int horizon_month(double years) { return static_cast<int>(std::lround(12.0 * years)); }

}  // namespace computedebt::calibration
