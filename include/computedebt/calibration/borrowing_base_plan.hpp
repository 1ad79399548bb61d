#pragma once
/// \file
/// A borrowing base resolved onto the payment dates (docs/methodology.md section 5.7): each contract's class and
/// eligible value by date, the advance rates and the concentration limits.

#include <computedebt/calibration/covenant_plan.hpp>
#include <computedebt/deal/borrowing_base.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace computedebt::calibration {

/// The collateral a borrowing base counts on one date, after eligibility and the concentration limits.
struct BorrowingBaseValue {
  double investment_grade = 0.0;      ///< Contracted value (PV) of investment-grade counterparties.
  double sub_investment_grade = 0.0;  ///< Of the others, less what running guarantees cover.
  double guaranteed = 0.0;            ///< What running investment-grade guarantees cover, up to their caps.
  double gpu = 0.0;                   ///< Market value of the GPUs owned.
  double facilities = 0.0;            ///< Market value of the facilities owned.
  double excluded = 0.0;              ///< Eligible value the concentration limits leave out.

  /// Each class times its advance rate.
  double base(const deal::AdvanceRates& rates) const noexcept {
    return rates.investment_grade * investment_grade + rates.sub_investment_grade * sub_investment_grade +
           rates.guaranteed * guaranteed + rates.gpu * gpu + rates.facilities * facilities;
  }
};

/// A borrowing base on the payment dates. Per-contract-and-date arrays are `contracts x (dates + 1)`.
struct BorrowingBasePlan {
  std::vector<std::uint8_t> facility;  ///< Per tranche: whether the base limits its balance.
  deal::AdvanceRates advance_rates;
  /// The concentration limits as shares; 1 where the deal gives none.
  double single_counterparty_limit = 1.0, sub_investment_grade_limit = 1.0, single_gpu_type_limit = 1.0;
  int cure_period_months = 0;
  std::size_t covenant = no_covenant;  ///< Its test's position among the waterfall's covenants.
  std::size_t dates = 0;
  std::size_t gpu_types = 0;

  // Per contract, in deal order.
  std::vector<std::uint32_t> counterparty, guarantor;    ///< Credit-model indices; `guarantor` may be `no_guarantor`.
  std::vector<std::uint8_t> investment_grade;            ///< Its counterparty is rated investment grade.
  std::vector<std::uint8_t> investment_grade_guarantee;  ///< Otherwise: guaranteed by an investment-grade guarantor.
  std::vector<int> guarantee_end_month;                  ///< A guarantee counts at dates before this month.
  std::vector<double> guarantee_cap;                     ///< Infinite without a cap.
  /// The PV at each date of what the contract has left to pay; 0 once less than the minimum term is left.
  std::vector<double> eligible_value;
  /// The contracts grouped by counterparty: those of group `g` are `by_counterparty[group_start[g] ..
  /// group_start[g + 1])`.
  std::vector<std::uint32_t> by_counterparty, group_start;

  std::vector<double> contract_base;  ///< Per date: the contracts' part of the base when no counterparty defaults.
  BorrowingBaseValue initial;         ///< At `t0`, GPUs included.
  double initial_base = 0.0, initial_balance = 0.0;

  /// The eligible contracts at date `m` (in month `month`), after the concentration limits: counterparties that
  /// have defaulted by then (`default_month`, per credit name; empty for none) are not eligible, and guarantors
  /// that have cover nothing; nor are contracts cancelled with their delivery (`cancelled`, per contract; empty for
  /// none).
  BorrowingBaseValue contracts_at(std::size_t m, int month, std::span<const int> default_month,
                                  std::span<const std::uint8_t> cancelled = {}) const noexcept;

  /// Adds the GPUs owned, worth `type_value` per GPU type, after the single-type limit.
  void add_gpus(BorrowingBaseValue& value, std::span<const double> type_value) const noexcept;
};

}  // namespace computedebt::calibration
