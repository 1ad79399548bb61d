#include <computedebt/core/error.hpp>
#include <computedebt/scenario/credit_sampler.hpp>

#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::scenario {

void sobol_point(SobolEngine& sobol, std::uint32_t index, std::span<std::uint32_t> point) {
  // Boost's `seed(k)` leaves the engine at point `k`, so its next output is point `k + 1`; point 0 is the origin.
  if (index == 0) {
    std::fill(point.begin(), point.end(), 0u);
    return;
  }
  sobol.seed(index - 1);
  for (auto& coordinate : point) coordinate = sobol();
}

CreditSampler::CreditSampler(const calibration::Plan& plan, std::span<const double> importance_shift, bool antithetic,
                             bool quasi_random)
    : credit_(plan.credit),
      root_(plan.factor_root),
      columns_(plan.credit.columns),
      factor_count_(plan.credit.factors),
      batch_size_(std::clamp<std::size_t>((std::size_t{1} << 16) / std::max<std::size_t>(plan.credit.names, 1), 1, 16)),
      shift_(importance_shift.begin(), importance_shift.end()) {
  antithetic_ = antithetic;
  require_input(!(antithetic && quasi_random), "quasi_random",
                "antithetic pairs and quasi-random factors cannot be combined");
  if (quasi_random && plan.credit.factors > 0) {
    sobol_.emplace(plan.credit.factors);
    sobol_point_.resize(plan.credit.factors);
  }
  require_input(shift_.empty() || shift_.size() == plan.credit.factors, "importance_shift",
                "expected one entry per factor ({}), got {}", plan.credit.factors, shift_.size());
  for (double mu : shift_)
    require_input(std::isfinite(mu) && std::abs(mu) <= 10.0, "importance_shift", "{} is not in [-10, 10]", mu);
  if (const auto* t = std::get_if<assumptions::StudentTCopula>(&plan.copula)) nu_ = t->degrees_of_freedom;
  const auto& group_of = plan.credit.group_of;
  for (std::size_t i = 0; i < group_of.size(); ++i)
    if (runs_.empty() || runs_.back().group != group_of[i])
      runs_.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1), group_of[i]});
    else
      ++runs_.back().end;
  const std::size_t batch = batch_size_, names = plan.credit.names, groups = plan.credit.groups;
  xi_.resize(batch * factor_count_);
  factors_.resize(batch * factor_count_);
  weight_.assign(batch, 1.0);
  scale_.assign(batch, 1.0);
  systematic_.resize(batch * groups);
  horizon_probability_.resize(batch * groups);
  horizon_bits_.resize(batch * groups);
  bits_.resize((names + 3) / 4 * 4);  // whole Philox blocks, all on SIMD lanes
  defaults_begin_.assign(batch + 1, 0);
  // Room for every name of a batch to default, up to 4,096 names a path; beyond, the buffers grow with the most
  // defaults a batch has had (draw_batch), not with the pool.
  make_room(batch * std::min<std::size_t>(names, 4096));
}

void CreditSampler::make_room(std::size_t defaults) {
  if (defaults <= defaulted_.size()) return;
  const std::size_t size = std::max(defaults, 2 * defaulted_.size());
  defaulted_.resize(size);
  months_.resize(size);
  default_uniforms_.resize(size);
  default_normals_.resize(size);
  default_first_.resize(size);
  default_offset_.resize(size);
}

void CreditSampler::sample(std::uint32_t seed, std::uint64_t path, std::span<int> default_month) {
  const std::uint64_t first = path - path % batch_size_;
  if (!drawn_ || seed != seed_ || first != first_) draw_batch(seed, first);
  current_ = static_cast<std::size_t>(path - first);
  std::fill(default_month.begin(), default_month.end(), static_cast<int>(columns_));
  for (std::size_t j = defaults_begin_[current_]; j < defaults_begin_[current_ + 1]; ++j)
    default_month[defaulted_[j]] = months_[j];
}

