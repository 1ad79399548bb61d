#pragma once
/// \file
/// The accumulators a run's statistics are made of, in the two forms a statistic takes: collecting one leaf's
/// paths on a thread, and merged in a partial (docs/methodology.md section 7.2).

#include <computedebt/stats/mean.hpp>
#include <computedebt/stats/ratio.hpp>
#include <computedebt/stats/sparse_histogram.hpp>

#include <utility>

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

/// The form of the statistics while a thread runs a leaf: grouped means, and dense histogram buffers that add
/// in one bin update.
struct Collecting {
  using Mean = GroupedMean;
  using Ratio = GroupedRatio;
  using Distribution = stats::HistogramBuffer;
};

/// The form of the statistics in a partial: they merge along the fixed tree and serialise.
struct Merged {
  using Mean = stats::Mean;
  using Ratio = stats::Ratio;
  using Distribution = stats::SparseHistogram;
};

}  // namespace computedebt::engine
