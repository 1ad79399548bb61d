#pragma once
/// \file
/// The conditional loss and default-count distributions given the factors (docs/methodology.md section 6.6).
/// Names are independent given the factors. Identical names (one group, one loss outcome) form a class whose loss
/// is binomial on multiples of its outcome's units; each group's default count is binomial too. Each binomial is
/// convolved into the distribution; names with several outcomes are added one at a time by the
/// Andersen-Sidenius-Basu recursion.

#include <computedebt/analytic/loss_lattice.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace computedebt::analytic {

/// The binomial distribution of `size` independent names with one probability, by the ratio of successive terms
/// from the mode, normalised to sum to 1 (no term overflows; tiny ones underflow to 0).
class Binomial {
 public:
  explicit Binomial(std::size_t size);
  std::size_t size() const { return size_; }
  /// `P(k of size)`, `k = 0..size`, into `out` (`size + 1` entries) for the probability `p` (clamped to [0, 1]).
  void operator()(double p, std::span<double> out) const;

 private:
  std::size_t size_;
  std::vector<double> ratio_;  ///< `(size - k) / (k + 1)`: `P(k + 1) = P(k) ratio_k p / (1 - p)`.
};

/// The classes of `lattice`'s names and the buffers of the recursion, built once and reused at every node.
class ConditionalDistributions {
 public:
  explicit ConditionalDistributions(const LossLattice& lattice);

  /// Fills `loss` (`lattice.max_units + 1` entries, the probability of each lattice loss) and `count`
  /// (`names + 1` entries, the probability of each number of defaulted names) given `probabilities`, the
  /// conditional default probabilities of every group at `lattice.months` (`default_probabilities`).
  void operator()(std::span<const double> probabilities, std::span<double> loss, std::span<double> count);

 private:
  /// Names of one group losing `units` between the needed months `lower` and `upper`, or one group's names
  /// counted at the horizon (`units` 1, `lower` 0 and `upper` the last month).
  struct Class {
    std::uint32_t group, units, lower, upper;
    Binomial binomial;
  };
  /// `current_` (reach `reach`) convolved with `pmf` placed every `step`, through `next_`.
  void convolve(std::span<const double> pmf, std::size_t step, std::size_t& reach);

  const LossLattice& lattice_;
  std::vector<Class> loss_classes_, count_classes_;
  std::vector<std::uint32_t> several_;  ///< Names with several outcomes, for the recursion.
  std::vector<double> current_, next_, pmf_;
};

/// `ConditionalDistributions(lattice)(probabilities, loss, count)`: for a single evaluation.
void conditional_distributions(const LossLattice& lattice, std::span<const double> probabilities,
                               std::span<double> loss, std::span<double> count);

}  // namespace computedebt::analytic
