#pragma once
/// \file
/// The accumulators a run's statistics are made of, in the two forms a statistic takes: collecting one leaf's
/// paths on a thread, and merged in a partial (docs/methodology.md section 7.2).

#include <computedebt/stats/co_moments.hpp>
#include <computedebt/stats/mean.hpp>
#include <computedebt/stats/moment_sums.hpp>
#include <computedebt/stats/ratio.hpp>
#include <computedebt/stats/sparse_histogram.hpp>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace computedebt::engine {

/// A mean over independent groups of paths (a path, an antithetic pair or a quasi-random leaf): each path adds
/// its weighted value to the open group, and the group's average enters the mean when the group ends.
class GroupedMean {
 public:
  void add(double x, double weight) noexcept { open_ += weight * x; }
  void end_group(double scale) noexcept {
    mean_.add(open_ * scale);
    open_ = 0.0;
  }
  /// Hands over the closed groups' mean and starts afresh.
  stats::Mean take() noexcept { return std::exchange(mean_, stats::Mean{}); }

 private:
  stats::Mean mean_;
  double open_ = 0.0;
};

/// Two means over the same groups, with their co-moment, for a ratio of means (`stats::Ratio`).
class GroupedRatio {
 public:
  void add(double x, double y, double weight) noexcept {
    open_x_ += weight * x;
    open_y_ += weight * y;
  }
  void end_group(double scale) noexcept {
    ratio_.add(open_x_ * scale, open_y_ * scale);
    open_x_ = open_y_ = 0.0;
  }
  stats::Ratio take() noexcept { return std::exchange(ratio_, stats::Ratio{}); }

 private:
  stats::Ratio ratio_;
  double open_x_ = 0.0, open_y_ = 0.0;
};

/// Grouped sums of many quantities that are zero on most paths (`stats::MomentSums`): a path adds only its nonzero
/// values, and ending a group visits only the quantities the group touched.
class GroupedSums {
 public:
  GroupedSums() = default;
  explicit GroupedSums(std::size_t size) : open_(size), touched_(size), sums_(size) { touched_list_.reserve(size); }
  void add(std::size_t i, double x, double weight) noexcept {
    if (!touched_[i]) {
      touched_[i] = 1;
      touched_list_.push_back(static_cast<std::uint32_t>(i));
    }
    open_[i] += weight * x;
  }
  void end_group(double scale) noexcept {
    for (const std::uint32_t i : touched_list_) {
      const double value = open_[i] * scale;
      sums_.sum[i] += value;
      sums_.square_sum[i] += value * value;
      open_[i] = 0.0;
      touched_[i] = 0;
    }
    touched_list_.clear();
  }
  /// Hands the closed groups' sums over to `zero`, zero sums of the same size, and goes on with its buffers.
  void take(stats::MomentSums& zero) noexcept { std::swap(sums_, zero); }

 private:
  std::vector<double> open_;
  std::vector<std::uint8_t> touched_;
  std::vector<std::uint32_t> touched_list_;
  stats::MomentSums sums_;
};

/// Several quantities observed together over the same groups, with their covariances (`stats::CoMoments`): the
/// control variates' regression.
class GroupedCoMoments {
 public:
  GroupedCoMoments() = default;
  explicit GroupedCoMoments(std::size_t dimension) : open_(dimension), delta_(dimension), moments_(dimension) {}
  bool empty() const noexcept { return open_.empty(); }
  void add(std::size_t i, double x, double weight) noexcept { open_[i] += weight * x; }
  void end_group(double scale) noexcept {
    if (open_.empty()) return;
    for (double& value : open_) value *= scale;
    moments_.add(open_, delta_);
    std::fill(open_.begin(), open_.end(), 0.0);
  }
  /// Hands the closed groups' co-moments over to `empty`, of the same dimension, and goes on with its buffers.
  void take(stats::CoMoments& empty) noexcept { std::swap(moments_, empty); }

 private:
  std::vector<double> open_, delta_;
  stats::CoMoments moments_;
};

/// The form of the statistics while a thread runs a leaf: grouped means, and dense histogram buffers that add
/// in one bin update.
struct Collecting {
  using Mean = GroupedMean;
  using Ratio = GroupedRatio;
  using Sums = GroupedSums;
  using CoMoments = GroupedCoMoments;
  using Distribution = stats::HistogramBuffer;
};

/// The form of the statistics in a partial: they merge along the fixed tree and serialise.
struct Merged {
  using Mean = stats::Mean;
  using Ratio = stats::Ratio;
  using Sums = stats::MomentSums;
  using CoMoments = stats::CoMoments;
  using Distribution = stats::SparseHistogram;
};

}  // namespace computedebt::engine
