#pragma once
/// \file
/// The SPV's cash from its collateral on one path, month by month (docs/methodology.md section 4): contract and
/// guarantee payments, recoveries, spot leasing of free GPUs, operating costs, and GPU sales.

#include <computedebt/calibration/plan.hpp>
#include <computedebt/scenario/contract_default.hpp>

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace computedebt::cashflow {

/// The collateral's cash in one month, collected at its end.
struct MonthCash {
  double revenue = 0.0;     ///< Contract (power billed at cost plus included), guarantee and spot payments.
  double recoveries = 0.0;  ///< Recoveries on the claims of defaulted contracts.
  double costs = 0.0;       ///< Power and fixed opex.
  double sales = 0.0;       ///< GPU sale proceeds, after the haircut.
  double energy = 0.0;      ///< The power in `costs`, the PPAs' settlement included.
  double generation = 0.0;  ///< What generation behind the meter changed in `energy` (negative: it saved).
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
  /// `power_factor`: the path's power prices per market and month as factors on `operations.power_price_per_mwh`
  /// (`PowerSampler::price_factors`); empty takes the forward curves'. `capacity_multiplier`: the capacity market's
  /// `C(t_k)` (`CapacityMarketSampler::multipliers`); empty takes 1. `gas_price`: per month, the gas price of
  /// behind-the-meter generation (`PowerSampler::gas_price`); empty takes its forward curve.
  void start_path(std::span<const int> default_month, std::span<const std::uint32_t> defaulted,
                  std::span<const double> multipliers, std::span<const double> power_factor = {},
                  std::span<const double> capacity_multiplier = {}, std::span<const double> gas_price = {}) noexcept;

  /// Runs month `k` (months run in order from 1). When `liquidating`, sells the GPUs that no performing
  /// contract needs from the liquidation lag on; at `t_K` sells every GPU left.
  MonthCash month(int k, bool liquidating) noexcept;

  /// The path's market multiplier of GPU type `g` in month `k`.
  double multiplier(std::size_t g, int k) const noexcept {
    return multipliers_[g * columns_ + static_cast<std::size_t>(k)];
  }

  /// Makes delivery `d` (`CollateralPlan::deliveries`) on its funding date: its GPUs are owned from the next month,
  /// and the contracts that need it default from then on if their counterparty has by then (docs/methodology.md
  /// section 5.8).
  void deliver(std::size_t d) noexcept;

  /// Cancels delivery `d` on its funding date: its GPUs are never owned and the contracts that need it never run.
  void cancel(std::size_t d) noexcept;

  /// The contracts that need delivery `d`.
  std::span<const std::uint32_t> tied_contracts(std::size_t d) const noexcept {
    return std::span(plan_.tied).subspan(plan_.tied_start[d], plan_.tied_start[d + 1] - plan_.tied_start[d]);
  }

  /// Postpones delivery `d`, not yet made, to funding month `month`: its GPUs are not owned, and the contracts that
  /// need it do not run, until the month after.
  void postpone(std::size_t d, int month) noexcept;

  /// An event of default in month `k`: GPUs not needed by the contracts still performing are sold
  /// `liquidation.lag_months` after it, or after they are freed if that is later.
  void start_liquidation(int k) noexcept;

  /// The market value of the GPUs and facilities owned at the end of the last month run, before its sales.
  double market_value() const noexcept { return market_value_; }
  /// Per GPU type, the market value of the GPUs owned after the last month run's sales, written to `value` (one per
  /// type); before any sale, `market_value()` split by type.
  void type_market_values(std::span<double> value) const noexcept;
  /// The market value of the facilities owned after the last month run's sales.
  double facility_market_value() const noexcept;
  /// Contracts that defaulted on the grid on this path.
  std::size_t contract_defaults() const noexcept { return defaulted_.size(); }
  /// The contracts that defaulted on the grid on this path, guarantees included.
  std::span<const DefaultedContract> defaulted_contracts() const noexcept { return defaulted_; }
  /// The contracts cancelled with their delivery on this path, and the first month they no longer run.
  std::span<const DefaultedContract> cancelled_contracts() const noexcept { return cancelled_; }

 private:
  /// Applies contract `j`'s default `outcome` from month `month` on: its payments, power and occupancy stop, its GPUs
  /// idle for the re-lease lag, and its claim is recovered after the recovery lag.
  void apply_default(std::uint32_t j, const scenario::ContractOutcome& outcome, int month) noexcept;
  /// Facility `f`'s re-lease income, fixed costs and market value in month `k`, while it is owned.
  struct FacilityMonth {
    double revenue = 0.0, costs = 0.0, value = 0.0;
  };
  FacilityMonth facility_month(std::size_t f, std::size_t k) const noexcept;
  /// Takes capacity lease `j`'s power and power bill out of months `from..to - 1`.
  void stop_power(std::uint32_t j, std::size_t from, std::size_t to) noexcept;
  /// Revenue, costs and market value of months `from..K` while no GPU has been sold, for all of them at once.
  void fill_months(std::size_t from) noexcept;
  /// Takes delivery `d`'s GPUs and the contracts that need it out of months `from..to - 1`.
  void remove_delivery(std::size_t d, std::size_t from, std::size_t to) noexcept;
  /// The GPUs on the spot market at type-and-month `at` with `owned` owned: free of performing contracts and not
  /// idle (freed by a default within the re-lease lag, or all free GPUs when re-leasing is off).
  double spot_gpus(std::size_t at, double owned) const noexcept {
    const double free = std::max(0.0, owned - occupancy_[at]);
    return free - (plan_.re_lease ? std::min(idle_[at], free) : free);
  }
  /// Zone `z`'s power price factors on the path, months `0..K`.
  const double* zone_factor(std::size_t z) const noexcept {
    return power_factor_.data() + power_plan_.zone_market[z] * columns_;
  }
  /// The contracts' power of month `m` at the path's prices.
  double contract_energy(std::size_t m) const noexcept;
  /// `revenue` with month `m`'s power billed to cost-plus tenants added.
  double add_rebill(double revenue, std::size_t m) const noexcept;
  /// What behind-the-meter generation changes in month `m`'s power bill, given each zone's load in `demand` (money at
  /// the base price, one per zone).
  double generation(std::size_t m, const double* demand, std::size_t stride) const noexcept;

  const calibration::CollateralPlan& plan_;
  const calibration::GpuMarketPlan& gpu_;
  const calibration::ContractPlan& contracts_;
  const std::vector<double>& recovery_rates_;
  std::size_t columns_;
  std::span<const double> multipliers_;
  const calibration::PowerPlan& power_plan_;
  std::span<const double> power_factor_;  ///< The path's power prices, a factor on the base price: market by market.
  std::vector<double> ppa_;               ///< Per month: the PPAs' settlement, paid by the SPV (negative: received).
  std::vector<double> rebill_;  ///< Per month: power billed to cost-plus tenants, at the base price; empty without any.
  std::vector<double> energy_;  ///< Per month while no GPU has been sold: the power in `costs_`.
  std::vector<double> generated_;              ///< The same, what generation changed in it; empty without generation.
  std::vector<double> payments_, recoveries_;  ///< Per month.
  // Per zone and month: the contracts' power and power billed to cost-plus tenants, at the base price (`rebill_`
  // empty without any), and the plan's before any default.
  std::vector<double> power_, base_power_, base_rebill_;
  std::span<const double> gas_;  ///< The path's gas price per month.
  // The forward curves, taken when a path gives no prices: each market's power price factors, and the gas price.
  std::vector<double> forward_factors_, forward_gas_;
  // With generation, per zone: the load of each month while no GPU has been sold (`zones x (K + 1)`), and of the
  // month being run.
  std::vector<double> demand_, month_demand_;
  // Per month while no GPU has been sold: revenue, costs and market value, computed for all months at once.
  std::vector<double> revenue_, costs_, value_;
  bool sold_any_ = false;
  std::vector<double> occupancy_, idle_, needed_;  ///< Per type and month.
  std::vector<double> sold_;                       ///< Per type.
  std::span<const int> default_month_;
  // GPUs owned and their average value per GPU, by type and month: the plan's, or this path's copy when it has
  // deliveries that may be cancelled.
  std::vector<double> owned_, value_per_gpu_;
  std::span<const double> owned_view_, value_view_;
  std::vector<int> delivery_month_;  ///< Per delivery: its funding month on this path.
  int liquidation_month_ = -1;
  std::size_t last_month_ = 0;  ///< The last month run.
  double market_value_ = 0.0;
  std::vector<DefaultedContract> defaulted_;  ///< Capacity for every contract: no allocation per path.
  std::vector<DefaultedContract> cancelled_;  ///< The same.
  // The facilities: per facility and month, the MW their performing leases hold, the MW a default left vacant within
  // the re-lease lag, and the leases' contracted income; per facility whether it is sold, and per month the most MW
  // its performing leases hold from then on, once liquidating. Empty without facilities.
  const calibration::FacilityPlan& facilities_;
  std::span<const double> capacity_multiplier_;
  std::vector<double> no_market_;  ///< `C(t_k) = 1`.
  std::vector<double> leased_mw_, idle_mw_, income_, facility_needed_;
  std::vector<char> facility_sold_;
};

}  // namespace computedebt::cashflow
