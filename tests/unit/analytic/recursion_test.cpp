#include <computedebt/analytic/recursion.hpp>

#include <gtest/gtest.h>

#include <vector>

using namespace computedebt;

// Four independent names, one of them with two outcomes, against the enumeration of every default pattern.
TEST(recursion, matches_the_enumeration_of_default_patterns) {
  analytic::LossLattice lattice;
  lattice.months = {0, 12, 60};
  lattice.group_of = {0, 1, 2, 3};
  // Name 3 loses 4 units by month 12 and 1 unit from month 13 to 60.
  lattice.outcomes = {{2, 0, 2}, {3, 0, 2}, {2, 0, 2}, {4, 0, 1}, {1, 1, 2}};
  lattice.outcomes_start = {0, 1, 2, 3, 5};
  lattice.max_units = 2 + 3 + 2 + 4;
  // q per group at months 0, 12, 60.
  const std::vector<double> q{0, 0.1, 0.3, 0, 0.2, 0.5, 0, 0.05, 0.9, 0, 0.25, 0.6};
  std::vector<double> loss(lattice.max_units + 1), count(5);
  analytic::conditional_distributions(lattice, q, loss, count);

  std::vector<double> expected_loss(loss.size(), 0.0), expected_count(5, 0.0);
  const double p[3] = {0.3, 0.5, 0.9};
  const int units[3] = {2, 3, 2};
  for (int pattern = 0; pattern < 8; ++pattern)
    for (int last = 0; last < 3; ++last) {  // name 3: survives, defaults early, defaults late
      const double last_p[3] = {0.4, 0.25, 0.35};
      double probability = last_p[last];
      int total = last == 1 ? 4 : last == 2 ? 1 : 0, defaults = last > 0;
      for (int i = 0; i < 3; ++i) {
        const bool defaulted = (pattern >> i) & 1;
        probability *= defaulted ? p[i] : 1 - p[i];
        total += defaulted ? units[i] : 0;
        defaults += defaulted;
      }
      expected_loss[total] += probability;
      expected_count[defaults] += probability;
    }
  for (std::size_t u = 0; u < loss.size(); ++u) EXPECT_NEAR(loss[u], expected_loss[u], 1e-15) << u;
  for (std::size_t d = 0; d < count.size(); ++d) EXPECT_NEAR(count[d], expected_count[d], 1e-15) << d;
}
