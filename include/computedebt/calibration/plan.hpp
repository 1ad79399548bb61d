#pragma once
/// \file
/// Everything the engine needs, precomputed on the month grid. Holds no QuantLib object.

#include <computedebt/assumptions/copula.hpp>
#include <computedebt/calibration/factor_root.hpp>
#include <computedebt/calibration/month_grid.hpp>
#include <computedebt/io/deal_file.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace computedebt::calibration {

/// Credit inputs of every counterparty, structure-of-arrays, in deal order.
/// Per-month arrays are `names x (K + 1)`, row-major by name; loadings are `names x F`.
struct CreditPlan {
  std::size_t names = 0;
  std::size_t columns = 0;  ///< `K + 1`.
  std::vector<std::string> ids;
  std::vector<double> survival;               ///< `S_i(t_k)`, multiplier applied.
  std::vector<double> thresholds;             ///< `c_ik`.
  std::vector<double> loadings;               ///< `beta_i`, dense over the factors.
  std::vector<double> idiosyncratic_weights;  ///< `s_i = sqrt(1 - beta_i' Sigma beta_i)`.
  std::vector<double> recovery_rates;         ///< `R_i`.

  double survival_at(std::size_t name, std::size_t month) const { return survival[name * columns + month]; }
  double threshold_at(std::size_t name, std::size_t month) const { return thresholds[name * columns + month]; }
};

/// The calibrated deal.
struct Plan {
  io::DealFile source;  ///< The terms and assumptions it was calibrated from.
  MonthGrid grid;
  std::vector<double> discount_factors;  ///< `P(t0, t_k)` on the deal's discount curve.
  FactorRoot factor_root;
  assumptions::Copula copula;
  CreditPlan credit;
};

}  // namespace computedebt::calibration
