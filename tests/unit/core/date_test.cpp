#include <gtest/gtest.h>
#include <computedebt/core/date.hpp>

#include <ql/time/date.hpp>
#include <ql/time/period.hpp>

using computedebt::Date;
using namespace std::chrono;

TEST(date, parses_strict_iso_dates) {
  EXPECT_EQ(computedebt::parse_date("2026-01-31"), Date{year{2026} / January / 31});
  EXPECT_EQ(computedebt::parse_date("2024-02-29"), Date{year{2024} / February / 29});
}

TEST(date, refuses_malformed_and_impossible_dates) {
  for (const char* text : {"2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "01/02/2026",
                           "2026-01-01T00:00", "", "abcd-ef-gh", "2026-01-1x", "+026-01-01"})
    EXPECT_FALSE(computedebt::parse_date(text).has_value()) << text;
}

TEST(date, formats_as_iso) { EXPECT_EQ(computedebt::format_date(year{2031} / March / 5), "2031-03-05"); }

TEST(date, add_months_follows_quantlib_without_end_of_month_rule) {
  // The grid of docs/methodology.md section 1.1: 2026-01-31 gives 2026-02-28, then 2026-03-31.
  EXPECT_EQ(computedebt::add_months(year{2026} / January / 31, 1), Date{year{2026} / February / 28});
  EXPECT_EQ(computedebt::add_months(year{2026} / January / 31, 2), Date{year{2026} / March / 31});
  for (int day_offset = 0; day_offset < 800; day_offset += 7) {
    const Date start{sys_days{year{2024} / January / 1} + days{day_offset}};
    const QuantLib::Date ql_start(static_cast<QuantLib::Day>(unsigned(start.day())),
                                  static_cast<QuantLib::Month>(unsigned(start.month())), int(start.year()));
    for (int months : {1, 2, 3, 6, 11, 12, 13, 24, 59, 60, 120}) {
      const QuantLib::Date expected = ql_start + QuantLib::Period(months, QuantLib::Months);
      const Date got = computedebt::add_months(start, months);
      EXPECT_EQ(int(got.year()), expected.year());
      EXPECT_EQ(unsigned(got.month()), unsigned(expected.month()));
      EXPECT_EQ(unsigned(got.day()), unsigned(expected.dayOfMonth()))
          << computedebt::format_date(start) << " + " << months << " months";
    }
  }
}

TEST(date, days_between_counts_calendar_days) {
  EXPECT_EQ(computedebt::days_between(year{2026} / January / 1, year{2027} / January / 1), 365);
  EXPECT_EQ(computedebt::days_between(year{2028} / January / 1, year{2027} / January / 1), -365);
}
