#include <computedebt/core/error.hpp>
#include <computedebt/engine/partial.hpp>

#include <cstring>
#include <type_traits>

namespace computedebt::engine {

Partial Partial::empty(const calibration::Plan& plan) {
  Partial partial;
  partial.loss_distribution = stats::Histogram(0.0, 1.0, 10000);
  partial.default_counts.assign(plan.credit.names + 1, 0.0);
  std::size_t tranches = 0;
  if (const auto* loss = std::get_if<deal::LossTranches>(&plan.source.deal.structure)) tranches = loss->tranches.size();
  partial.tranche_loss.resize(tranches);
  partial.tranche_hit.assign(tranches, 0.0);
  return partial;
}

Partial& merge(Partial& left, const Partial& right) {
  require(left.loss_distribution.bins().size() == right.loss_distribution.bins().size() &&
              left.default_counts.size() == right.default_counts.size() &&
              left.tranche_loss.size() == right.tranche_loss.size(),
          "cannot merge partials of different runs");
  if (right.last_leaf == right.first_leaf) return left;
  require(left.last_leaf == left.first_leaf || left.last_leaf == right.first_leaf,
          "partials must merge in leaf order: [{}, {}) then [{}, {})", left.first_leaf, left.last_leaf,
          right.first_leaf, right.last_leaf);
  if (left.last_leaf == left.first_leaf) left.first_leaf = right.first_leaf;
  left.last_leaf = right.last_leaf;
  left.portfolio_loss += right.portfolio_loss;
  left.loss_distribution += right.loss_distribution;
  left.defaults += right.defaults;
  for (std::size_t n = 0; n < left.default_counts.size(); ++n) left.default_counts[n] += right.default_counts[n];
  for (std::size_t t = 0; t < left.tranche_loss.size(); ++t) {
    left.tranche_loss[t] += right.tranche_loss[t];
    left.tranche_hit[t] += right.tranche_hit[t];
  }
  return left;
}

namespace {

constexpr std::uint64_t magic = 0x3274726170646331ULL;  // "1cdpart2": the format number is the last byte

class Writer {
 public:
  template <class T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void put(const stats::Mean& mean) {
    put(mean.count());
    put(mean.mean());
    put(mean.sum_of_squares());
  }
  template <class T>
  void put_vector(const std::vector<T>& values) {
    put(static_cast<std::uint64_t>(values.size()));
    for (const auto& value : values) put(value);
  }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    require(offset_ + sizeof(T) <= bytes_.size(), "partial bytes are truncated at offset {}", offset_);
    T value;
    std::memcpy(&value, bytes_.data() + offset_, sizeof(T));
    offset_ += sizeof(T);
    return value;
  }
  stats::Mean get_mean() {
    const auto count = get<std::uint64_t>();
    const auto mean = get<double>();
    return stats::Mean::from_state(count, mean, get<double>());
  }
  std::uint64_t get_size() {
    const auto size = get<std::uint64_t>();
    require(size <= bytes_.size(), "partial bytes hold an impossible length {}", size);
    return size;
  }
  bool at_end() const { return offset_ == bytes_.size(); }

 private:
  const std::string& bytes_;
  std::size_t offset_ = 0;
};

}  // namespace

std::string partial_to_bytes(const Partial& partial) {
  Writer out;
  out.put(magic);
  out.put(partial.first_leaf);
  out.put(partial.last_leaf);
  out.put(partial.portfolio_loss);
  out.put(partial.loss_distribution.low());
  out.put(partial.loss_distribution.high());
  out.put_vector(partial.loss_distribution.bins());
  out.put(partial.defaults);
  out.put_vector(partial.default_counts);
  out.put(static_cast<std::uint64_t>(partial.tranche_loss.size()));
  for (const auto& mean : partial.tranche_loss) out.put(mean);
  out.put_vector(partial.tranche_hit);
  return out.take();
}

Partial partial_from_bytes(const std::string& bytes) {
  Reader in(bytes);
  require(in.get<std::uint64_t>() == magic, "not the bytes of a computedebt partial of this version");
  Partial partial;
  partial.first_leaf = in.get<std::uint64_t>();
  partial.last_leaf = in.get<std::uint64_t>();
  partial.portfolio_loss = in.get_mean();
  const double low = in.get<double>(), high = in.get<double>();
  const auto bins = in.get_size();
  require(bins >= 2, "partial bytes hold a histogram of {} bins", bins);
  partial.loss_distribution = stats::Histogram(low, high, bins - 2);
  for (auto& bin : partial.loss_distribution.bins()) bin = in.get<stats::Bin>();
  partial.defaults = in.get_mean();
  partial.default_counts.resize(in.get_size());
  for (auto& weight : partial.default_counts) weight = in.get<double>();
  partial.tranche_loss.resize(in.get_size());
  for (auto& mean : partial.tranche_loss) mean = in.get_mean();
  partial.tranche_hit.resize(in.get_size());
  for (auto& hit : partial.tranche_hit) hit = in.get<double>();
  require(in.at_end(), "partial bytes have trailing data");
  return partial;
}

}  // namespace computedebt::engine
