#include <computedebt/analytic/conditional.hpp>
#include <computedebt/analytic/factor_integral.hpp>
#include <computedebt/analytic/loss_lattice.hpp>
#include <computedebt/analytic/recursion.hpp>
#include <computedebt/analytic/semi_analytic.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/pricing/tranche_pricing.hpp>
#include <computedebt/waterfall/loss_tranches.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <limits>

namespace computedebt::analytic {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

double LossDistribution::expected_loss() const {
  double sum = 0.0;
  for (std::size_t u = 0; u < probability.size(); ++u) sum += probability[u] * static_cast<double>(u) * unit;
  return sum;
}

double LossDistribution::tranche_expected_loss(double attachment, double detachment) const {
  double sum = 0.0;
  for (std::size_t u = 0; u < probability.size(); ++u)
    sum += probability[u] * waterfall::tranche_loss(static_cast<double>(u) * unit, attachment, detachment);
  return sum;
}

double LossDistribution::exceedance(double threshold) const {
  double sum = 0.0;
  for (std::size_t u = 0; u < probability.size(); ++u)
    if (static_cast<double>(u) * unit > threshold) sum += probability[u];
  return sum;
}

namespace {

/// The VaR point's index and the probability up to and including it, for `level` of the total `total`.
std::pair<std::size_t, double> var_point(const std::vector<double>& probability, double level, double total) {
  double cumulative = 0.0;
  for (std::size_t u = 0; u < probability.size(); ++u)
    if ((cumulative += probability[u]) >= level * total) return {u, cumulative};
  return {probability.size() - 1, cumulative};
}

double total_of(const std::vector<double>& probability) {
  double total = 0.0;
  for (const double p : probability) total += p;
  return total;
}

}  // namespace

double LossDistribution::value_at_risk(double level) const {
  return static_cast<double>(var_point(probability, level, total_of(probability)).first) * unit;
}

double LossDistribution::expected_shortfall(double level) const {
  const double total = total_of(probability);
  const auto [k, below] = var_point(probability, level, total);
  const double var = static_cast<double>(k) * unit;
  double above = 0.0;
  for (std::size_t u = k + 1; u < probability.size(); ++u) above += probability[u] * static_cast<double>(u) * unit;
  return (above + var * (below - level * total)) / ((1.0 - level) * total);
}

LossDistribution loss_distribution(const calibration::Plan& plan, const SemiAnalyticConfig& config) {
  require_input(!plan.is_waterfall(), "method",
                "the semi-analytic method prices loss-tranche deals only; price a waterfall by Monte Carlo");
  require_input(config.tolerance > 0.0 && config.tolerance <= 1e-3, "tolerance",
                "expected a tolerance in (0, 1e-3], got {}", config.tolerance);
  require_input(config.max_units >= 100, "max_units", "expected at least 100 lattice points, got {}", config.max_units);
  const auto lattice = loss_lattice(plan, config.max_units);
  const auto model = conditional_model(plan, lattice.months);
  ConditionalDistributions recursion(lattice);
  const std::size_t loss_size = lattice.max_units + 1;
  FactorIntegral integrator(model, loss_size + lattice.group_of.size() + 1, loss_size, config.tolerance,
                            [&](std::span<const double> probabilities, std::span<double> out) {
                              recursion(probabilities, out.first(loss_size), out.subspan(loss_size));
                            });
  const auto values = integrator.run();

  LossDistribution result;
  result.probability.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lattice.max_units + 1));
  result.default_count.assign(values.begin() + static_cast<std::ptrdiff_t>(lattice.max_units + 1), values.end());
  result.unit = lattice.total_exposure > 0.0 ? lattice.unit / lattice.total_exposure : 0.0;
  result.achieved_error = integrator.error();
  result.nodes = integrator.nodes();
  result.bucketing_error = lattice.error_bound;
  result.bucketed = lattice.bucketed;
  return result;
}

pricing::Results price(const calibration::Plan& plan, const SemiAnalyticConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  const auto distribution = loss_distribution(plan, config);
  pricing::Results results;
  results.deal = plan.deal_name;
  results.threads = 1;
  results.effective_sample_size = results.mean_weight = results.mean_weight_stderr = nan;
  auto& portfolio = results.portfolio;
  portfolio.expected_loss = distribution.expected_loss();
  portfolio.expected_loss_stderr = nan;
  portfolio.loss_var_99 = distribution.value_at_risk(0.99);
  portfolio.loss_es_99 = distribution.expected_shortfall(0.99);
  portfolio.loss_var_999 = distribution.value_at_risk(0.999);
  portfolio.loss_es_999 = distribution.expected_shortfall(0.999);
  portfolio.expected_defaults = 0.0;
  for (std::size_t n = 0; n < distribution.default_count.size(); ++n)
    portfolio.expected_defaults += static_cast<double>(n) * distribution.default_count[n];
  portfolio.expected_defaults_stderr = nan;
  portfolio.default_count_distribution = distribution.default_count;
  for (const auto& tranche : plan.loss_tranches) {
    pricing::TrancheResult result;
    result.name = tranche.name;
    result.attachment = tranche.attachment;
    result.detachment = tranche.detachment;
    pricing::set_loss_estimates(distribution.tranche_expected_loss(tranche.attachment, tranche.detachment),
                                distribution.exceedance(tranche.attachment), result);
    results.tranches.push_back(std::move(result));
  }
  results.semi_analytic = pricing::SemiAnalyticRun{config.tolerance, distribution.achieved_error, distribution.nodes,
                                                   distribution.unit, distribution.bucketing_error};
  if (!(distribution.achieved_error <= config.tolerance))
    results.warnings.push_back(
        {"tolerance", fmt::format("the quadrature's error estimate {:.3g} is above the tolerance {:.3g}: the "
                                  "integrand needed more bisections than allowed",
                                  distribution.achieved_error, config.tolerance)});
  results.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return results;
}

}  // namespace computedebt::analytic
