#include <computedebt/analytic/recursion.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace computedebt::analytic {

Binomial::Binomial(std::size_t size) : size_(size), ratio_(size) {
  for (std::size_t k = 0; k < size; ++k) ratio_[k] = static_cast<double>(size - k) / static_cast<double>(k + 1);
}

void Binomial::operator()(double p, std::span<double> out) const {
  std::fill(out.begin(), out.end(), 0.0);
  if (!(p > 0.0)) {
    out[0] = 1.0;
    return;
  }
  if (!(p < 1.0)) {
    out[size_] = 1.0;
    return;
  }
  // From the mode, the largest term, outwards, then normalised: every step shrinks the term, so nothing
  // overflows, and the terms are exact to a few ulps each (no large logarithms cancel).
  const auto mode = std::min(size_, static_cast<std::size_t>((static_cast<double>(size_) + 1.0) * p));
  const double odds = p / (1.0 - p);
  out[mode] = 1.0;
  for (std::size_t k = mode; k < size_; ++k) out[k + 1] = out[k] * ratio_[k] * odds;
  for (std::size_t k = mode; k > 0; --k) out[k - 1] = out[k] / (ratio_[k - 1] * odds);
  double total = 0.0;
  for (const double term : out) total += term;
  for (double& term : out) term /= total;
}

ConditionalDistributions::ConditionalDistributions(const LossLattice& lattice) : lattice_(lattice) {
  const std::size_t names = lattice.group_of.size();
  const auto horizon = static_cast<std::uint32_t>(lattice.months.size() - 1);
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t>, std::size_t> loss_sizes;
  std::map<std::uint32_t, std::size_t> group_sizes;
  for (std::size_t i = 0; i < names; ++i) {
    ++group_sizes[lattice.group_of[i]];
    const auto first = lattice.outcomes_start[i], last = lattice.outcomes_start[i + 1];
    if (last - first == 1) {
      const auto& o = lattice.outcomes[first];
      ++loss_sizes[{lattice.group_of[i], o.units, o.lower, o.upper}];
    } else if (last - first > 1) {
      several_.push_back(static_cast<std::uint32_t>(i));
    }
  }
  for (const auto& [key, size] : loss_sizes) {
    const auto [group, units, lower, upper] = key;
    loss_classes_.push_back({group, units, lower, upper, Binomial(size)});
  }
  for (const auto& [group, size] : group_sizes) count_classes_.push_back({group, 1, 0, horizon, Binomial(size)});
  const std::size_t width = std::max(lattice.max_units, names) + 1;
  current_.resize(width);
  next_.resize(width);
  pmf_.resize(names + 1);
}

void ConditionalDistributions::convolve(std::span<const double> pmf, std::size_t step, std::size_t& reach) {
  const std::size_t width = reach + (pmf.size() - 1) * step + 1;
  std::fill(next_.begin(), next_.begin() + static_cast<std::ptrdiff_t>(width), 0.0);
  for (std::size_t k = 0; k < pmf.size(); ++k) {
    const double p = pmf[k];
    if (p == 0.0) continue;
    double* target = next_.data() + k * step;
    for (std::size_t u = 0; u <= reach; ++u) target[u] += p * current_[u];
  }
  std::swap(current_, next_);
  reach = width - 1;
}

void ConditionalDistributions::operator()(std::span<const double> probabilities, std::span<double> loss,
                                          std::span<double> count) {
  const std::size_t months = lattice_.months.size();
  const auto q = [&](std::uint32_t group, std::uint32_t month) { return probabilities[group * months + month]; };
  const auto start = [&] {
    std::fill(current_.begin(), current_.end(), 0.0);
    current_[0] = 1.0;
    return std::size_t{0};
  };

  std::size_t reach = start();
  for (const auto& c : count_classes_) {
    const auto pmf = std::span(pmf_).first(c.binomial.size() + 1);
    c.binomial(q(c.group, c.upper), pmf);
    convolve(pmf, 1, reach);
  }
  std::copy_n(current_.begin(), count.size(), count.begin());

  reach = start();
  for (const auto& c : loss_classes_) {
    const auto pmf = std::span(pmf_).first(c.binomial.size() + 1);
    c.binomial(q(c.group, c.upper) - q(c.group, c.lower), pmf);
    convolve(pmf, c.units, reach);
  }
  // Names with several outcomes one at a time, in place from the top down so that `current_[u - n]` is still the
  // distribution before the name: `P'(u) = P(u) (1 - sum_o p_o) + sum_o p_o P(u - n_o)`.
  for (const auto i : several_) {
    const auto first = lattice_.outcomes.begin() + lattice_.outcomes_start[i];
    const auto last = lattice_.outcomes.begin() + lattice_.outcomes_start[i + 1];
    const auto group = lattice_.group_of[i];
    double total = 0.0;
    std::size_t widest = 0;
    for (auto o = first; o != last; ++o) {
      total += q(group, o->upper) - q(group, o->lower);
      widest = std::max<std::size_t>(widest, o->units);
    }
    for (std::size_t u = reach + widest + 1; u-- > 0;) {
      double value = current_[u] * (1.0 - total);
      for (auto o = first; o != last; ++o)
        if (u >= o->units) value += current_[u - o->units] * (q(group, o->upper) - q(group, o->lower));
      current_[u] = value;
    }
    reach += widest;
  }
  std::copy_n(current_.begin(), loss.size(), loss.begin());
}

void conditional_distributions(const LossLattice& lattice, std::span<const double> probabilities,
                               std::span<double> loss, std::span<double> count) {
  ConditionalDistributions recursion(lattice);
  recursion(probabilities, loss, count);
}

}  // namespace computedebt::analytic
