#include <computedebt/calibration/borrowing_base_plan.hpp>

#include <algorithm>

namespace computedebt::calibration {

BorrowingBaseValue BorrowingBasePlan::contracts_at(std::size_t m, int month, std::span<const int> default_month,
                                                   std::span<const std::uint8_t> cancelled) const noexcept {
  const std::size_t columns = dates + 1;
  const auto alive = [&](std::uint32_t name) { return default_month.empty() || default_month[name] > month; };
  const auto running = [&](std::size_t c) { return cancelled.empty() || cancelled[c] == 0; };
  double total = 0.0;
  for (std::size_t c = 0; c < counterparty.size(); ++c)
    if (alive(counterparty[c]) && running(c)) total += eligible_value[c * columns + m];
  BorrowingBaseValue value;
  // The limits are shares of all eligible contracted value, before any exclusion (docs/methodology.md 5.7).
  const double single_limit = single_counterparty_limit * total;
  for (std::size_t g = 0; g + 1 < group_start.size(); ++g) {
    double grade = 0.0, other = 0.0, covered = 0.0;
    for (std::uint32_t i = group_start[g]; i < group_start[g + 1]; ++i) {
      const std::uint32_t c = by_counterparty[i];
      const double v = eligible_value[c * columns + m];
      if (v <= 0.0 || !alive(counterparty[c]) || !running(c)) continue;
      if (investment_grade[c]) {
        grade += v;
      } else if (investment_grade_guarantee[c] && month < guarantee_end_month[c] && alive(guarantor[c])) {
        const double part = std::min(v, guarantee_cap[c]);
        covered += part;
        other += v - part;
      } else {
        other += v;
      }
    }
    const double sum = grade + other + covered;
    if (sum > single_limit) {
      const double kept = single_limit / sum;
      value.excluded += sum - single_limit;
      grade *= kept;
      other *= kept;
      covered *= kept;
    }
    value.investment_grade += grade;
    value.sub_investment_grade += other;
    value.guaranteed += covered;
  }
  const double sub_limit = sub_investment_grade_limit * total;
  if (value.sub_investment_grade > sub_limit) {
    value.excluded += value.sub_investment_grade - sub_limit;
    value.sub_investment_grade = sub_limit;
  }
  return value;
}

void BorrowingBasePlan::add_gpus(BorrowingBaseValue& value, std::span<const double> type_value) const noexcept {
  double total = 0.0;
  for (const double v : type_value) total += v;
  const double limit = single_gpu_type_limit * total;
  for (const double v : type_value) {
    value.gpu += std::min(v, limit);
    value.excluded += std::max(v - limit, 0.0);
  }
}

}  // namespace computedebt::calibration
