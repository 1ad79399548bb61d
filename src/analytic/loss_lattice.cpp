#include <computedebt/analytic/loss_lattice.hpp>
#include <computedebt/core/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace computedebt::analytic {

namespace {

/// A name's loss in the months `first..last`, all equal.
struct Run {
  double loss;
  int first, last;
};

/// Euclid's algorithm on reals, a remainder within `tolerance` of 0 or of the divisor counting as exact.
double common_unit(double a, double b, double tolerance) {
  while (b > tolerance) {
    double r = std::fmod(a, b);
    if (b - r <= tolerance) r = 0.0;
    a = b;
    b = r;
  }
  return a;
}

}  // namespace

LossLattice loss_lattice(const calibration::Plan& plan, std::size_t max_units) {
  const auto& contracts = plan.contracts;
  const auto& credit = plan.credit;
  const int horizon = static_cast<int>(contracts.columns) - 1;
  for (std::size_t j = 0; j < contracts.contracts; ++j)
    require_input(contracts.guarantor[j] == calibration::no_guarantor, fmt::format("deal.contracts[{}].guarantee", j),
                  "the semi-analytic method needs names that are independent given the factors, and a guarantee "
                  "joins two names' losses; use the Monte Carlo");

  // Each name's runs of equal loss over the months 1..K; the loss in month k is `(1 - R) sum_j EAD_j(k)`.
  std::vector<std::vector<Run>> runs(credit.names);
  std::vector<int> months{0, horizon};
  double largest = 0.0;
  for (std::size_t i = 0; i < credit.names; ++i) {
    for (int k = 1; k <= horizon; ++k) {
      double loss = 0.0;
      for (std::uint32_t c = contracts.contracts_of_start[i]; c < contracts.contracts_of_start[i + 1]; ++c)
        loss += contracts.exposure_at(contracts.contracts_of[c], k);
      loss *= 1.0 - credit.recovery_rates[i];
      if (!runs[i].empty() && runs[i].back().loss == loss && runs[i].back().last == k - 1)
        runs[i].back().last = k;
      else if (loss > 0.0)
        runs[i].push_back({loss, k, k});
    }
    for (const auto& run : runs[i]) {
      months.push_back(run.first - 1);
      months.push_back(run.last);
      largest = std::max(largest, run.loss);
    }
  }
  std::sort(months.begin(), months.end());
  months.erase(std::unique(months.begin(), months.end()), months.end());

  LossLattice lattice;
  lattice.total_exposure = contracts.total_exposure;
  lattice.months = months;
  lattice.group_of = credit.group_of;
  const auto index_of = [&](int month) {
    return static_cast<std::uint32_t>(std::lower_bound(months.begin(), months.end(), month) - months.begin());
  };
  // A common unit within a relative 1e-9 of the largest loss, if the pool's largest loss spans few enough of them.
  const double tolerance = 1e-9 * largest;
  double unit = 0.0, pool_largest = 0.0;
  for (const auto& name : runs) {
    double name_largest = 0.0;
    for (const auto& run : name) {
      unit = unit == 0.0 ? run.loss : common_unit(std::max(unit, run.loss), std::min(unit, run.loss), tolerance);
      name_largest = std::max(name_largest, run.loss);
    }
    pool_largest += name_largest;
  }
  bool common = unit > 0.0 && pool_largest / unit <= static_cast<double>(max_units);
  for (const auto& name : runs)
    for (const auto& run : name)
      common = common && std::abs(run.loss - std::round(run.loss / unit) * unit) <= tolerance;
  lattice.bucketed = largest > 0.0 && !common;
  lattice.unit = largest == 0.0 ? 1.0 : common ? unit : pool_largest / static_cast<double>(max_units);

  // Each loss rounded to the nearest unit; on any scenario the lattice loss is off by at most the sum over names
  // of the largest rounding up, or of the largest rounding down.
  double up = 0.0, down = 0.0;
  lattice.outcomes_start.push_back(0);
  for (std::size_t i = 0; i < credit.names; ++i) {
    double name_up = 0.0, name_down = 0.0;
    std::uint32_t name_units = 0;
    for (const auto& run : runs[i]) {
      const auto units = static_cast<std::uint32_t>(std::round(run.loss / lattice.unit));
      const double rounding = units * lattice.unit - run.loss;
      name_up = std::max(name_up, rounding);
      name_down = std::max(name_down, -rounding);
      name_units = std::max(name_units, units);
      if (units > 0) lattice.outcomes.push_back({units, index_of(run.first - 1), index_of(run.last)});
    }
    up += name_up;
    down += name_down;
    lattice.max_units += name_units;
    lattice.outcomes_start.push_back(static_cast<std::uint32_t>(lattice.outcomes.size()));
  }
  lattice.error_bound = lattice.total_exposure > 0.0 ? std::max(up, down) / lattice.total_exposure : 0.0;
  return lattice;
}

}  // namespace computedebt::analytic
