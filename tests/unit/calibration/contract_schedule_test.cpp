#include <gtest/gtest.h>
#include <computedebt/calibration/contract_schedule.hpp>

using namespace computedebt;
using namespace std::chrono;

namespace {
deal::Contract lease(Date start, Date end, double escalator = 0.0) {
  deal::Contract contract;
  contract.id = "x";
  contract.counterparty = "c";
  contract.lease = deal::GpuLease{"H100", 100, 2.0};
  contract.start_date = start;
  contract.end_date = end;
  contract.annual_escalator = escalator;
  return contract;
}
/// The payment for one day.
double one_day(const deal::Contract& contract, Date day) {
  return calibration::promised_payments(contract, day, Date{std::chrono::sys_days{day} + std::chrono::days{1}});
}
}  // namespace

TEST(contract_schedule, partial_first_and_last_months_count_their_days) {
  const auto grid = calibration::make_month_grid(year{2026} / January / 1, 4);
  const auto schedule = calibration::promised_schedule(lease(year{2026} / January / 15, year{2026} / March / 15), grid);
  const double per_day = 24.0 * 100 * 2.0;
  EXPECT_EQ(schedule[0], 0.0);
  EXPECT_DOUBLE_EQ(schedule[1], 17 * per_day);  // 15..31 January
  EXPECT_DOUBLE_EQ(schedule[2], 28 * per_day);  // February
  EXPECT_DOUBLE_EQ(schedule[3], 14 * per_day);  // 1..14 March; the end date is not leased
  EXPECT_EQ(schedule[4], 0.0);
}

TEST(contract_schedule, escalator_applies_from_each_anniversary) {
  const auto grid = calibration::make_month_grid(year{2026} / January / 1, 12);
  const auto contract = lease(year{2025} / July / 15, year{2028} / July / 15, 0.1);
  const auto schedule = calibration::promised_schedule(contract, grid);
  const double per_day = 24.0 * 100 * 2.0;
  EXPECT_DOUBLE_EQ(schedule[1], 31 * per_day);                       // a seasoned lease: only days from t0
  EXPECT_DOUBLE_EQ(schedule[7], 14 * per_day + 17 * per_day * 1.1);  // July 2026 spans the first anniversary
  EXPECT_DOUBLE_EQ(schedule[8], 31 * per_day * 1.1);
  EXPECT_DOUBLE_EQ(one_day(contract, year{2027} / July / 15), per_day * 1.1 * 1.1);
  EXPECT_DOUBLE_EQ(one_day(contract, year{2027} / July / 14), per_day * 1.1);
}

TEST(contract_schedule, a_leap_day_start_has_its_anniversary_on_28_february) {
  const auto contract = lease(year{2024} / February / 29, year{2027} / February / 28, 0.1);
  EXPECT_DOUBLE_EQ(one_day(contract, year{2025} / February / 27), 24.0 * 100 * 2.0);
  EXPECT_DOUBLE_EQ(one_day(contract, year{2025} / February / 28), 24.0 * 100 * 2.2);
}

TEST(contract_schedule, whole_life_payments_are_hours_times_gpus_times_rate) {
  const auto contract = lease(year{2026} / March / 1, year{2031} / March / 1);
  const double days = static_cast<double>(days_between(contract.start_date, contract.end_date));
  EXPECT_DOUBLE_EQ(calibration::promised_payments(contract, year{2020} / January / 1, year{2040} / January / 1),
                   24.0 * days * 100 * 2.0);
  deal::Contract notional_only = contract;
  notional_only.lease.reset();
  EXPECT_EQ(calibration::promised_payments(notional_only, year{2020} / January / 1, year{2040} / January / 1), 0.0);
}
