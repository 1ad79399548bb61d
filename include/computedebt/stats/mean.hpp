#pragma once
/// \file
/// A mergeable mean and variance accumulator (Welford), in the style of Boost.Histogram's `mean`.

#include <cmath>
#include <cstdint>

namespace computedebt::stats {

/// Running count, mean and sum of squared deviations of a sample.
///
/// Merging two accumulators uses the pooled update (Chan et al.): with `n = n_a + n_b` and
/// `d = mean_b - mean_a`, `mean = mean_a + d n_b / n` and `M2 = M2_a + M2_b + d^2 n_a n_b / n`. Merging with
/// an empty accumulator leaves the other bit for bit unchanged, so padding the merge tree changes nothing.
class Mean {
 public:
  void add(double x) noexcept {
    ++count_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(count_);
    m2_ += delta * (x - mean_);
  }

  Mean& operator+=(const Mean& other) noexcept {
    if (other.count_ == 0) return *this;
    if (count_ == 0) return *this = other;
    const double n_a = static_cast<double>(count_), n_b = static_cast<double>(other.count_);
    const double n = n_a + n_b;
    const double delta = other.mean_ - mean_;
    mean_ += delta * (n_b / n);
    m2_ += other.m2_ + delta * delta * (n_a * n_b / n);
    count_ += other.count_;
    return *this;
  }

  bool operator==(const Mean&) const = default;

  std::uint64_t count() const noexcept { return count_; }
  double mean() const noexcept { return mean_; }
  /// Sample variance (divisor `n - 1`); 0 below two observations.
  double variance() const noexcept { return count_ > 1 ? m2_ / static_cast<double>(count_ - 1) : 0.0; }
  /// Standard error of the mean, `sqrt(variance / n)`; NaN (undefined, `null` in JSON) below two observations,
  /// where no variance can be estimated: a single path does not have a standard error of 0.
  double standard_error() const noexcept {
    return count_ > 1 ? std::sqrt(variance() / static_cast<double>(count_)) : std::nan("");
  }
  /// The raw state, for serialisation.
  double sum_of_squares() const noexcept { return m2_; }
  static Mean from_state(std::uint64_t count, double mean, double m2) noexcept {
    Mean m;
    m.count_ = count;
    m.mean_ = mean;
    m.m2_ = m2;
    return m;
  }

 private:
  std::uint64_t count_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

}  // namespace computedebt::stats
