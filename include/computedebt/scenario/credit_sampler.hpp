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

/// Samples the paths asked for, drawing them in batches; owns its workspace, so one sampler per thread and no
/// allocation per path once its buffers have grown to the largest batch of defaults.
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
  ///
  /// Paths are drawn a batch at a time, structure-of-arrays: the first path asked for in a batch of `batch_size()`
  /// aligned paths draws the whole batch, so that its factor normals, horizon probabilities and defaulters' inverse
  /// normals each run as one vectorised call instead of a few values per path. Every path's values depend on its
  /// own draws alone, so they are the same bits whichever path, order or batch asked first.
  void sample(std::uint32_t seed, std::uint64_t path, std::span<int> default_month);

  /// The likelihood ratio of the last path, `exp(-mu . xi + |mu|^2 / 2)`: 1 without importance sampling.
  double weight() const noexcept { return weight_[current_]; }
  /// The independent factor normals `xi` of the last sampled path.
  std::span<const double> normals() const noexcept {
    return std::span(xi_).subspan(current_ * factor_count_, factor_count_);
  }
  /// The factor values `Z = L xi` of the last sampled path.
  std::span<const double> factors() const noexcept {
    return std::span(factors_).subspan(current_ * factor_count_, factor_count_);
  }
  /// The names that default on the grid on the last sampled path, in name order.
  std::span<const std::uint32_t> defaulted() const noexcept {
    return std::span(defaulted_)
        .subspan(defaults_begin_[current_], defaults_begin_[current_ + 1] - defaults_begin_[current_]);
  }
  /// `K + 1`, the month meaning "no default on the grid".
  int survives() const noexcept { return static_cast<int>(columns_); }
  /// How many aligned paths are drawn together: 16, fewer for pools of more than 4,096 names (`2^16 / names`, at
  /// least 1), so that a batch's names stay within a few megabytes.
  std::size_t batch_size() const noexcept { return batch_size_; }

 private:
  /// Draws paths `[first, first + batch_size())`.
  void draw_batch(std::uint32_t seed, std::uint64_t first);
  /// Grows the defaulters' buffers to hold `defaults` (they never shrink, so a run allocates only while a batch
  /// has more defaults than any before it).
  void make_room(std::size_t defaults);

  const calibration::CreditPlan& credit_;
  const calibration::FactorRoot& root_;
  double nu_ = 0.0;  ///< Degrees of freedom; 0 for the Gaussian copula.
  bool antithetic_ = false;
  std::optional<SobolEngine> sobol_;
  std::vector<std::uint32_t> sobol_point_;  ///< A path's Sobol point, before the shift.
  std::size_t columns_, factor_count_, batch_size_;
  /// Consecutive names of one group, `[begin, end)`: each run's survival test is one call.
  struct Run {
    std::uint32_t begin, end, group;
  };
  std::vector<Run> runs_;
  std::vector<double> shift_;  ///< `mu`, empty when off.

  // The batch drawn last, each array path-major: path `first_ + p` at `p x (its width)`.
  bool drawn_ = false;
  std::uint32_t seed_ = 0;
  std::uint64_t first_ = 0;
  std::size_t current_ = 0;                  ///< The last sampled path's place in the batch.
  std::vector<double> xi_, factors_;         ///< `F` per path.
  std::vector<double> weight_, scale_;       ///< Per path; `v = sqrt(W / nu)`, 1 for the Gaussian copula.
  std::vector<double> systematic_;           ///< `beta_g . Z`, `G` per path.
  std::vector<double> horizon_probability_;  ///< `q_gK`, `G` per path.
  std::vector<std::int64_t> horizon_bits_;   ///< `U <= q_gK` exactly when `bits <= horizon_bits_`, `G` per path.
  std::vector<std::uint32_t> bits_;          ///< One path's `U_i` as raw bits.
  std::vector<std::uint32_t> defaulted_;     ///< The batch's defaulted names, path by path, each in name order.
  std::vector<std::size_t> defaults_begin_;  ///< Path `p`'s are `[defaults_begin_[p], defaults_begin_[p + 1])`.
  std::vector<int> months_;                  ///< Their default months.
  std::vector<double> default_uniforms_, default_normals_;  ///< Their `U_i`, then `Phi^{-1}(U_i)`, then `x_i`.
  std::vector<const double*> default_first_;                ///< Their groups' thresholds `c_g1 ..`.
  std::vector<std::size_t> default_offset_;                 ///< Their months' search positions.
};

}  // namespace computedebt::scenario
