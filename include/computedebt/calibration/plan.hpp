#pragma once
/// \file
/// Everything the engine needs, precomputed on the month grid. Holds no QuantLib object.

#include <computedebt/assumptions/copula.hpp>
#include <computedebt/calibration/collateral_plan.hpp>
#include <computedebt/calibration/facility_plan.hpp>
#include <computedebt/calibration/factor_root.hpp>
#include <computedebt/calibration/month_grid.hpp>
#include <computedebt/calibration/power_plan.hpp>
#include <computedebt/calibration/rate_plan.hpp>
#include <computedebt/calibration/waterfall_plan.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/deal/loss_tranches.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace computedebt::calibration {

/// Credit inputs of every counterparty, structure-of-arrays, in deal order.
/// Per-month arrays are `names x (K + 1)`, row-major by name; loadings are `names x F`.
struct CreditPlan {
  std::size_t names = 0;
  std::size_t columns = 0;  ///< `K + 1`.
  std::vector<std::string> ids;
  std::vector<std::string> sectors;           ///< Distinct sector names in order of first use; "" for none.
  std::vector<std::uint32_t> sector_of;       ///< Per name: index into `sectors`.
  std::vector<double> survival;               ///< `S_i(t_k)`, multiplier applied.
  std::vector<double> thresholds;             ///< `c_ik`.
  std::vector<double> loadings;               ///< `beta_i`, dense over the factors.
  std::vector<double> idiosyncratic_weights;  ///< `s_i = sqrt(1 - beta_i' Sigma beta_i)`.
  std::vector<double> recovery_rates;         ///< `R_i`.

  // Names that share a curve and loadings form a group: the engine computes their conditional default
  // probabilities once per path (docs/methodology.md section 2.4).
  std::size_t groups = 0;
  std::size_t factors = 0;               ///< `F`.
  std::vector<std::uint32_t> group_of;   ///< Per name.
  std::vector<double> group_thresholds;  ///< `groups x (K + 1)`.
  std::vector<double> group_loadings;    ///< `groups x F`.
  std::vector<double> group_weights;     ///< `s` per group.

  double survival_at(std::size_t name, std::size_t month) const { return survival[name * columns + month]; }
  double threshold_at(std::size_t name, std::size_t month) const { return thresholds[name * columns + month]; }
};

/// Marks a contract without a guarantee.
inline constexpr std::uint32_t no_guarantor = 0xffffffffu;

/// The contracts on the grid, structure-of-arrays, in deal order.
struct ContractPlan {
  std::size_t contracts = 0;
  std::size_t columns = 0;                  ///< `K + 1`.
  std::vector<std::uint32_t> counterparty;  ///< Index into `CreditPlan`.
  std::vector<std::uint32_t> guarantor;     ///< Index, or `no_guarantor`.
  std::vector<int> guarantee_end_month;     ///< Month containing the expiry; `K + 1` without one; 0 if expired.
  std::vector<double> exposure;             ///< `E_j`: notional, or contracted payments after `t0`.
  std::vector<double> exposure_at_default;  ///< `EAD_j(k)`, `contracts x (K + 1)`; index 0 unused.
  double total_exposure = 0.0;              ///< `sum_j E_j`.
  std::vector<double> guarantee_cap;        ///< The guarantee's cap; infinite without one.
  /// Promised payments of months `1..k`, `contracts x (K + 1)`: what a guarantor pays from a default on.
  std::vector<double> promised_cumulative;
  /// The contracts of counterparty `i` are `contracts_of[contracts_of_start[i] .. contracts_of_start[i + 1])`:
  /// a path visits only the contracts of the counterparties that defaulted on it.
  std::vector<std::uint32_t> contracts_of_start;
  std::vector<std::uint32_t> contracts_of;

  double exposure_at(std::size_t contract, int month) const {
    return exposure_at_default[contract * columns + static_cast<std::size_t>(month)];
  }

  /// The month the cap of `contract`'s guarantee runs out when the guarantor starts paying in month `first`:
  /// the first month whose payments from `first` on reach the cap (`K + 1` if none does on the grid).
  int cap_exhausted_month(std::size_t contract, int first) const {
    const double cap = guarantee_cap[contract];
    if (cap == std::numeric_limits<double>::infinity()) return static_cast<int>(columns);
    const double* cumulative = promised_cumulative.data() + contract * columns;
    const double* end = cumulative + columns;
    const double* month = std::lower_bound(cumulative + first, end, cumulative[first - 1] + cap);
    return static_cast<int>(month - cumulative);
  }
};

