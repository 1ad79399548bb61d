#include <computedebt/stats/sparse_histogram.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace computedebt::stats {

namespace {

void add_bin(Bin& bin, const Bin& o) {
  bin.weight += o.weight;
  bin.sum += o.sum;
  bin.min = std::min(bin.min, o.min);
  bin.max = std::max(bin.max, o.max);
}

}  // namespace

SparseHistogram& SparseHistogram::operator+=(const SparseHistogram& other) {
  if (other.indices_.empty()) return *this;
  if (indices_.empty()) {
    indices_ = other.indices_;
    bins_ = other.bins_;
    return *this;
  }
  // Count the union first: reserving both sizes kept up to twice the memory in every merged histogram, and a
  // long run's partials waiting in the merge tree are mostly such histograms (docs/reliability.md, memory).
  std::size_t occupied = indices_.size();
  for (std::size_t a = 0, b = 0; b < other.indices_.size(); ++b) {
    while (a < indices_.size() && indices_[a] < other.indices_[b]) ++a;
    if (a == indices_.size() || indices_[a] != other.indices_[b]) ++occupied;
  }
  if (occupied == indices_.size()) {  // no new bin: add in place, without allocating
    for (std::size_t a = 0, b = 0; b < other.indices_.size(); ++b) {
      while (indices_[a] < other.indices_[b]) ++a;
      add_bin(bins_[a], other.bins_[b]);
    }
    return *this;
  }
  std::vector<std::uint32_t> indices;
  std::vector<Bin> bins;
  indices.reserve(occupied);
  bins.reserve(occupied);
  std::size_t a = 0, b = 0;
  while (a < indices_.size() || b < other.indices_.size()) {
    if (b == other.indices_.size() || (a < indices_.size() && indices_[a] < other.indices_[b])) {
      indices.push_back(indices_[a]);
      bins.push_back(bins_[a++]);
    } else if (a == indices_.size() || other.indices_[b] < indices_[a]) {
      indices.push_back(other.indices_[b]);
      bins.push_back(other.bins_[b++]);
    } else {
      Bin bin = bins_[a++];
      add_bin(bin, other.bins_[b]);
      indices.push_back(other.indices_[b++]);
      bins.push_back(bin);
    }
  }
  indices_ = std::move(indices);
  bins_ = std::move(bins);
  return *this;
}

double SparseHistogram::total() const noexcept {
  double weight = 0.0;
  for (const auto& bin : bins_) weight += bin.weight;
  return weight;
}

std::size_t SparseHistogram::quantile_entry(double level) const noexcept {
  const double target = level * total();
  double cumulative = 0.0;
  for (std::size_t i = 0; i < bins_.size(); ++i) {
    cumulative += bins_[i].weight;
    if (cumulative >= target) return i;
  }
  return bins_.size() - 1;
}

double SparseHistogram::quantile(double level) const noexcept {
  if (bins_.empty()) return std::numeric_limits<double>::quiet_NaN();
  return bins_[quantile_entry(level)].min;
}

double SparseHistogram::expected_shortfall(double level) const noexcept {
  if (bins_.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t at = quantile_entry(level);
  double above = 0.0, weight_le = 0.0, weight = 0.0;
  for (std::size_t i = 0; i < bins_.size(); ++i) {
    weight += bins_[i].weight;
    if (i <= at)
      weight_le += bins_[i].weight;
    else
      above += bins_[i].sum;
  }
  return tail_mean(above, bins_[at].min, weight_le, weight, level);
}

void HistogramBuffer::flush_into(SparseHistogram& histogram) {
  if (occupied_.empty()) return;
  // The occupied bins in order: scanned when they are dense in their range, as one leaf's values usually are,
  // else sorted.
  const auto [lowest_at, highest_at] = std::minmax_element(occupied_.begin(), occupied_.end());
  const std::uint32_t lowest = *lowest_at, highest = *highest_at;
  if (highest - lowest < 8 * occupied_.size()) {
    occupied_.clear();
    for (std::uint32_t i = lowest; i <= highest; ++i)
      if (bins_[i].weight != 0.0 || bins_[i].min <= bins_[i].max) occupied_.push_back(i);
  } else {
    std::sort(occupied_.begin(), occupied_.end());
  }
  // Straight into an empty histogram (a leaf's, the usual case); otherwise through a merge.
  SparseHistogram leaf(layout_);
  SparseHistogram& target = histogram.indices_.empty() ? histogram : leaf;
  target.indices_.reserve(occupied_.size());
  target.bins_.reserve(occupied_.size());
  for (const std::uint32_t i : occupied_) {
    target.append(i, bins_[i]);
    bins_[i] = Bin{};
  }
  occupied_.clear();
  if (&target == &leaf) histogram += leaf;
}

}  // namespace computedebt::stats
