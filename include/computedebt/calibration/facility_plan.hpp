#pragma once
/// \file
/// The deal's data-centre facilities on the grid (docs/methodology.md section 4.11): the load their capacity leases
/// occupy and the income they contract by month, their value before the market multiplier, their fixed costs, and
/// the capacity market that re-leases their vacant load.

#include <computedebt/io/deal_file.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace computedebt::calibration {

/// `FacilityPlan::contract_facility` of a contract in no facility.
inline constexpr std::uint32_t no_facility = 0xffffffffu;

/// Structure-of-arrays, in deal order. Per-facility arrays are `facilities x (K + 1)`, per-contract arrays
/// `contracts x (K + 1)`, row-major; month 0 is unused. Empty without facilities.
struct FacilityPlan {
  std::size_t facilities = 0, columns = 0;
  std::vector<double> megawatts;        ///< Per facility.
  std::vector<int> commissioned_month;  ///< Per facility: the first month it earns, costs and is worth anything.
  std::vector<double> haircut;          ///< Per facility: the share of its value lost in a sale.
  std::vector<double> cap_rate;         ///< Per facility: its cap rate, or 0 when valued at depreciated cost.
  /// Depreciated cost at `t_k` before the market multiplier (0 for a facility valued on a cap rate).
  std::vector<double> depreciated_cost;
  std::vector<double> opex;  ///< Fixed operating cost of month `k`.
  /// Per facility: its value at `t0` with every lease performing and the market at its expected price.
  std::vector<double> initial_value;

  std::vector<std::uint32_t> contract_facility;  ///< Per contract: its facility, or `no_facility`.
  std::vector<double> leased;                    ///< Per contract: MW leased in month `k`, times the share of its days.
  std::vector<double> base_leased;               ///< Per facility: the sum of its leases' `leased`.
  /// Per contract: the lease's net operating income of month `k`, its charges and power bill less the power the SPV
  /// buys for it at the forward price.
  std::vector<double> income;
  std::vector<double> base_income;  ///< Per facility: the sum of its leases' `income`.

  // The capacity market (`assumptions.capacity_market`), whose multiplier `C(t_k)` a path draws.
  bool market = false;      ///< The assumptions give one: vacant load may be re-leased.
  bool stochastic = false;  ///< A positive volatility.
  bool loaded = false;      ///< Some factor loading is not 0.
  bool re_lease = false;
  int re_lease_lag_months = 0;
  /// Per month: one vacant MW re-leased at the market's expected price, utilisation and discount, before `C(t_k)`.
  std::vector<double> re_lease_income_per_mw;
  std::vector<double> step_sd;        ///< `sigma sqrt(dt_k)`.
  std::vector<double> half_variance;  ///< `sigma^2 t_k / 2`.
  std::vector<double> loadings;       ///< Dense factor loadings `a`.
  double independent_weight = 1.0;    ///< `sqrt(1 - a' Sigma a)`.

  /// Whether the deal has facilities.
  bool any() const noexcept { return facilities > 0; }
  /// The facilities' income in month `k` beyond their leases' in the base case (no default, the market at its
  /// expected price): their vacant load re-leased when `re_leased`, less their fixed costs.
  double base_case_income(std::size_t k, bool re_leased) const noexcept;
};

struct Plan;

/// Precomputes the facilities of a waterfall deal; needs the plan's grid, collateral and power.
FacilityPlan plan_facilities(const io::DealFile& file, const Plan& plan);

}  // namespace computedebt::calibration
