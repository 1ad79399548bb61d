#pragma once
/// \file
/// Sums and sums of squares of many quantities over the same independent groups: means with standard errors for
/// quantities that are zero on most paths, such as one counterparty's share of a loss (docs/methodology.md
/// section 6.7).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>
#include <vector>

namespace computedebt::stats {

/// Per quantity `i`, `sum_g x_ig` and `sum_g x_ig^2` over groups `g`; the group count is kept by the caller, who
/// observes every quantity in every group (a zero needs no update, which is the point). Merges by addition.
struct MomentSums {
  MomentSums() = default;
  explicit MomentSums(std::size_t size) : sum(size), square_sum(size) {}

  std::vector<double> sum, square_sum;

  static constexpr auto fields = std::tuple{&MomentSums::sum, &MomentSums::square_sum};

  /// The mean of quantity `i` over `groups` groups.
  double mean(std::size_t i, std::uint64_t groups) const noexcept {
    return groups > 0 ? sum[i] / static_cast<double>(groups) : 0.0;
  }
  /// The standard error of `mean(i, groups)`: `sqrt(s^2 / n)` with the sample variance `s^2`; NaN below two groups.
  double standard_error(std::size_t i, std::uint64_t groups) const noexcept {
    if (groups < 2) return std::nan("");
    const double n = static_cast<double>(groups), m = sum[i] / n;
    const double variance = (square_sum[i] - n * m * m) / (n - 1.0);
    return std::sqrt(std::max(variance, 0.0) / n);
  }
  bool operator==(const MomentSums&) const = default;
};

}  // namespace computedebt::stats
