#include <computedebt/core/error.hpp>
#include <computedebt/engine/partial.hpp>

#include <algorithm>
#include <cstring>
#include <functional>
#include <type_traits>

namespace computedebt::engine {

Partial Partial::empty(const calibration::Plan& plan) {
  Partial partial;
  partial.loss_distribution = stats::Histogram(0.0, 1.0, 10000);
  partial.default_counts.assign(plan.credit.names + 1, 0.0);
  if (const auto* loss = std::get_if<deal::LossTranches>(&plan.source.deal.structure))
    partial.tranche_loss.resize(loss->tranches.size());
  if (plan.is_waterfall()) {
    const std::size_t tranches = plan.waterfall.tranches, columns = plan.waterfall.dates + 1;
    partial.tranche_loss.resize(tranches);
    auto& w = partial.waterfall;
    w.wal.resize(tranches);
    w.principal.assign(tranches * columns, 0.0);
    w.received.assign(tranches * columns, 0.0);
    w.distributions.assign(columns, 0.0);
    w.received_value.resize(tranches);
    w.irr_distribution = stats::SparseHistogram(irr_bins);
    const std::size_t events = event_count(plan.waterfall), covenants = plan.waterfall.covenants.size();
    w.occurred.resize(events);
    w.first_date.assign(events * columns, 0.0);
    w.dscr.assign(columns, stats::SparseHistogram(dscr_bins));
    w.ltv.assign(columns, stats::SparseHistogram(ltv_bins));
    w.months_in_breach.resize(covenants);
    w.cures_used.resize(covenants);
    w.account_balance.assign(plan.waterfall.accounts.size() * columns, 0.0);
    w.trap_balance.assign(plan.waterfall.trap_accounts() * columns, stats::SparseHistogram(account_bins));
  }
  return partial;
}

namespace {

template <class T>
void add_each(std::vector<T>& left, const std::vector<T>& right) {
  for (std::size_t i = 0; i < left.size(); ++i) left[i] += right[i];
}

/// Whether two histograms, or two vectors of them, have the same bins.
bool same_bins(const stats::SparseHistogram& a, const stats::SparseHistogram& b) { return a.layout() == b.layout(); }
bool same_bins(const std::vector<stats::SparseHistogram>& a, const std::vector<stats::SparseHistogram>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const auto& x, const auto& y) { return x.layout() == y.layout(); });
}

}  // namespace

bool same_shape(const Partial& a, const Partial& b) {
  const auto& l = a.waterfall;
  const auto& r = b.waterfall;
  return a.loss_distribution.bins().size() == b.loss_distribution.bins().size() &&
         a.loss_distribution.low() == b.loss_distribution.low() &&
         a.loss_distribution.high() == b.loss_distribution.high() &&
         a.default_counts.size() == b.default_counts.size() && a.tranche_loss.size() == b.tranche_loss.size() &&
         l.wal.size() == r.wal.size() && l.principal.size() == r.principal.size() &&
         l.received.size() == r.received.size() && l.distributions.size() == r.distributions.size() &&
         l.received_value.size() == r.received_value.size() && same_bins(l.irr_distribution, r.irr_distribution) &&
         l.occurred.size() == r.occurred.size() && l.first_date.size() == r.first_date.size() &&
         same_bins(l.dscr, r.dscr) && same_bins(l.ltv, r.ltv) &&
         l.months_in_breach.size() == r.months_in_breach.size() && l.cures_used.size() == r.cures_used.size() &&
         l.account_balance.size() == r.account_balance.size() && same_bins(l.trap_balance, r.trap_balance);
}

