#pragma once
/// \file
/// Default months of every counterparty on one path, from the factor copula by conditional sampling
/// (docs/methodology.md section 2.4).

#include <computedebt/calibration/plan.hpp>
#include <computedebt/core/random.hpp>

#include <boost/random/sobol.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace computedebt::scenario {

/// The 32-bit Sobol engine of the quasi-random factors.
using SobolEngine = boost::random::sobol_engine<std::uint32_t, 32>;

/// Writes point `index` of `sobol`'s sequence, counted from 0 (the origin) in Boost's Gray-code order, into
/// `point` (one coordinate per dimension). Points `0 .. 2^m - 1` put exactly one point in each of the `2^m` equal
/// intervals of every dimension (docs/methodology.md section 7.4).
void sobol_point(SobolEngine& sobol, std::uint32_t index, std::span<std::uint32_t> point);

/// Samples one path at a time; owns its workspace, so one sampler per thread and no allocation per path.
///
/// Given the factors `Z = L xi` (and `v = sqrt(W / nu)` for the Student-t copula), names are independent: name
/// `i` of group `g` defaults by month `k` with probability `q_gk = Phi((c_gk v - beta_g . Z) / s_g)`. One
/// uniform `U_i` gives its default month, the first `k` with `U_i <= q_gk`. `q_gK` is computed once per group
/// and path, and most names survive after that one comparison, made on the uniform's raw bits. For the others, `U_i <=
/// q_gk` is the same event as `x_i <= c_gk` with the latent variable `x_i = (beta_g . Z + s_g Phi^{-1}(U_i)) / v`, so
/// their month is a bisection over the thresholds: one inverse normal per default, no distribution function per month.
class CreditSampler {
 public:
  /// `importance_shift`: the mean `mu` of each independent factor normal (empty: 0), see `weight`.
  /// `antithetic`: odd paths reuse the previous path's draws, reflected (`path_draws`).
  /// `quasi_random`: the factor normals come from a Sobol sequence (point `path mod 1024` of the path's
  /// leaf), digitally shifted at random per leaf, so that each leaf is an independent randomised-QMC estimate.
  explicit CreditSampler(const calibration::Plan& plan, std::span<const double> importance_shift = {},
                         bool antithetic = false, bool quasi_random = false);

  /// Writes each name's default month into `default_month` (`K + 1` when it survives the grid).
  void sample(std::uint32_t seed, std::uint64_t path, std::span<int> default_month) noexcept;

  /// The likelihood ratio of the last path, `exp(-mu . xi + |mu|^2 / 2)`: 1 without importance sampling.
  double weight() const noexcept { return weight_; }
  /// The independent factor normals `xi` of the last sampled path.
  std::span<const double> normals() const noexcept { return xi_; }
  /// The factor values `Z = L xi` of the last sampled path.
  std::span<const double> factors() const noexcept { return factors_; }
  /// The names that default on the grid on the last sampled path, in name order.
  std::span<const std::uint32_t> defaulted() const noexcept { return {defaulted_.data(), defaulted_count_}; }
  /// `K + 1`, the month meaning "no default on the grid".
  int survives() const noexcept { return static_cast<int>(columns_); }

 private:
  const calibration::CreditPlan& credit_;
  const calibration::FactorRoot& root_;
  double nu_ = 0.0;  ///< Degrees of freedom; 0 for the Gaussian copula.
  bool antithetic_ = false;
  std::optional<SobolEngine> sobol_;
  std::vector<std::uint32_t> sobol_point_;  ///< The path's Sobol point, before the shift.
  std::size_t columns_;
  std::vector<double> xi_, factors_;
  std::vector<std::uint32_t> bits_;  ///< `U_i` as raw bits.
  /// Consecutive names of one group, `[begin, end)`: each run's survival test is one batch.
  struct Run {
    std::uint32_t begin, end, group;
  };
  std::vector<Run> runs_;
  std::vector<std::uint32_t> defaulted_;
  std::size_t defaulted_count_ = 0;
  std::vector<double> default_uniforms_, default_normals_;  ///< `U_i` and `Phi^{-1}(U_i)` of the defaulted names.
  std::vector<const double*> default_first_;                ///< Their groups' thresholds `c_g1 ..`.
  std::vector<std::size_t> default_offset_;                 ///< Their months' search positions.
  std::vector<double> systematic_;                          ///< `beta_g . Z` per group.
  std::vector<double> horizon_probability_;                 ///< `q_gK` per group, one batch of `normal_cdfs`.
  std::vector<std::int64_t> horizon_bits_;                  ///< `U <= q_gK` exactly when `bits <= horizon_bits_[g]`.
  double scale_ = 1.0;                                      ///< `v = sqrt(W / nu)`; 1 for the Gaussian copula.
  std::vector<double> shift_;                               ///< `mu`, empty when off.
  double weight_ = 1.0;                                     ///< The likelihood ratio of the last path.
};

}  // namespace computedebt::scenario
