#include <computedebt/analytic/factor_integral.hpp>
#include <computedebt/analytic/quadrature.hpp>

#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace computedebt::analytic {

namespace {

/// The share of a level's tolerance left to the probability outside its interval.
constexpr double tail_share = 0.01;

}  // namespace

FactorIntegral::FactorIntegral(const ConditionalModel& model, std::size_t size, std::size_t loss_size, double tolerance,
                               Conditional conditional)
    : model_(model),
      conditional_(std::move(conditional)),
      size_(size),
      loss_size_(loss_size),
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

std::vector<double> FactorIntegral::run() {
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

double FactorIntegral::error() const {
  double sum = 0.0;
  for (const double e : level_error_) sum += e;
  return sum;
}

std::vector<double> FactorIntegral::integrate(std::size_t level, double low, double high, double tail,
                                              const std::function<void(double, std::span<double>)>& f) {
  auto integral = analytic::integrate(f, low, high, size_, loss_size_, level_tolerance_ - tail);
  level_error_[level] = std::max(level_error_[level], integral.error + tail);
  return std::move(integral.value);
}

/// The values given the mixing scale `v`: integrated over the factors, if the names load on any.
std::vector<double> FactorIntegral::given_mixing(double v) {
  if (model_.dimension > 0) return over_factors(0, v);
  std::vector<double> values(size_);
  conditional(v, values);
  return values;
}

std::vector<double> FactorIntegral::over_factors(std::size_t d, double v) {
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

void FactorIntegral::conditional(double v, std::span<double> out) {
  default_probabilities(model_, x_, v, probabilities_);
  conditional_(probabilities_, out);
  ++nodes_;
}

}  // namespace computedebt::analytic
