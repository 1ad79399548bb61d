#pragma once
/// \file
/// Fixed-bin histograms whose quantiles merge exactly and need no per-path storage (docs/methodology.md section 6.4).

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace computedebt::stats {

/// One bin: the weight of the values that fell in it (their count without importance sampling), their
/// weighted sum, and the smallest and largest of them.
struct Bin {
  double weight = 0.0;
  double sum = 0.0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  bool operator==(const Bin&) const = default;
};

/// The mean of the worst `1 - level` of the weight `weight`: the weighted sum `above` of the values above
/// `var`, plus `var` times the part `weight_le - level weight` of the weight up to and including `var` that
/// lies in the tail. The second term is skipped when empty, so an infinite `var` cannot make it NaN.
inline double tail_mean(double above, double var, double weight_le, double weight, double level) noexcept {
  const double at_var = weight_le - level * weight;
  return (above + (at_var > 0.0 ? var * at_var : 0.0)) / ((1.0 - level) * weight);
}

/// `bins` equal bins over `[low, high)`, with an underflow bin first and an overflow bin last.
class Histogram {
 public:
  Histogram() = default;
  Histogram(double low, double high, std::size_t bins)
      : low_(low), high_(high), scale_(static_cast<double>(bins) / (high - low)), bins_(bins + 2) {}

  void add(double x, double weight = 1.0) noexcept {
    Bin& bin = bins_[index(x)];
    bin.weight += weight;
    bin.sum += weight * x;
    bin.min = std::min(bin.min, x);
    bin.max = std::max(bin.max, x);
  }

  /// Adds another histogram with the same bins.
  Histogram& operator+=(const Histogram& other) noexcept {
    for (std::size_t i = 0; i < bins_.size(); ++i) {
      Bin& bin = bins_[i];
      const Bin& o = other.bins_[i];
      if (o.weight == 0.0) continue;
      bin.weight += o.weight;
      bin.sum += o.sum;
      bin.min = std::min(bin.min, o.min);
      bin.max = std::max(bin.max, o.max);
    }
    return *this;
  }

  bool operator==(const Histogram&) const = default;

  /// Value at risk: the smallest value in the first bin whose cumulative share of the weight reaches `level`.
  /// Exact when that bin holds one distinct value, as a finite pool's losses do.
  double value_at_risk(double level) const noexcept { return bins_[quantile_bin(level)].min; }

  /// Expected shortfall (Acerbi-Tasche): the mean of the worst `1 - level` of the weight,
  /// `[S_above + VaR (W_le - level W)] / ((1 - level) W)`, from the bin sums (docs/methodology.md section 6.4).
  double expected_shortfall(double level) const noexcept {
    const std::size_t at = quantile_bin(level);
    double above = 0.0, weight_le = 0.0, weight = 0.0;
    for (std::size_t i = 0; i < bins_.size(); ++i) {
      weight += bins_[i].weight;
      if (i <= at)
        weight_le += bins_[i].weight;
      else
        above += bins_[i].sum;
    }
    return weight > 0.0 ? tail_mean(above, bins_[at].min, weight_le, weight, level) : 0.0;
  }

  /// The total weight: the number of values added without importance sampling.
  double total() const noexcept {
    double weight = 0.0;
    for (const auto& bin : bins_) weight += bin.weight;
    return weight;
  }
  /// The first bin whose cumulative share of the weight reaches `level`: the bin of `value_at_risk(level)`.
  std::size_t quantile_bin(double level) const noexcept {
    const double target = level * total();
    double cumulative = 0.0;
    for (std::size_t i = 0; i < bins_.size(); ++i) {
      cumulative += bins_[i].weight;
      if (bins_[i].weight > 0.0 && cumulative >= target) return i;
    }
    return bins_.size() - 1;
  }
  const std::vector<Bin>& bins() const noexcept { return bins_; }
  std::vector<Bin>& bins() noexcept { return bins_; }
  double low() const noexcept { return low_; }
  double high() const noexcept { return high_; }

 private:
  std::size_t index(double x) const noexcept {
    if (x < low_) return 0;
    if (x >= high_) return bins_.size() - 1;
    return std::min(static_cast<std::size_t>((x - low_) * scale_), bins_.size() - 3) + 1;
  }

  double low_ = 0.0, high_ = 1.0, scale_ = 1.0;
  std::vector<Bin> bins_;
};

}  // namespace computedebt::stats
