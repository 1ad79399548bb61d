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

  /// Adds another histogram with the same layout, bin by bin.
  SparseHistogram& operator+=(const SparseHistogram& other);

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

/// Collects the values of one leaf in dense bins, then moves them into a `SparseHistogram` in bin order.
/// Allocated once per thread; adding is one bin update, flushing costs the occupied bins only.
class HistogramBuffer {
 public:
  HistogramBuffer() : HistogramBuffer(BinLayout{}) {}
  explicit HistogramBuffer(BinLayout layout)
      : layout_(layout), scale_(static_cast<double>(layout.bins) / (layout.high - layout.low)), bins_(layout.size()) {}

  void add(double x, double weight) noexcept {
    std::uint32_t i = 0;
    if (x >= layout_.high)
      i = layout_.bins + 1;
    else if (x >= layout_.low)
      i = std::min(static_cast<std::uint32_t>((x - layout_.low) * scale_), layout_.bins - 1) + 1;
    Bin& bin = bins_[i];
    if (bin.weight == 0.0 && !(bin.min <= bin.max)) occupied_.push_back(i);
    bin.weight += weight;
    bin.sum += weight * x;
    bin.min = std::min(bin.min, x);
    bin.max = std::max(bin.max, x);
  }

  /// Adds the collected values to `histogram` and empties the buffer.
  void flush_into(SparseHistogram& histogram);
  const BinLayout& layout() const noexcept { return layout_; }

 private:
  BinLayout layout_;
  double scale_ = 1.0;  ///< Bins per unit.
  std::vector<Bin> bins_;
  std::vector<std::uint32_t> occupied_;
};

}  // namespace computedebt::stats
