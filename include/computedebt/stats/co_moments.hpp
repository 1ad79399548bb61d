#pragma once
/// \file
/// Means of several quantities observed together and their covariance matrix, mergeable like `Mean`: what a
/// control variate's regression needs (docs/methodology.md section 7.7).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace computedebt::stats {

/// Running count, means and co-moment matrix `sum (x - mean)(x - mean)'` of a vector sample. The matrix is
/// symmetric, so only its upper triangle (`i <= j`) is kept up to date.
///
/// Adds by Welford's update and merges by the pooled one (Chan et al.), as `Mean` does component by component:
/// with `d = mean_b - mean_a`, `C = C_a + C_b + d d' n_a n_b / n`. Merging with an empty accumulator leaves the
/// other bit for bit unchanged.
class CoMoments {
 public:
  CoMoments() = default;
  explicit CoMoments(std::size_t dimension) : mean_(dimension), co_moment_(dimension * dimension) {}

  /// Adds one observation of all `dimension()` quantities; `delta` is scratch of that size.
  void add(std::span<const double> x, std::span<double> delta) noexcept {
    ++count_;
    const double inverse = 1.0 / static_cast<double>(count_);  // One division per observation, not per quantity.
    const std::size_t d = mean_.size();
    for (std::size_t i = 0; i < d; ++i) {
      delta[i] = x[i] - mean_[i];
      mean_[i] += delta[i] * inverse;
    }
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = i; j < d; ++j) co_moment_[i * d + j] += delta[i] * (x[j] - mean_[j]);
  }

  CoMoments& operator+=(const CoMoments& other) noexcept {
    if (other.count_ == 0) return *this;
    if (count_ == 0) return *this = other;
    const double n_a = static_cast<double>(count_), n_b = static_cast<double>(other.count_);
    const double n = n_a + n_b;
    const std::size_t d = mean_.size();
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = i; j < d; ++j)
        co_moment_[i * d + j] +=
            other.co_moment_[i * d + j] + (other.mean_[i] - mean_[i]) * (other.mean_[j] - mean_[j]) * (n_a * n_b / n);
    for (std::size_t i = 0; i < d; ++i) mean_[i] += (other.mean_[i] - mean_[i]) * (n_b / n);
    count_ += other.count_;
    return *this;
  }

  bool operator==(const CoMoments&) const = default;

  /// Empties the accumulator in place, keeping its dimension.
  void clear() noexcept {
    count_ = 0;
    std::fill(mean_.begin(), mean_.end(), 0.0);
    std::fill(co_moment_.begin(), co_moment_.end(), 0.0);
  }

  std::size_t dimension() const noexcept { return mean_.size(); }
  bool empty() const noexcept { return mean_.empty(); }
  std::uint64_t count() const noexcept { return count_; }
  double mean(std::size_t i) const noexcept { return mean_[i]; }
  /// Sample covariance of quantities `i` and `j` (divisor `n - 1`); 0 below two observations.
  double covariance(std::size_t i, std::size_t j) const noexcept {
    if (i > j) std::swap(i, j);
    return count_ > 1 ? co_moment_[i * dimension() + j] / static_cast<double>(count_ - 1) : 0.0;
  }

  /// The raw state, for serialisation: the means, and the co-moments row by row (the lower triangle 0).
  const std::vector<double>& means() const noexcept { return mean_; }
  const std::vector<double>& co_moments() const noexcept { return co_moment_; }
  static CoMoments from_state(std::uint64_t count, std::vector<double> means, std::vector<double> co_moments) {
    CoMoments c;
    c.count_ = count;
    c.mean_ = std::move(means);
    c.co_moment_ = std::move(co_moments);
    return c;
  }

 private:
  std::uint64_t count_ = 0;
  std::vector<double> mean_, co_moment_;
};

}  // namespace computedebt::stats
