#pragma once
/// \file
/// A borrowing base: how much a facility may have outstanding against its eligible collateral, tested on each
/// payment date (docs/methodology.md section 5.7).

#include <optional>
#include <string>
#include <vector>

namespace computedebt::deal {

/// The share of each class of eligible collateral that the borrowing base advances against.
struct AdvanceRates {
  double investment_grade = 0.0;      ///< Contracts whose counterparty is rated investment grade.
  double sub_investment_grade = 0.0;  ///< Other contracts, unless guaranteed.
  double guaranteed = 0.0;            ///< Other contracts under a running investment-grade guarantee.
  double gpu = 0.0;                   ///< The market value of the GPUs owned.
  double facilities = 0.0;            ///< The market value of the data-centre facilities owned.

  bool operator==(const AdvanceRates&) const = default;
};

/// Most of the eligible collateral one holder may make up; the excess is not eligible. Absent limits do not apply.
struct ConcentrationLimits {
  std::optional<double> single_counterparty;   ///< Share of the eligible contracted value.
  std::optional<double> sub_investment_grade;  ///< Share of the eligible contracted value.
  std::optional<double> single_gpu_type;       ///< Share of the GPUs' market value.

  bool operator==(const ConcentrationLimits&) const = default;
};

/// The borrowing base of a waterfall's facility tranches.
struct BorrowingBase {
  std::vector<std::string> tranches;  ///< The facility's tranches; all when empty.
  AdvanceRates advance_rates;
  int minimum_remaining_months = 0;  ///< A contract with less left to run is not eligible.
  ConcentrationLimits concentration_limits;
  int cure_period_months = 0;  ///< A deficiency not cured for this long is an event of default.

  bool operator==(const BorrowingBase&) const = default;
};

}  // namespace computedebt::deal
