#pragma once
/// \file
/// The SPV's collateral on the grid, before any default (docs/methodology.md section 4): what each contract pays, costs
/// and occupies by month, and what each GPU type earns, costs and is worth per GPU.

#include <computedebt/io/deal_file.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace computedebt::calibration {

/// Structure-of-arrays, in deal order. Per-contract arrays are `contracts x (K + 1)`, per-type arrays
/// `types x (K + 1)`, row-major; month 0 is unused. Amounts per GPU exclude the market multiplier `M_g(t_k)`,
/// which a path applies.
struct CollateralPlan {
  std::size_t contracts = 0, types = 0;
  std::size_t columns = 0;  ///< `K + 1`.

  std::vector<std::uint32_t> contract_type;  ///< GPU type index of each contract; `no_gpu_type` for capacity.
  std::vector<double> payments;              ///< Promised payments of month `k`.
  std::vector<double> contract_power;        ///< Power the SPV pays in month `k` (no pass-through), else 0.
  /// Power the SPV bills its cost-plus capacity tenants in month `k`, at the base price; empty without any.
  std::vector<double> contract_rebill;
  std::vector<double> occupancy;  ///< GPUs leased in month `k`: count x share of the month's days.
  /// The claim on a default in month `k`: the promised payments from month `k` to the contract's end, after the
  /// grid included, discounted to `t_k` on the deal's curve.
  std::vector<double> claim;

  std::vector<double> fleet;                 ///< GPUs of each type, every delivery included.
  std::vector<double> owned;                 ///< GPUs of each type owned in month `k`, when every delivery is made.
  std::vector<double> base_occupancy;        ///< Sum of the contracts' occupancy, per type.
  std::vector<double> spot_revenue_per_gpu;  ///< `utilisation (1 - discount) r_g(t_k) 24 days(k)`.
  std::vector<double> spot_power_per_gpu;    ///< `utilisation power_kw pue 24 days(k) price / 1000`.
  /// The average `price_g D_g(age)` per GPU of the type owned in month `k`.
  std::vector<double> value_per_gpu;
  std::vector<double> base_payments;         ///< All promised payments of month `k`.
  std::vector<double> base_contract_power;   ///< All contract power of month `k`.
  std::vector<double> base_contract_rebill;  ///< All power billed to cost-plus tenants in month `k`.

  /// The deliveries (fleet cohorts acquired after `t0`), in fleet order: each one's cohort, funding month, GPU type,
  /// count and cost, and the contracts that need it, those of delivery `d` being `tied[tied_start[d] ..
  /// tied_start[d + 1])`.
  struct Delivery {
    std::uint32_t cohort = 0;
    int month = 0;
    std::uint32_t type = 0;
    double count = 0.0, cost = 0.0;
  };
  std::vector<Delivery> deliveries;
  std::vector<std::uint32_t> tied_start, tied;
  std::vector<std::uint32_t> contract_delivery;  ///< Per contract: the delivery it needs, or `no_delivery`.

  double fixed_opex_per_gpu_month = 0.0;
  int recovery_lag_months = 12;
  bool re_lease = true;
  int re_lease_lag_months = 3;
  double liquidation_haircut = 0.25;
  int liquidation_lag_months = 3;
};

/// `CollateralPlan::contract_delivery` of a contract that needs no delivery.
inline constexpr std::uint32_t no_delivery = 0xffffffffu;
/// `CollateralPlan::contract_type` of a capacity lease, which occupies no GPU.
inline constexpr std::uint32_t no_gpu_type = 0xffffffffu;

struct Plan;

/// Precomputes the collateral of a waterfall deal from its plan's grid, discount curve and GPU market.
CollateralPlan plan_collateral(const io::DealFile& file, const Plan& plan);

}  // namespace computedebt::calibration
