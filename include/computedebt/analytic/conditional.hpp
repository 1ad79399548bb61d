#pragma once
/// \file
/// Conditional default probabilities of each group of names given the factors at the horizon
/// (docs/methodology.md sections 2.4 and 6.6).

#include <computedebt/calibration/plan.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace computedebt::analytic {

/// The copula's factor part reduced to the directions the names load on. With `Z = L xi`, group `g`'s
/// systematic term is `beta_g . Z = (L' beta_g) . xi`; the vectors `L' beta_g` span `dimension <= F`
/// orthonormal directions, and the coordinates of `xi` along them are independent standard normals `x`.
struct ConditionalModel {
  std::size_t groups = 0;
  std::size_t dimension = 0;        ///< Independent standard normals to integrate over.
  std::vector<double> coordinates;  ///< `groups x dimension`: `m_g = coordinates_g . x`.
  std::vector<double> directions;   ///< `dimension x F`: the directions in `xi` coordinates, `x = D xi` (not `pair_model`).
  std::vector<double> weights;      ///< `s_g`.
  std::vector<int> months;          ///< The grid months whose probabilities are needed, ascending.
  std::vector<double> thresholds;   ///< `groups x months.size()`: `c_gk` at those months.
  double degrees_of_freedom = 0.0;  ///< Student t copula's `nu`; 0 for the Gaussian copula.
};

/// The integrals over the factors stop at this many directions: nested quadrature costs too much beyond.
inline constexpr std::size_t max_dimension = 3;

/// The orthonormal directions (each of `F` entries, in `xi` coordinates) spanned by the groups' loadings on the
/// independent factor normals, `L' beta_g`, by Gram-Schmidt in group order.
std::vector<std::vector<double>> loading_directions(const calibration::Plan& plan);

/// The model of `plan`'s credit at the grid months `months` (ascending).
ConditionalModel conditional_model(const calibration::Plan& plan, std::vector<int> months);

/// The model of two groups alone at the grid months `months`, on one direction: `second`'s systematic direction
/// (or `first`'s if `second` loads on no factor), with the rest of `first`'s systematic term folded into its
/// idiosyncratic weight. Exact for anything that depends on the two groups' defaults only (a guaranteed contract),
/// whatever the number of factors: model group 0 is `first`, group 1 is `second`.
ConditionalModel pair_model(const calibration::Plan& plan, std::size_t first, std::size_t second,
                            std::vector<int> months);

/// `q_gk = Phi((c_gk v - m_g) / s_g)` for every group and needed month, `groups x months.size()`, given the
/// reduced factors `x` and the mixing scale `v` (`sqrt(W / nu)`, or 1 for the Gaussian copula).
void default_probabilities(const ConditionalModel& model, std::span<const double> x, double v,
                           std::span<double> probabilities);

}  // namespace computedebt::analytic
