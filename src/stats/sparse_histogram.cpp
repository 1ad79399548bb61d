#include <computedebt/stats/sparse_histogram.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace computedebt::stats {

namespace {

/// What a flush sorts: each value's bin in the high 32 bits and its position in the buffer in the low (a buffer
/// holds one leaf's values), and the sort's scratch. One pair per thread serves all its buffers: flushes run one
/// after another, so it stays in cache from one to the next, where a pair per buffer (hundreds in a waterfall run)
/// was evicted every leaf.
struct SortKeys {
  std::vector<std::uint64_t> keys, sorted;
};
thread_local SortKeys sort_keys;

void add_bin(Bin& bin, const Bin& o) {
  bin.weight += o.weight;
  bin.sum += o.sum;
  bin.min = std::min(bin.min, o.min);
  bin.max = std::max(bin.max, o.max);
}

}  // namespace

SparseHistogram& SparseHistogram::operator+=(const SparseHistogram& other) {
  if (other.indices_.empty()) return *this;
  if (indices_.empty()) {  // copying reuses the capacity
    indices_ = other.indices_;
    bins_ = other.bins_;
    return *this;
  }
  // Count the union first, to grow to exactly its size: reserving both sizes kept up to twice the memory in every
  // merged histogram, and a long run's partials waiting in the merge tree are mostly such histograms
  // (docs/reliability.md, memory).
  const std::size_t left = indices_.size(), right = other.indices_.size();
  std::size_t shared = 0;
  for (std::size_t a = 0, b = 0; a < left && b < right;) {
    const std::uint32_t x = indices_[a], y = other.indices_[b];
    shared += x == y;
    a += x <= y;
    b += y <= x;
  }
  const std::size_t occupied = left + right - shared;
  // The union goes into the left's own storage when it has room (a reused histogram's usually does), else into new
  // storage of its size; growing the old one first would copy every bin twice.
  const bool grow = occupied > indices_.capacity() || occupied > bins_.capacity();
  std::vector<std::uint32_t> grown_indices;
  std::vector<Bin> grown_bins;
  std::vector<std::uint32_t>& indices = grow ? grown_indices : indices_;
  std::vector<Bin>& bins = grow ? grown_bins : bins_;
  indices.resize(occupied);
  bins.resize(occupied);
  // Merged from the back while some of the right's new bins are still to be placed (`out > a`): each left bin above
  // them moves up, and in place the write position never falls below the left's read position, so no unread bin is
  // overwritten. The right's remaining bins are then all the left's: they are added where those are.
  std::size_t a = left, b = right, out = occupied;
  while (out > a) {
    --out;
    if (a > 0 && indices_[a - 1] > other.indices_[b - 1]) {
      --a;
      indices[out] = indices_[a];
      bins[out] = bins_[a];
    } else if (a > 0 && indices_[a - 1] == other.indices_[b - 1]) {
      --a;
      --b;
      Bin bin = bins_[a];
      add_bin(bin, other.bins_[b]);
      indices[out] = indices_[a];
      bins[out] = bin;
    } else {
      --b;
      indices[out] = other.indices_[b];
      bins[out] = other.bins_[b];
    }
  }
  if (grow) {
    std::copy_n(indices_.begin(), a, grown_indices.begin());
    std::copy_n(bins_.begin(), a, grown_bins.begin());
    indices_.swap(grown_indices);
    bins_.swap(grown_bins);
  }
  for (std::size_t i = 0, j = 0; j < b; ++j) {
    while (indices_[i] < other.indices_[j]) ++i;
    add_bin(bins_[i], other.bins_[j]);
  }
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
  sort_keys.keys.reserve(values);
  sort_keys.sorted.reserve(values);
}

void HistogramBuffer::flush_into(SparseHistogram& histogram) {
  const std::size_t n = pending_.size();
  if (n == 0) return;
  auto& [keys, sorted] = sort_keys;
  // Each value's key is its bin above its position: sorting the keys by bin sorts the values stably, and the sorted
  // keys carry both, read in order rather than looked up.
  keys.resize(n);
  sorted.resize(n);
  std::uint32_t lowest = std::numeric_limits<std::uint32_t>::max(), highest = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t bin = bin_of(pending_[k].x);
    lowest = std::min(lowest, bin);
    highest = std::max(highest, bin);
    keys[k] = std::uint64_t{bin} << 32 | k;
  }
  // A least-significant-digit radix sort on the bin's offset from the lowest, a byte per pass: as many passes as
  // the leaf's span of bins needs (one below 256 bins, none when all share a bin), all counted in one read.
  const auto digit = [lowest](std::uint64_t key, unsigned pass) {
    return ((static_cast<std::uint32_t>(key >> 32) - lowest) >> (8 * pass)) & 0xffu;
  };
  unsigned passes = 0;
  while (passes < 4 && (highest - lowest) >> (8 * passes)) ++passes;
  std::uint32_t start[4][256];
  std::fill_n(&start[0][0], passes * 256, 0u);
  for (const std::uint64_t key : keys)
    for (unsigned pass = 0; pass < passes; ++pass) ++start[pass][digit(key, pass)];
  for (unsigned pass = 0; pass < passes; ++pass) {
    std::uint32_t before = 0;
    for (std::uint32_t& count : start[pass]) before += std::exchange(count, before);
    for (const std::uint64_t key : keys) sorted[start[pass][digit(key, pass)]++] = key;
    keys.swap(sorted);
  }
  const auto bin_of_key = [](std::uint64_t key) { return static_cast<std::uint32_t>(key >> 32); };
  // Straight into an empty histogram (a leaf's, the usual case); otherwise through a merge.
  SparseHistogram leaf(layout_);
  SparseHistogram& target = histogram.indices_.empty() ? histogram : leaf;
  std::size_t occupied = 1;
  for (std::size_t k = 1; k < n; ++k) occupied += bin_of_key(keys[k]) != bin_of_key(keys[k - 1]);
  // Sized first and written in place, with each bin's sums in scalars that start as `Bin{}`'s: appending (a call,
  // should it grow) kept the sums in memory, each value waiting on the last one's store.
  target.indices_.resize(occupied);
  target.bins_.resize(occupied);
  for (std::size_t k = 0, out = 0; k < n; ++out) {
    const std::uint32_t index = bin_of_key(keys[k]);
    double weight_sum = 0.0, sum = 0.0, min = std::numeric_limits<double>::infinity(), max = -min;
    for (; k < n && bin_of_key(keys[k]) == index; ++k) {
      const auto& [x, weight] = pending_[static_cast<std::uint32_t>(keys[k])];
      weight_sum += weight;
      sum += weight * x;
      min = std::min(min, x);
      max = std::max(max, x);
    }
    target.indices_[out] = index;
    target.bins_[out] = {weight_sum, sum, min, max};
  }
  pending_.clear();
  if (&target == &leaf) histogram += leaf;
}

}  // namespace computedebt::stats
