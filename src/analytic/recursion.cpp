#include <computedebt/analytic/recursion.hpp>

#include <algorithm>

namespace computedebt::analytic {

void conditional_distributions(const LossLattice& lattice, std::span<const double> probabilities,
                               std::span<double> loss, std::span<double> count) {
  const std::size_t months = lattice.months.size();
  const std::size_t names = lattice.group_of.size();
  std::fill(loss.begin(), loss.end(), 0.0);
  std::fill(count.begin(), count.end(), 0.0);
  loss[0] = count[0] = 1.0;
  std::size_t reach = 0;  // The largest loss reachable by the names added so far.
  for (std::size_t i = 0; i < names; ++i) {
    const double* q = probabilities.data() + lattice.group_of[i] * months;
    // Every name counts a default by the horizon, the last needed month, whatever its loss.
    const double defaults = q[months - 1];
    for (std::size_t d = i + 1; d > 0; --d) count[d] = count[d] * (1.0 - defaults) + count[d - 1] * defaults;
    count[0] *= 1.0 - defaults;

    const auto first = lattice.outcomes.begin() + lattice.outcomes_start[i];
    const auto last = lattice.outcomes.begin() + lattice.outcomes_start[i + 1];
    if (first == last) continue;
    // In place from the top down, so that `loss[u - n]` is still the distribution before this name.
    if (last - first == 1) {
      const std::size_t n = first->units;
      const double p = q[first->upper] - q[first->lower];
      for (std::size_t u = reach + n; u >= n; --u) loss[u] = loss[u] * (1.0 - p) + loss[u - n] * p;
      for (std::size_t u = std::min(n, reach + 1); u-- > 0;) loss[u] *= 1.0 - p;
      reach += n;
      continue;
    }
    double total = 0.0;
    std::size_t widest = 0;
    for (auto o = first; o != last; ++o) {
      total += q[o->upper] - q[o->lower];
      widest = std::max<std::size_t>(widest, o->units);
    }
    for (std::size_t u = reach + widest + 1; u-- > 0;) {
      double value = loss[u] * (1.0 - total);
      for (auto o = first; o != last; ++o)
        if (u >= o->units) value += loss[u - o->units] * (q[o->upper] - q[o->lower]);
      loss[u] = value;
    }
    reach += widest;
  }
}

}  // namespace computedebt::analytic
