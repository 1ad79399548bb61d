#include <computedebt/core/error.hpp>
#include <computedebt/engine/partial.hpp>

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <type_traits>

namespace computedebt::engine {

Partial Partial::empty(const calibration::Plan& plan, OptionalStatistics optional) {
  Partial partial;
  shape(partial, plan, optional);
  return partial;
}

namespace {

/// Whether two statistics have the same shape: every vector the same length and every histogram the same bins,
/// recursively.
struct SameShape {
  bool same = true;
  void operator()(const stats::Histogram& left, const stats::Histogram& right) {
    same =
        same && left.bins().size() == right.bins().size() && left.low() == right.low() && left.high() == right.high();
  }
  void operator()(const stats::SparseHistogram& left, const stats::SparseHistogram& right) {
    same = same && left.layout() == right.layout();
  }
  void operator()(const stats::CoMoments& left, const stats::CoMoments& right) {
    same = same && left.dimension() == right.dimension();
  }
  void operator()(const std::vector<double>& left, const std::vector<double>& right) {
    same = same && left.size() == right.size();
  }
  template <class T>
  void operator()(const std::vector<T>& left, const std::vector<T>& right) {
    same = same && left.size() == right.size();
    for (std::size_t i = 0; same && i < left.size(); ++i) (*this)(left[i], right[i]);
  }
  template <HasFields T>
  void operator()(const T& left, const T& right) {
    for_each_field_pair(left, right, *this);
  }
  template <class T>
  void operator()(const T&, const T&) {}
};

/// Adds each statistic of the right to the left's: sums, means, ratios and histograms by their own merges.
struct AddTo {
  template <class T>
  void operator()(std::vector<T>& left, const std::vector<T>& right) const {
    for (std::size_t i = 0; i < left.size(); ++i) (*this)(left[i], right[i]);
  }
  template <HasFields T>
  void operator()(T& left, const T& right) const {
    for_each_field_pair(left, right, *this);
  }
  template <class T>
  void operator()(T& left, const T& right) const {
    left += right;
  }
};

/// Empties each statistic in place, keeping its shape and its buffers' capacity.
struct Clear {
  void operator()(double& value) const noexcept { value = 0.0; }
  void operator()(stats::Mean& mean) const noexcept { mean = {}; }
  void operator()(stats::Ratio& ratio) const noexcept { ratio = {}; }
  void operator()(stats::CoMoments& moments) const noexcept { moments.clear(); }
  void operator()(stats::Histogram& histogram) const noexcept {
    std::fill(histogram.bins().begin(), histogram.bins().end(), stats::Bin{});
  }
  void operator()(stats::SparseHistogram& histogram) const noexcept { histogram.clear(); }
  template <class T>
  void operator()(std::vector<T>& values) const noexcept {
    for (auto& value : values) (*this)(value);
  }
  template <HasFields T>
  void operator()(T& statistics) const noexcept {
    for_each_field(statistics, *this);
  }
};

}  // namespace

bool same_shape(const Partial& a, const Partial& b) {
  SameShape check;
  for_each_field_pair(a, b, check);
  return check.same;
}

Partial& merge(Partial& left, const Partial& right) {
  require(same_shape(left, right), "cannot merge partials of different runs");
  if (right.last_leaf == right.first_leaf) return left;
  require(left.last_leaf == left.first_leaf || left.last_leaf == right.first_leaf,
          "partials must merge in leaf order: [{}, {}) then [{}, {})", left.first_leaf, left.last_leaf,
          right.first_leaf, right.last_leaf);
  if (left.last_leaf == left.first_leaf) left.first_leaf = right.first_leaf;
  left.last_leaf = right.last_leaf;
  for_each_field_pair(left, right, AddTo{});
  return left;
}

void clear(Partial& partial) {
  partial.first_leaf = partial.last_leaf = 0;
  for_each_field(partial, Clear{});
}

Partial merge_blocks(std::vector<Partial> blocks) {
  require(!blocks.empty(), "there are no partials to merge");
  while (blocks.size() > 1) {
    std::vector<Partial> level;
    for (std::size_t i = 0; i < blocks.size(); i += 2) {
      if (i + 1 < blocks.size()) merge(blocks[i], blocks[i + 1]);
      level.push_back(std::move(blocks[i]));
    }
    blocks = std::move(level);
  }
  return std::move(blocks.front());
}

namespace {

constexpr std::uint64_t magic = 0x6574726170646331ULL;  // "1cdparte": the format number is the last byte

/// Writes each statistic as its state, in field order; vectors and histograms lead with their length.
class Writer {
 public:
  template <class T>
    requires std::is_trivially_copyable_v<T>
  void put(const T& value) {
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void put(const stats::Mean& mean) {
    put(mean.count());
    put(mean.mean());
    put(mean.sum_of_squares());
  }
  void put(const stats::Ratio& ratio) {
    put(ratio.x());
    put(ratio.y());
    put(ratio.co_moment());
  }
  void put(const stats::CoMoments& moments) {
    put(moments.count());
    put(moments.means());
    put(moments.co_moments());
  }
  void put(const stats::Histogram& histogram) {
    put(histogram.low());
    put(histogram.high());
    put(histogram.bins());
  }
  /// Field by field: the struct's padding would carry whatever bytes memory held.
  void put(const stats::BinLayout& layout) {
    put(layout.low);
    put(layout.high);
    put(layout.bins);
  }
  void put(const stats::SparseHistogram& histogram) {
    put(histogram.layout());
    put(histogram.indices());
    put(histogram.bins());
  }
  template <class T>
  void put(const std::vector<T>& values) {
    put(static_cast<std::uint64_t>(values.size()));
    for (const auto& value : values) put(value);
  }
  template <HasFields T>
  void put(const T& statistics) {
    for_each_field(statistics, [&](const auto& field) { put(field); });
  }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

/// Reads what `Writer` wrote, checking lengths and histogram consistency: the bytes may come from anywhere.
class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  template <class T>
    requires std::is_trivially_copyable_v<T>
  void get(T& value) {
    require(offset_ + sizeof(T) <= bytes_.size(), "partial bytes are truncated at offset {}", offset_);
    std::memcpy(&value, bytes_.data() + offset_, sizeof(T));
    offset_ += sizeof(T);
  }
  template <class T>
    requires std::is_trivially_copyable_v<T>
  T get() {
    T value;
    get(value);
    return value;
  }
  void get(stats::Mean& mean) {
    const auto count = get<std::uint64_t>();
    const auto value = get<double>();
    mean = stats::Mean::from_state(count, value, get<double>());
  }
  void get(stats::Ratio& ratio) {
    stats::Mean x, y;
    get(x);
    get(y);
    ratio = stats::Ratio::from_state(x, y, get<double>());
  }
  void get(stats::CoMoments& moments) {
    const auto count = get<std::uint64_t>();
    std::vector<double> means, co_moments;
    get(means);
    get(co_moments);
    require(co_moments.size() == means.size() * means.size(), "partial bytes hold co-moments of the wrong size");
    moments = stats::CoMoments::from_state(count, std::move(means), std::move(co_moments));
  }
  void get(stats::Histogram& histogram) {
    const double low = get<double>(), high = get<double>();
    const auto bins = get_size();
    require(bins >= 2, "partial bytes hold a histogram of {} bins", bins);
    histogram = stats::Histogram(low, high, bins - 2);
    for (auto& bin : histogram.bins()) get(bin);
  }
  void get(stats::BinLayout& layout) {
    get(layout.low);
    get(layout.high);
    get(layout.bins);
    require(layout.bins >= 1 && layout.bins < std::numeric_limits<std::uint32_t>::max() - 1,
            "partial bytes hold a histogram of {} bins", layout.bins);
  }
  void get(stats::SparseHistogram& histogram) {
    stats::BinLayout layout;
    get(layout);
    std::vector<std::uint32_t> indices;
    std::vector<stats::Bin> bins;
    get(indices);
    get(bins);
    require(indices.size() == bins.size() &&
                std::adjacent_find(indices.begin(), indices.end(), std::greater_equal<>()) == indices.end() &&
                (indices.empty() || indices.back() < layout.size()),
            "partial bytes hold an inconsistent histogram");
    histogram = stats::SparseHistogram(layout);
    for (std::size_t i = 0; i < indices.size(); ++i) histogram.append(indices[i], bins[i]);
  }
  template <class T>
  void get(std::vector<T>& values) {
    values.resize(get_size());
    for (auto& value : values) get(value);
  }
  template <HasFields T>
  void get(T& statistics) {
    for_each_field(statistics, [&](auto& field) { get(field); });
  }
  bool at_end() const { return offset_ == bytes_.size(); }

 private:
  std::uint64_t get_size() {
    const auto size = get<std::uint64_t>();
    require(size <= bytes_.size(), "partial bytes hold an impossible length {}", size);
    return size;
  }

  const std::string& bytes_;
  std::size_t offset_ = 0;
};

}  // namespace

std::string partial_to_bytes(const Partial& partial) {
  Writer out;
  out.put(magic);
  out.put(partial.first_leaf);
  out.put(partial.last_leaf);
  for_each_field(partial, [&](const auto& field) { out.put(field); });
  return out.take();
}

Partial partial_from_bytes(const std::string& bytes) {
  Reader in(bytes);
  require(in.get<std::uint64_t>() == magic, "not the bytes of a computedebt partial of this version");
  Partial partial;
  in.get(partial.first_leaf);
  in.get(partial.last_leaf);
  for_each_field(partial, [&](auto& field) { in.get(field); });
  require(in.at_end(), "partial bytes have trailing data");
  return partial;
}

}  // namespace computedebt::engine
