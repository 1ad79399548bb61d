#include <computedebt/analytic/conditional.hpp>
#include <computedebt/core/error.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <variant>

namespace computedebt::analytic {

namespace {

double dot(std::span<const double> a, std::span<const double> b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

/// Group `g`'s loading on the independent normals, `a_g = L' beta_g`: its systematic term is `a_g . xi`.
std::vector<double> effective_loading(const calibration::Plan& plan, std::size_t g) {
  const std::size_t factors = plan.credit.factors;
  std::vector<double> loading(factors, 0.0);
  for (std::size_t c = 0; c < factors; ++c)
    for (std::size_t r = 0; r < factors; ++r)
      loading[c] += plan.factor_root(r, c) * plan.credit.group_loadings[g * factors + r];
  return loading;
}

/// Every group's `a_g`, in group order.
std::vector<std::vector<double>> effective_loadings(const calibration::Plan& plan) {
  std::vector<std::vector<double>> loadings;
  for (std::size_t g = 0; g < plan.credit.groups; ++g) loadings.push_back(effective_loading(plan, g));
  return loadings;
}

/// An orthonormal basis of the span of `vectors`, by Gram-Schmidt in their order.
std::vector<std::vector<double>> orthonormal_span(const std::vector<std::vector<double>>& vectors) {
  std::vector<std::vector<double>> basis;
  for (const auto& vector : vectors) {
    auto residual = vector;
    for (const auto& direction : basis) {
      const double along = dot(residual, direction);
      for (std::size_t c = 0; c < residual.size(); ++c) residual[c] -= along * direction[c];
    }
    const double norm = std::sqrt(dot(residual, residual));
    if (norm > 1e-12 * std::max(1.0, std::sqrt(dot(vector, vector)))) {
      for (double& x : residual) x /= norm;
      basis.push_back(std::move(residual));
    }
  }
  return basis;
}

/// The thresholds of `groups` at the model's months, in that order, and the copula's degrees of freedom.
void set_thresholds(const calibration::Plan& plan, std::span<const std::size_t> groups, ConditionalModel& model) {
  for (const std::size_t g : groups)
    for (const int k : model.months)
      model.thresholds.push_back(plan.credit.group_thresholds[g * plan.credit.columns + static_cast<std::size_t>(k)]);
  if (const auto* t = std::get_if<assumptions::StudentTCopula>(&plan.copula))
    model.degrees_of_freedom = t->degrees_of_freedom;
}

}  // namespace

std::vector<std::vector<double>> loading_directions(const calibration::Plan& plan) {
  return orthonormal_span(effective_loadings(plan));
}

ConditionalModel conditional_model(const calibration::Plan& plan, std::vector<int> months) {
  const auto& credit = plan.credit;
  ConditionalModel model;
  model.groups = credit.groups;
  model.weights = credit.group_weights;

  // The names see only the directions their loadings span, so only those are integrated over.
  const auto effective = effective_loadings(plan);
  const auto basis = orthonormal_span(effective);
  require_input(basis.size() <= max_dimension, "assumptions.factors",
                "the semi-analytic method integrates over at most {} factor directions, but the names load on {}; "
                "use the Monte Carlo",
                max_dimension, basis.size());
  model.dimension = basis.size();
  for (std::size_t g = 0; g < model.groups; ++g)
    for (const auto& direction : basis) model.coordinates.push_back(dot(effective[g], direction));
  for (const auto& direction : basis)
    model.directions.insert(model.directions.end(), direction.begin(), direction.end());

  model.months = std::move(months);
  std::vector<std::size_t> groups(model.groups);
  for (std::size_t g = 0; g < model.groups; ++g) groups[g] = g;
  set_thresholds(plan, groups, model);
  return model;
}

ConditionalModel pair_model(const calibration::Plan& plan, std::size_t first, std::size_t second,
                            std::vector<int> months) {
  ConditionalModel model;
  model.groups = 2;
  model.months = std::move(months);
  const std::array<std::size_t, 2> groups{first, second};
  std::array<std::vector<double>, 2> loading{effective_loading(plan, first), effective_loading(plan, second)};
  model.weights = {plan.credit.group_weights[first], plan.credit.group_weights[second]};
  // The direction is one group's loading (the second's, unless it has none); the other group's term along it
  // stays systematic and its remainder, independent of it, joins its idiosyncratic term, whose variance it adds to.
  const std::size_t on = dot(loading[1], loading[1]) > 0.0 ? 1 : 0, other = 1 - on;
  const double norm = std::sqrt(dot(loading[on], loading[on]));
  if (norm > 0.0) {
    const double along = dot(loading[other], loading[on]) / norm;
    const double rest = std::max(dot(loading[other], loading[other]) - along * along, 0.0);
    model.dimension = 1;
    model.coordinates.assign(2, 0.0);
    model.coordinates[on] = norm;
    model.coordinates[other] = along;
    model.weights[other] = std::sqrt(model.weights[other] * model.weights[other] + rest);
  }
  set_thresholds(plan, groups, model);
  return model;
}

void default_probabilities(const ConditionalModel& model, std::span<const double> x, double v,
                           std::span<double> probabilities) {
  const std::size_t months = model.months.size();
  for (std::size_t g = 0; g < model.groups; ++g) {
    const double m = dot(std::span(model.coordinates).subspan(g * model.dimension, model.dimension), x);
    const double s = model.weights[g];
    for (std::size_t k = 0; k < months; ++k) {
      // Phi(y) = erfc(-y / sqrt 2) / 2, exact in the lower tail; c = -inf gives 0 and c = +inf gives 1.
      const double y = (model.thresholds[g * months + k] * v - m) / s;
      probabilities[g * months + k] = 0.5 * std::erfc(-y * std::numbers::sqrt2 / 2.0);
    }
  }
}

}  // namespace computedebt::analytic