Partial& merge(Partial& left, const Partial& right) {
  require(same_shape(left, right), "cannot merge partials of different runs");
  if (right.last_leaf == right.first_leaf) return left;
  require(left.last_leaf == left.first_leaf || left.last_leaf == right.first_leaf,
          "partials must merge in leaf order: [{}, {}) then [{}, {})", left.first_leaf, left.last_leaf,
          right.first_leaf, right.last_leaf);
  if (left.last_leaf == left.first_leaf) left.first_leaf = right.first_leaf;
  left.last_leaf = right.last_leaf;
  left.portfolio_loss += right.portfolio_loss;
  left.loss_distribution += right.loss_distribution;
  left.defaults += right.defaults;
  add_each(left.default_counts, right.default_counts);
  add_each(left.tranche_loss, right.tranche_loss);
  auto& l = left.waterfall;
  const auto& r = right.waterfall;
  add_each(l.wal, r.wal);
  add_each(l.principal, r.principal);
  add_each(l.received, r.received);
  add_each(l.distributions, r.distributions);
  add_each(l.received_value, r.received_value);
  l.irr += r.irr;
  l.money_multiple += r.money_multiple;
  l.negative_irr += r.negative_irr;
  l.irr_distribution += r.irr_distribution;
  add_each(l.occurred, r.occurred);
  add_each(l.first_date, r.first_date);
  add_each(l.dscr, r.dscr);
  add_each(l.ltv, r.ltv);
  add_each(l.months_in_breach, r.months_in_breach);
  add_each(l.cures_used, r.cures_used);
  l.injected += r.injected;
  add_each(l.account_balance, r.account_balance);
  add_each(l.trap_balance, r.trap_balance);
  l.collateral_value += r.collateral_value;
  left.weight_sum += right.weight_sum;
  left.weight_square_sum += right.weight_square_sum;
  left.weight += right.weight;
  return left;
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

constexpr std::uint64_t magic = 0x3574726170646331ULL;  // "1cdpart5": the format number is the last byte

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
  void put(const stats::Ratio& ratio) {
    put(ratio.x());
    put(ratio.y());
    put(ratio.co_moment());
  }
  void put(const stats::SparseHistogram& histogram) {
    put(histogram.layout());
    put_vector(histogram.indices());
    put_vector(histogram.bins());
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
  stats::Ratio get_ratio() {
    const auto x = get_mean();
    const auto y = get_mean();
    return stats::Ratio::from_state(x, y, get<double>());
  }
  stats::SparseHistogram get_histogram() {
    const auto layout = get<stats::BinLayout>();
    std::vector<std::uint32_t> indices;
    std::vector<stats::Bin> bins;
    get_vector(indices);
    get_vector(bins);
    require(indices.size() == bins.size() &&
                std::adjacent_find(indices.begin(), indices.end(), std::greater_equal<>()) == indices.end() &&
                (indices.empty() || indices.back() < layout.size()),
            "partial bytes hold an inconsistent histogram");
    stats::SparseHistogram histogram(layout);
    for (std::size_t i = 0; i < indices.size(); ++i) histogram.append(indices[i], bins[i]);
    return histogram;
  }
  template <class T>
  void get_vector(std::vector<T>& values) {
    values.resize(get_size());
    for (auto& value : values) {
      if constexpr (std::is_same_v<T, stats::Mean>)
        value = get_mean();
      else if constexpr (std::is_same_v<T, stats::Ratio>)
        value = get_ratio();
      else if constexpr (std::is_same_v<T, stats::SparseHistogram>)
        value = get_histogram();
      else
        value = get<T>();
    }
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
  out.put_vector(partial.tranche_loss);
  const auto& w = partial.waterfall;
  out.put_vector(w.wal);
  out.put_vector(w.principal);
  out.put_vector(w.received);
  out.put_vector(w.distributions);
  out.put_vector(w.received_value);
  out.put(w.irr);
  out.put(w.money_multiple);
  out.put(w.negative_irr);
  out.put(w.irr_distribution);
  out.put_vector(w.occurred);
  out.put_vector(w.first_date);
  out.put_vector(w.dscr);
  out.put_vector(w.ltv);
  out.put_vector(w.months_in_breach);
  out.put_vector(w.cures_used);
  out.put(w.injected);
  out.put_vector(w.account_balance);
  out.put_vector(w.trap_balance);
  out.put(w.collateral_value);
  out.put(partial.weight_sum);
  out.put(partial.weight_square_sum);
  out.put(partial.weight);
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
  in.get_vector(partial.default_counts);
  in.get_vector(partial.tranche_loss);
  auto& w = partial.waterfall;
  in.get_vector(w.wal);
  in.get_vector(w.principal);
  in.get_vector(w.received);
  in.get_vector(w.distributions);
  in.get_vector(w.received_value);
  w.irr = in.get_mean();
  w.money_multiple = in.get_mean();
  w.negative_irr = in.get_mean();
  w.irr_distribution = in.get_histogram();
  in.get_vector(w.occurred);
  in.get_vector(w.first_date);
  in.get_vector(w.dscr);
  in.get_vector(w.ltv);
  in.get_vector(w.months_in_breach);
  in.get_vector(w.cures_used);
  w.injected = in.get_mean();
  in.get_vector(w.account_balance);
  in.get_vector(w.trap_balance);
  w.collateral_value = in.get_mean();
  partial.weight_sum = in.get<double>();
  partial.weight_square_sum = in.get<double>();
  partial.weight = in.get_mean();
  require(in.at_end(), "partial bytes have trailing data");
  return partial;
}

}  // namespace computedebt::engine