void CreditSampler::draw_batch(std::uint32_t seed, std::uint64_t first) {
  drawn_ = true;
  seed_ = seed;
  first_ = first;
  const std::size_t batch = batch_size_, F = factor_count_, G = credit_.groups;

  // The factor normals of every path of the batch, as uniforms first, then one call of inverse_normals.
  for (std::size_t p = 0; p < batch; ++p) {
    const std::uint64_t path = first + p;
    const auto u = std::span(xi_).subspan(p * F, F);
    if (sobol_) {
      // Point `path mod 1024` of the Sobol sequence, XOR-shifted by random bits drawn per leaf and factor.
      constexpr std::uint64_t leaf = 1024;
      const RandomStream shift(seed, Stream::digital_shift);
      sobol_point(*sobol_, static_cast<std::uint32_t>(path % leaf), sobol_point_);
      for (std::size_t f = 0; f < F; ++f) u[f] = RandomStream::to_uniform(sobol_point_[f] ^ shift.bits(path / leaf, f));
    } else {
      const auto draws = path_draws(path, antithetic_);
      RandomStream(seed, Stream::systematic, draws.reflected).uniforms(draws.source, 0, u);
    }
  }
  inverse_normals(xi_, xi_);
  if (!shift_.empty()) {
    // xi ~ N(mu, 1) instead of N(0, 1): weight by phi(xi) / phi(xi - mu) = exp(-mu . xi + |mu|^2 / 2).
    for (std::size_t p = 0; p < batch; ++p) {
      double exponent = 0.0;
      for (std::size_t f = 0; f < F; ++f) {
        double& xi = xi_[p * F + f];
        xi += shift_[f];
        exponent += shift_[f] * (0.5 * shift_[f] - xi);
      }
      weight_[p] = exponent;
    }
    exps(weight_, weight_);
  }
  const std::size_t last = columns_ - 1;
  for (std::size_t p = 0; p < batch; ++p) {
    const double* xi = xi_.data() + p * F;
    double* factors = factors_.data() + p * F;
    for (std::size_t a = 0; a < F; ++a) {
      double z = 0.0;
      for (std::size_t b = 0; b < F; ++b) z += root_(a, b) * xi[b];
      factors[a] = z;
    }
    if (nu_ > 0.0) {
      // W ~ chi2(nu) by its inverse distribution function: W = 2 P^{-1}(nu / 2, u).
      const auto draws = path_draws(first + p, antithetic_);
      const double u = RandomStream(seed, Stream::chi_squared, draws.reflected).uniform(draws.source, 0);
      scale_[p] = std::sqrt(2.0 * boost::math::gamma_p_inv(0.5 * nu_, u) / nu_);
    }
    for (std::size_t g = 0; g < G; ++g) {
      double m = 0.0;
      for (std::size_t f = 0; f < F; ++f) m += credit_.group_loadings[g * F + f] * factors[f];
      systematic_[p * G + g] = m;
      horizon_probability_[p * G + g] =
          (credit_.group_thresholds[g * columns_ + last] * scale_[p] - m) / credit_.group_weights[g];
    }
  }
  normal_cdfs(horizon_probability_, horizon_probability_);
  for (std::size_t i = 0; i < batch * G; ++i)
    horizon_bits_[i] = RandomStream::uniform_threshold(horizon_probability_[i]);

  // Each path's survival test, each run of names of one group many names at once on their raw bits; the few that fail
  // it default on the grid, in name order.
  std::size_t defaults = 0;
  for (std::size_t p = 0; p < batch; ++p) {
    defaults_begin_[p] = defaults;
    const auto draws = path_draws(first + p, antithetic_);
    RandomStream(seed, Stream::idiosyncratic, draws.reflected).bits(draws.source, 0, bits_);
    const std::size_t path_first = defaults;
    for (const auto& run : runs_) {
      const std::int64_t threshold = horizon_bits_[p * G + run.group];
      if (threshold < 0) continue;
      make_room(defaults + (run.end - run.begin));
      defaults += positions_at_or_below(std::span(bits_).subspan(run.begin, run.end - run.begin),
                                        static_cast<std::uint32_t>(threshold), run.begin, defaulted_.data() + defaults);
    }
    for (std::size_t j = path_first; j < defaults; ++j)
      default_uniforms_[j] = RandomStream::to_uniform(bits_[defaulted_[j]]);
  }
  defaults_begin_[batch] = defaults;
  if (defaults == 0) return;
  const auto normals = std::span(default_normals_).first(defaults);
  inverse_normals(std::span(default_uniforms_).first(defaults), normals);
  // Each default's month is the first k in [1, K] with x <= c_gk; the thresholds never fall, and c_g0 = -inf.
  // Rounding at the boundary of the horizon test can leave x just above c_gK: that name defaults in month K.
  // std::lower_bound over c_g1 .. c_g(K-1) for every default of the batch at once, in lockstep: the halving steps
  // depend on K alone, each picks its half by a conditional move, and the defaults' loads overlap.
  const auto latent = normals;  // x_i, in place of the normals
  const auto first_threshold = std::span(default_first_).first(defaults);
  const auto offset = std::span(default_offset_).first(defaults);
  // Locals rather than members in the loop: its stores cannot alias them.
  const std::uint32_t* group_of = credit_.group_of.data();
  const double* weights = credit_.group_weights.data();
  const double* thresholds = credit_.group_thresholds.data();
  const std::uint32_t* names = defaulted_.data();
  for (std::size_t p = 0; p < batch; ++p) {
    const double* systematic = systematic_.data() + p * G;
    const double scale = scale_[p];
    for (std::size_t j = defaults_begin_[p], end = defaults_begin_[p + 1]; j < end; ++j) {
      const std::size_t g = group_of[names[j]];
      const double x = systematic[g] + weights[g] * normals[j];
      // x / 1 is x: the Gaussian copula skips the division.
      latent[j] = nu_ > 0.0 ? x / scale : x;
      first_threshold[j] = thresholds + g * columns_ + 1;
      offset[j] = 0;
    }
  }
  std::size_t n = last - 1;
  for (; n > 1; n -= n / 2)
    for (std::size_t j = 0; j < defaults; ++j)
      offset[j] += first_threshold[j][offset[j] + n / 2 - 1] < latent[j] ? n / 2 : 0;
  for (std::size_t j = 0; j < defaults; ++j)
    months_[j] = static_cast<int>(1 + offset[j] + (n == 1 && first_threshold[j][offset[j]] < latent[j]));
}

}  // namespace computedebt::scenario
