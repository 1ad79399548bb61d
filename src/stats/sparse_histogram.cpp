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

void HistogramBuffer::reserve(std::size_t values) {
  pending_.reserve(values);
  bin_.reserve(values);
  order_.reserve(values);
  sorted_.reserve(values);
}

void HistogramBuffer::flush_into(SparseHistogram& histogram) {
  const std::size_t n = pending_.size();
  if (n == 0) return;
  // Positions sorted by bin, stably: a least-significant-digit radix sort, a byte per pass, as many passes as the
  // largest bin index needs.
  bin_.resize(n);
  order_.resize(n);
  sorted_.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    bin_[k] = bin_of(pending_[k].x);
    order_[k] = static_cast<std::uint32_t>(k);
  }
  for (std::uint32_t shift = 0; shift < 32 && (layout_.size() - 1) >> shift; shift += 8) {
    std::size_t start[257] = {};
    for (const std::uint32_t k : order_) ++start[((bin_[k] >> shift) & 0xffu) + 1];
    for (std::size_t digit = 1; digit < 257; ++digit) start[digit] += start[digit - 1];
    for (const std::uint32_t k : order_) sorted_[start[(bin_[k] >> shift) & 0xffu]++] = k;
    order_.swap(sorted_);
  }
  // Straight into an empty histogram (a leaf's, the usual case); otherwise through a merge.
  SparseHistogram leaf(layout_);
  SparseHistogram& target = histogram.indices_.empty() ? histogram : leaf;
  std::size_t occupied = 1;
  for (std::size_t k = 1; k < n; ++k) occupied += bin_[order_[k]] != bin_[order_[k - 1]];
  target.indices_.reserve(occupied);
  target.bins_.reserve(occupied);
  for (std::size_t k = 0; k < n;) {
    const std::uint32_t index = bin_[order_[k]];
    Bin bin;
    for (; k < n && bin_[order_[k]] == index; ++k) {
      const auto& [x, weight] = pending_[order_[k]];
      bin.weight += weight;
      bin.sum += weight * x;
      bin.min = std::min(bin.min, x);
      bin.max = std::max(bin.max, x);
    }
    target.append(index, bin);
  }
  pending_.clear();
  if (&target == &leaf) histogram += leaf;
}

}  // namespace computedebt::stats
