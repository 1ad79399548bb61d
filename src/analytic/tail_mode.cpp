#include <computedebt/analytic/conditional.hpp>
#include <computedebt/analytic/loss_lattice.hpp>
#include <computedebt/analytic/recursion.hpp>
#include <computedebt/analytic/tail_mode.hpp>
#include <computedebt/core/error.hpp>

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/minima.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace computedebt::analytic {

namespace {

/// `P(L > threshold | x)`: the conditional loss distribution's upper tail, for the Student t copula integrated
/// against the density of `y = ln W` (docs/methodology.md section 6.6).
class TailProbability {
 public:
  TailProbability(const calibration::Plan& plan, double threshold)
      : lattice_(loss_lattice(plan)),
        model_(conditional_model(plan, lattice_.months)),
        recursion_(lattice_),
        loss_(lattice_.max_units + 1),
        count_(lattice_.group_of.size() + 1),
        probabilities_(model_.groups * model_.months.size()) {
    const double unit = lattice_.total_exposure > 0.0 ? lattice_.unit / lattice_.total_exposure : 0.0;
    // The first lattice loss above the threshold, as `LossDistribution::exceedance` counts it.
    while (first_ < loss_.size() && !(static_cast<double>(first_) * unit > threshold)) ++first_;
    require_input(first_ < loss_.size(), "importance_target",
                  "the pool's largest loss {:.6g} does not exceed the tranche's attachment {:.6g}: the tranche never "
                  "loses, so there is no tail to sample",
                  static_cast<double>(lattice_.max_units) * unit, threshold);
    const double nu = model_.degrees_of_freedom;
    if (nu > 0.0) {
      log_norm_ = std::lgamma(nu / 2.0) + nu / 2.0 * std::numbers::ln2;
      low_ = std::log(2.0 * boost::math::gamma_p_inv(nu / 2.0, mixing_tail));
      high_ = std::log(2.0 * boost::math::gamma_q_inv(nu / 2.0, mixing_tail));
    }
  }

  const ConditionalModel& model() const { return model_; }

  double operator()(std::span<const double> x) {
    const double nu = model_.degrees_of_freedom;
    if (nu == 0.0) return given(x, 1.0);
    // A fixed adaptive rule: the same nodes for the same `x`, so the optimum is deterministic.
    const auto integrand = [&](double y) {
      return given(x, std::sqrt(std::exp(y) / nu)) * std::exp(nu / 2.0 * y - std::exp(y) / 2.0 - log_norm_);
    };
    return boost::math::quadrature::gauss_kronrod<double, 31>::integrate(integrand, low_, high_, 10, 1e-8);
  }

 private:
  /// Probability of `W ~ chi2(nu)` left outside the mixing integral on each side.
  static constexpr double mixing_tail = 1e-12;

  double given(std::span<const double> x, double v) {
    default_probabilities(model_, x, v, probabilities_);
    recursion_(probabilities_, loss_, count_);
    double tail = 0.0;
    for (std::size_t u = first_; u < loss_.size(); ++u) tail += loss_[u];
    return tail;
  }

  LossLattice lattice_;
  ConditionalModel model_;
  ConditionalDistributions recursion_;
  std::vector<double> loss_, count_, probabilities_;
  std::size_t first_ = 0;
  double log_norm_ = 0.0, low_ = 0.0, high_ = 0.0;
};

/// The farthest the coarse search looks along the loss direction, and its step.
constexpr double search_reach = 8.0, search_step = 0.25;
/// The largest `|x*|`: the sampler refuses shifts beyond 10.
constexpr double max_norm = 10.0;
/// Brent's method to about the square root of the machine epsilon, the precision a minimum has.
constexpr int brent_bits = std::numeric_limits<double>::digits / 2;

}  // namespace

bool conditional_model_applies(const calibration::Plan& plan) {
  return !plan.is_waterfall() &&
         std::all_of(plan.contracts.guarantor.begin(), plan.contracts.guarantor.end(),
                     [](std::uint32_t g) { return g == calibration::no_guarantor; }) &&
         loading_directions(plan).size() <= max_dimension;
}

TailMode glasserman_li_shift(const calibration::Plan& plan, double threshold) {
  TailProbability tail(plan, threshold);
  const auto& model = tail.model();
  const std::size_t dimension = model.dimension;
  TailMode mode;
  mode.reduced.assign(dimension, 0.0);
  mode.shift.assign(plan.credit.factors, 0.0);
  std::vector<double> x(dimension, 0.0);
  // Minimised: `-ln P(L > A | x) + |x|^2 / 2`. Where the tail probability underflows, the smallest normal
  // number stands in, so the objective stays finite and still falls towards the tail.
  const auto objective = [&](std::span<const double> at) {
    double square = 0.0;
    for (const double value : at) square += value * value;
    return -std::log(std::max(tail(at), std::numeric_limits<double>::min())) + square / 2.0;
  };
  if (dimension == 0) {
    mode.log_probability = -objective(x);
    return mode;
  }

  // The direction in which the names' conditional default probabilities rise: minus their loadings, summed.
  std::vector<double> direction(dimension, 0.0);
  for (std::size_t g = 0; g < model.groups; ++g)
    for (std::size_t d = 0; d < dimension; ++d) direction[d] -= model.coordinates[g * dimension + d];
  double norm = std::hypot(direction[0], dimension > 1 ? direction[1] : 0.0, dimension > 2 ? direction[2] : 0.0);
  if (!(norm > 1e-12)) {
    // Loadings that cancel: the first group's direction, which is the first basis vector.
    std::fill(direction.begin(), direction.end(), 0.0);
    direction[0] = -1.0;
    norm = 1.0;
  }
  for (double& value : direction) value /= norm;

  // Coarse search along that line, both ways, then Brent's method around the best point of the grid.
  const auto along = [&](double t) {
    for (std::size_t d = 0; d < dimension; ++d) x[d] = t * direction[d];
    return objective(x);
  };
  double best_t = 0.0, best = along(0.0);
  for (double t = -search_reach; t <= search_reach; t += search_step)
    if (const double value = along(t); value < best) best = value, best_t = t;
  best_t = boost::math::tools::brent_find_minima(along, best_t - search_step, best_t + search_step, brent_bits).first;
  for (std::size_t d = 0; d < dimension; ++d) x[d] = best_t * direction[d];

  // Then each coordinate in turn, until a sweep moves none by more than 1e-7.
  if (dimension > 1) {
    for (int sweep = 0; sweep < 200; ++sweep) {
      double moved = 0.0;
      for (std::size_t d = 0; d < dimension; ++d) {
        const double start = x[d];
        const auto coordinate = [&](double value) {
          x[d] = value;
          return objective(x);
        };
        x[d] = boost::math::tools::brent_find_minima(coordinate, start - 1.0, start + 1.0, brent_bits).first;
        moved = std::max(moved, std::abs(x[d] - start));
      }
      if (moved <= 1e-7) break;
    }
  }

  double length = 0.0;
  for (const double value : x) length += value * value;
  length = std::sqrt(length);
  if (length > max_norm)
    for (double& value : x) value *= max_norm / length;
  mode.reduced = x;
  mode.log_probability = std::log(tail(x));
  for (std::size_t d = 0; d < dimension; ++d)
    for (std::size_t f = 0; f < plan.credit.factors; ++f)
      mode.shift[f] += x[d] * model.directions[d * plan.credit.factors + f];
  return mode;
}

}  // namespace computedebt::analytic
