#pragma once
/// \file
/// The SPV's cash from its collateral on one path, month by month (docs/methodology.md section 4): contract and
/// guarantee payments, recoveries, spot leasing of free GPUs, operating costs, and GPU sales.

#include <computedebt/calibration/plan.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace computedebt::cashflow {

/// The collateral's cash in one month, collected at its end.
struct MonthCash {
  double revenue = 0.0;     ///< Contract, guarantee and spot payments.
  double recoveries = 0.0;  ///< Recoveries on the claims of defaulted contracts.
  double costs = 0.0;       ///< Power and fixed opex.
  double sales = 0.0;       ///< GPU sale proceeds, after the haircut.
};

/// A contract that defaulted on the grid, and the month it did.
struct DefaultedContract {
  std::uint32_t index;
  int month;
};

/// One path's collateral; owns its workspace, so one per thread and no allocation per path.
///
/// A path starts from the promised schedules and subtracts what its defaulted contracts no longer pay, so its
/// cost grows with the number of defaults, not with contracts x months. GPUs of one type are fungible: each
/// month a type's GPUs are leased under performing contracts, idle (freed by a default less than the re-lease
/// lag ago, or all free GPUs when re-leasing is off), or on the spot market.
class CollateralCash {
 public:
  explicit CollateralCash(const calibration::Plan& plan);

  /// Starts a path: every name's default month (`K + 1` for survivors), the names that defaulted on the grid,
  /// and the GPU market multipliers `M_g(t_k)` at `g (K + 1) + k`.
  void start_path(std::span<const int> default_month, std::span<const std::uint32_t> defaulted,
                  std::span<const double> multipliers) noexcept;

  /// Runs month `k` (months run in order from 1). When `liquidating`, sells the GPUs that no performing
  /// contract needs from the liquidation lag on; at `t_K` sells every GPU left.
  MonthCash month(int k, bool liquidating) noexcept;

  /// An event of default in month `k`: GPUs not needed by the contracts still performing are sold
  /// `liquidation.lag_months` after it, or after they are freed if that is later.
  void start_liquidation(int k) noexcept;

  /// The market value of the GPUs owned at the end of the last month run, before its sales.
  double market_value() const noexcept { return market_value_; }
  /// Per GPU type, the market value of the GPUs owned after the last month run's sales, written to `value` (one per
  /// type); before any sale, `market_value()` split by type.
  void type_market_values(std::span<double> value) const noexcept;
  /// Contracts that defaulted on the grid on this path.
  std::size_t contract_defaults() const noexcept { return defaulted_.size(); }
  /// The contracts that defaulted on the grid on this path, guarantees included.
  std::span<const DefaultedContract> defaulted_contracts() const noexcept { return defaulted_; }

 private:
  const calibration::CollateralPlan& plan_;
  const calibration::ContractPlan& contracts_;
  const std::vector<double>& recovery_rates_;
  std::size_t columns_;
  std::span<const double> multipliers_;
  std::vector<double> payments_, power_, recoveries_;  ///< Per month.
  // Per month while no GPU has been sold: revenue, costs and market value, computed for all months at once.
  std::vector<double> revenue_, costs_, value_;
  bool sold_any_ = false;
  std::vector<double> occupancy_, idle_, needed_;  ///< Per type and month.
  std::vector<double> sold_;                       ///< Per type.
  int liquidation_month_ = -1;
  std::size_t last_month_ = 0;  ///< The last month run.
  double market_value_ = 0.0;
  std::vector<DefaultedContract> defaulted_;  ///< Capacity for every contract: no allocation per path.
};

}  // namespace computedebt::cashflow
