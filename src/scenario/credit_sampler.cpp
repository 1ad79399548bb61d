#include <computedebt/scenario/credit_sampler.hpp>

#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::scenario {

CreditSampler::CreditSampler(const calibration::Plan& plan)
    : credit_(plan.credit),
      root_(plan.factor_root),
      columns_(plan.credit.columns),
      xi_(plan.credit.factors),
      factors_(plan.credit.factors),
      uniforms_(plan.credit.names),
      systematic_(plan.credit.groups),
      conditional_(plan.credit.groups * plan.credit.columns) {
  if (const auto* t = std::get_if<assumptions::StudentTCopula>(&plan.copula)) nu_ = t->degrees_of_freedom;
}

double CreditSampler::conditional_pd(std::size_t group, std::size_t month) noexcept {
  double& q = conditional_[group * columns_ + month];
  if (q < 0.0)
    q = normal_cdf((credit_.group_thresholds[group * columns_ + month] * scale_ - systematic_[group]) /
                   credit_.group_weights[group]);
  return q;
}

void CreditSampler::sample(std::uint32_t seed, std::uint64_t path, std::span<int> default_month) noexcept {
  const std::size_t f_count = credit_.factors;
  const RandomStream systematic(seed, Stream::systematic);
  for (std::size_t f = 0; f < f_count; ++f) xi_[f] = normal(systematic, path, f);
  for (std::size_t a = 0; a < f_count; ++a) {
    double z = 0.0;
    for (std::size_t b = 0; b < f_count; ++b) z += root_(a, b) * xi_[b];
    factors_[a] = z;
  }
  if (nu_ > 0.0) {
    // W ~ chi2(nu) by its inverse distribution function: W = 2 P^{-1}(nu / 2, u).
    const double u = RandomStream(seed, Stream::chi_squared).uniform(path, 0);
    scale_ = std::sqrt(2.0 * boost::math::gamma_p_inv(0.5 * nu_, u) / nu_);
  }
  for (std::size_t g = 0; g < credit_.groups; ++g) {
    double m = 0.0;
    for (std::size_t f = 0; f < f_count; ++f) m += credit_.group_loadings[g * f_count + f] * factors_[f];
    systematic_[g] = m;
  }
  std::fill(conditional_.begin(), conditional_.end(), -1.0);

  RandomStream(seed, Stream::idiosyncratic).uniforms(path, 0, uniforms_);
  const std::size_t last = columns_ - 1;
  for (std::size_t i = 0; i < credit_.names; ++i) {
    const std::size_t g = credit_.group_of[i];
    const double u = uniforms_[i];
    if (u > conditional_pd(g, last)) {
      default_month[i] = static_cast<int>(columns_);
      continue;
    }
    // Smallest k in [1, K] with u <= q_gk; q is non-decreasing in k and q_g0 = 0.
    std::size_t low = 1, high = last;
    while (low < high) {
      const std::size_t mid = low + (high - low) / 2;
      if (u <= conditional_pd(g, mid))
        high = mid;
      else
        low = mid + 1;
    }
    default_month[i] = static_cast<int>(low);
  }
}

}  // namespace computedebt::scenario
