#include <computedebt/analytic/conditional.hpp>
#include <computedebt/analytic/loss_lattice.hpp>
#include <computedebt/analytic/quadrature.hpp>
#include <computedebt/analytic/recursion.hpp>
#include <computedebt/analytic/semi_analytic.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/pricing/tranche_pricing.hpp>
#include <computedebt/waterfall/loss_tranches.hpp>

#include <fmt/format.h>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>

namespace computedebt::analytic {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Nested quadrature over the mixing variable (Student t, outermost) and the reduced factors. Each level integrates
/// over a finite interval outside which its variable's probability is `tail` of the level's tolerance; that mass
/// is added to the level's error, since the integrand's norm is at most 1 times the density.
class Integrator {
 public:
  Integrator(const LossLattice& lattice, const ConditionalModel& model, double tolerance)
      : model_(model),
        recursion_(lattice),
        loss_size_(lattice.max_units + 1),
        size_(loss_size_ + lattice.group_of.size() + 1),
        x_(model.dimension),
        probabilities_(model.groups * model.months.size()),
        levels_(model.dimension + (model.degrees_of_freedom > 0.0 ? 1 : 0)),
        // Each level's error enters the level outside it weighted by a density that integrates to at most 1,
        // so the levels' shares add up to the tolerance.
        level_tolerance_(tolerance / static_cast<double>(std::max<std::size_t>(levels_, 1))),
        level_error_(levels_, 0.0) {
    // `P(|Z| > bound) = tail`.
    const double tail = tail_share * level_tolerance_;
    factor_bound_ = std::numbers::sqrt2 * boost::math::erfc_inv(tail);
    factor_tail_ = tail;
  }

  std::vector<double> run() {
    const double nu = model_.degrees_of_freedom;
    if (nu == 0.0) return given_mixing(1.0);
    // `y = ln W`, `W ~ chi2(nu)`: the density `exp(nu y / 2 - e^y / 2) / (2^(nu/2) Gamma(nu/2))` is smooth and
    // decays on both sides, and `v = sqrt(W / nu)`. The interval holds all but `tail` of W's probability.
    const double log_norm = std::lgamma(nu / 2.0) + nu / 2.0 * std::numbers::ln2;
    const double tail = tail_share * level_tolerance_;
    const double low = std::log(2.0 * boost::math::gamma_p_inv(nu / 2.0, tail / 2.0));
    const double high = std::log(2.0 * boost::math::gamma_q_inv(nu / 2.0, tail / 2.0));
    return integrate(0, low, high, tail, [&](double y, std::span<double> out) {
      const double density = std::exp(nu / 2.0 * y - std::exp(y) / 2.0 - log_norm);
      const auto inner = given_mixing(std::sqrt(std::exp(y) / nu));
      for (std::size_t k = 0; k < size_; ++k) out[k] = inner[k] * density;
    });
  }

  /// Sum over the levels of the largest error estimate of any of their integrals.
  double error() const {
    double sum = 0.0;
    for (const double e : level_error_) sum += e;
    return sum;
  }
  std::uint64_t nodes() const { return nodes_; }

 private:
  /// The share of a level's tolerance left to the probability outside its interval.
  static constexpr double tail_share = 0.01;

  std::vector<double> integrate(std::size_t level, double low, double high, double tail, const Integrand& f) {
    auto integral = analytic::integrate(f, low, high, size_, loss_size_, level_tolerance_ - tail);
    level_error_[level] = std::max(level_error_[level], integral.error + tail);
    return std::move(integral.value);
  }

  /// The distributions given the mixing scale `v`: integrated over the factors, if the names load on any.
  std::vector<double> given_mixing(double v) {
    if (model_.dimension > 0) return over_factors(0, v);
    std::vector<double> values(size_);
    conditional(v, values);
    return values;
  }

  std::vector<double> over_factors(std::size_t d, double v) {
    const std::size_t level = d + (levels_ - model_.dimension);
    return integrate(level, -factor_bound_, factor_bound_, factor_tail_, [this, d, v](double z, std::span<double> out) {
      const double density = std::exp(-z * z / 2.0) * std::numbers::inv_sqrtpi / std::numbers::sqrt2;
      x_[d] = z;
      if (d + 1 == model_.dimension) {
        conditional(v, out);
      } else {
        const auto inner = over_factors(d + 1, v);
        std::copy(inner.begin(), inner.end(), out.begin());
      }
      for (double& value : out) value *= density;
    });
  }

  void conditional(double v, std::span<double> out) {
    default_probabilities(model_, x_, v, probabilities_);
    recursion_(probabilities_, out.first(loss_size_), out.subspan(loss_size_));
    ++nodes_;
  }

  const ConditionalModel& model_;
  ConditionalDistributions recursion_;
  std::size_t loss_size_, size_;
  std::vector<double> x_, probabilities_;
  std::size_t levels_;
  double level_tolerance_, factor_bound_ = 0.0, factor_tail_ = 0.0;
  std::vector<double> level_error_;
  std::uint64_t nodes_ = 0;
};

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
  Integrator integrator(lattice, model, config.tolerance);
  const auto values = integrator.run();

  LossDistribution result;
  result.probability.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lattice.max_units + 1));
  result.default_count.assign(values.begin() + static_cast<std::ptrdiff_t>(lattice.max_units + 1), values.end());
  result.unit = lattice.total_exposure > 0.0 ? lattice.unit / lattice.total_exposure : 0.0;
  result.achieved_error = integrator.error();
  result.nodes = integrator.nodes();
  result.bucketing_error = lattice.error_bound;
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
