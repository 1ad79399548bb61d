#pragma once
/// \file
/// Fixed-bin histograms that store only their occupied bins, for the many distributions of a waterfall run
/// (one per payment date), and the dense buffer that fills them one leaf at a time.

#include <computedebt/stats/histogram.hpp>

#include <cstdint>
#include <vector>

namespace computedebt::stats {

/// The bins of a histogram: `bins` equal bins over `[low, high)`, an underflow bin first, an overflow bin last.
struct BinLayout {
  double low = 0.0, high = 1.0;
  std::uint32_t bins = 1;

  /// The index of the bin holding `x`, 0 for underflow and `bins + 1` for overflow.
  std::uint32_t index(double x) const noexcept {
    if (!(x >= low)) return 0;
    if (x >= high) return bins + 1;
    const auto i = static_cast<std::uint32_t>((x - low) * (static_cast<double>(bins) / (high - low)));
    return std::min(i, bins - 1) + 1;
  }
  std::uint32_t size() const noexcept { return bins + 2; }

  bool operator==(const BinLayout&) const = default;
};

/// A fixed-bin histogram that keeps its occupied bins only, in bin order. It adds and merges bit for bit as a
/// dense `Histogram` with the same bins would, so its quantiles follow the same rules (docs/methodology.md section 6).
class SparseHistogram {
 public:
  SparseHistogram() = default;
  explicit SparseHistogram(BinLayout layout) : layout_(layout) {}

  /// Appends an occupied bin; `index` must exceed every index already held.
  void append(std::uint32_t index, const Bin& bin) {
    indices_.push_back(index);
    bins_.push_back(bin);
  }

  /// Adds another histogram with the same layout, bin by bin; allocation-free when the bins fit the capacity.
  SparseHistogram& operator+=(const SparseHistogram& other);

  /// Empties the histogram, keeping its layout and its capacity.
  void clear() noexcept {
    indices_.clear();
    bins_.clear();
  }

  bool operator==(const SparseHistogram&) const = default;

  /// The smallest value in the first bin whose cumulative share of the weight reaches `level`; NaN when empty.
  double quantile(double level) const noexcept;
  /// The mean of the worst `1 - level` of the weight (Acerbi-Tasche), as `Histogram`'s; NaN when empty.
  double expected_shortfall(double level) const noexcept;
  /// The total weight.
  double total() const noexcept;

  const BinLayout& layout() const noexcept { return layout_; }
  const std::vector<std::uint32_t>& indices() const noexcept { return indices_; }
  const std::vector<Bin>& bins() const noexcept { return bins_; }

 private:
  friend class HistogramBuffer;
  std::size_t quantile_entry(double level) const noexcept;

  BinLayout layout_;
  std::vector<std::uint32_t> indices_;
  std::vector<Bin> bins_;
};

/// Collects the values of one leaf, then moves them into a `SparseHistogram` in bin order. Allocated once per
/// thread. Adding only appends the value: a waterfall run fills dozens of these per path, and dense bins (hundreds
/// of kilobytes each) would be touched at random on every path. Flushing sorts the leaf's values by bin, stably
/// (a radix sort on the bin index), and sums each bin's values in the order they came: every bin holds exactly
/// what adding the values one by one to dense bins would give, and the cost follows the values, not the bins.
class HistogramBuffer {
 public:
  HistogramBuffer() : HistogramBuffer(BinLayout{}) {}
  explicit HistogramBuffer(BinLayout layout)
      : layout_(layout), scale_(static_cast<double>(layout.bins) / (layout.high - layout.low)) {}

  /// Room for `values` values between flushes, so that adding and flushing them never allocate (on this thread:
  /// the flush's sort keys are the thread's, shared by its buffers).
  void reserve(std::size_t values);
  /// Appends a value; allocation-free up to the reserved count.
  void add(double x, double weight) { pending_.push_back({x, weight}); }

  /// Adds the collected values to `histogram` and empties the buffer. An empty histogram (a leaf's) takes them
  /// directly, allocating only beyond its capacity.
  void flush_into(SparseHistogram& histogram);

 private:
  struct Value {
    double x, weight;
  };
  /// The index of the bin holding `x`, as `BinLayout::index` with the scale precomputed.
  std::uint32_t bin_of(double x) const noexcept {
    if (x >= layout_.high) return layout_.bins + 1;
    if (x >= layout_.low) return std::min(static_cast<std::uint32_t>((x - layout_.low) * scale_), layout_.bins - 1) + 1;
    return 0;
  }

  BinLayout layout_;
  double scale_ = 1.0;          ///< Bins per unit.
  std::vector<Value> pending_;  ///< The leaf's values, in the order they came.
};

}  // namespace computedebt::stats