/// The market multiplier model of every GPU type on the grid, structure-of-arrays, in deal order
/// (docs/methodology.md section 3). Per-month arrays are `types x (K + 1)`; index 0 is unused.
struct GpuMarketPlan {
  std::size_t types = 0;
  std::size_t columns = 0;  ///< `K + 1`.
  std::vector<std::string> ids;
  std::vector<std::string> sectors;        ///< Distinct sector names in order of first use; "" for none.
  std::vector<std::uint32_t> sector_of;    ///< Per name: index into `sectors`.
  std::vector<double> initial_multiplier;  ///< `M_g(t0)`.
  std::vector<double> volatility;          ///< `sigma_g`.
  std::vector<double> loadings;            ///< `a_g`, `types x F`.
  std::vector<double> independent_weight;  ///< `u_g = sqrt(1 - a_g' Sigma a_g)`.
  std::vector<double> jump_intensity;      ///< `lambda_g` per year.
  std::vector<double> jump_factor;         ///< `1 - J_g`.
  std::vector<double> drift;               ///< `-sigma^2 dt_k / 2 + lambda J dt_k`, compensating the jumps.
  std::vector<double> launch_factor;       ///< Product of `1 - f_l` over launches in month `k`.
  std::vector<double> rent;                ///< `r_g(t_k)`, the spot rent index per GPU-hour.
  // The fleet (the deal's, or its default), by cohort.
  std::size_t cohorts = 0;
  std::vector<std::uint32_t> cohort_type;  ///< Index of the cohort's GPU type.
  std::vector<std::int64_t> cohort_count;  ///< GPUs in the cohort.
  std::vector<double> cohort_price;        ///< Its GPU type's purchase price.
  /// The month of a delivery's funding date, after which it is owned; 0 for a cohort held at `t0`.
  std::vector<int> cohort_month;
  std::vector<double> cohort_funding_value;  ///< `price_g D_g(age)` of one GPU at its funding date (or `t0`).
  std::vector<double> cohort_value;          ///< `price_g D_g(tau(a_c, t_k))`, `cohorts x (K + 1)`: times `M_g(t_k)`
                                             ///< it is the market value of one GPU, `V_c(t_k)`; 0 while a
                                             ///< delivery is not yet owned.

  /// The fleet's market value at `t0`.
  double initial_fleet_value() const noexcept {
    double value = 0.0;
    for (std::size_t c = 0; c < cohorts; ++c)
      value += static_cast<double>(cohort_count[c]) * cohort_value[c * columns] * initial_multiplier[cohort_type[c]];
    return value;
  }
};

/// The calibrated deal: what the engine needs, and no more of the deal file. Each stage of a path takes its own
/// part: the credit sampler `credit`, the GPU market sampler `gpu`, the collateral `contracts` and `collateral`,
/// the waterfall `waterfall`.
struct Plan {
  std::string deal_name;
  bool waterfall_structure = false;  ///< A cash-flow waterfall; else loss tranches.
  MonthGrid grid;
  std::vector<double> discount_factors;  ///< `P(t0, t_k)` on the deal's discount curve.
  FactorRoot factor_root;
  assumptions::Copula copula;
  CreditPlan credit;
  ContractPlan contracts;
  GpuMarketPlan gpu;
  std::vector<double> month_lengths;             ///< `dt_k = tau(t_{k-1}, t_k)`, index 0 unused.
  std::vector<deal::LossTranche> loss_tranches;  ///< Loss-tranche deals only.
  CollateralPlan collateral;                     ///< Waterfall deals only.
  RatePlan rates;                                ///< The indices of floating-rate tranches.
  PowerPlan power;                               ///< Waterfall deals only: the power price and the PPAs.
  FacilityPlan facilities;                       ///< Waterfall deals only: data-centre facilities.
  WaterfallPlan waterfall;                       ///< Waterfall deals only.

  /// What looks economically wrong in the deal, found while calibrating (`calibration::warnings`).
  std::vector<Problem> warnings;

  bool is_waterfall() const { return waterfall_structure; }
  /// The collateral's market value at `t0`: the fleet's and the facilities' (`FacilityPlan::initial_value`).
  double initial_collateral_value() const noexcept {
    double value = gpu.initial_fleet_value();
    for (const double facility : facilities.initial_value) value += facility;
    return value;
  }
  /// The tranches priced: the loss tranches, or the waterfall's.
  std::size_t tranche_count() const { return is_waterfall() ? waterfall.tranches : loss_tranches.size(); }
};

}  // namespace computedebt::calibration
