#pragma once
/// \file
/// Calendar dates of the deal file (`YYYY-MM-DD`), as `std::chrono::year_month_day`.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace computedebt {

/// A calendar date. Deal value types use it; calibration converts to QuantLib dates.
using Date = std::chrono::year_month_day;

/// Parses a strict `YYYY-MM-DD` date; `std::nullopt` if malformed or not a real day (e.g. 2026-02-30).
std::optional<Date> parse_date(std::string_view text);

/// Formats a date as `YYYY-MM-DD`.
std::string format_date(Date date);

/// Days from `from` to `to` (negative if `to` is earlier).
inline long days_between(Date from, Date to) {
  return (std::chrono::sys_days{to} - std::chrono::sys_days{from}).count();
}

/// Days of `[from, to)` inside `[start, end)`.
inline double overlap_days(Date from, Date to, Date start, Date end) {
  const Date begin = from < start ? start : from, finish = to < end ? to : end;
  return finish > begin ? static_cast<double>(days_between(begin, finish)) : 0.0;
}

}  // namespace computedebt

namespace computedebt {

/// `date` plus `months`, with QuantLib's rule: the day is clipped to the month's length, no end-of-month rule.
inline Date add_months(Date date, int months) {
  const Date shifted = date + std::chrono::months{months};
  if (shifted.ok()) return shifted;
  return std::chrono::year_month_day_last{shifted.year(), std::chrono::month_day_last{shifted.month()}};
}

}  // namespace computedebt
