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

// Classes of identical names convolve binomials: a pool of 40 names in two groups, some with the same outcome,
// against the one-name-at-a-time recursion.
TEST(recursion, binomial_classes_match_the_name_by_name_recursion) {
  analytic::LossLattice lattice;
  lattice.months = {0, 60};
  for (std::uint32_t i = 0; i < 40; ++i) {
    lattice.group_of.push_back(i % 2);
    const std::uint32_t units = i < 30 ? 1 + i % 3 : 5;
    lattice.outcomes.push_back({units, 0, 1});
    lattice.outcomes_start.push_back(i);
    lattice.max_units += units;
  }
  lattice.outcomes_start.push_back(40);
  const std::vector<double> q{0, 0.07, 0, 0.6};
  std::vector<double> loss(lattice.max_units + 1), count(41);
  analytic::conditional_distributions(lattice, q, loss, count);

  std::vector<double> expected_loss(loss.size(), 0.0), expected_count(41, 0.0);
  expected_loss[0] = expected_count[0] = 1.0;
  for (std::size_t i = 0; i < 40; ++i) {
    const double p = q[2 * lattice.group_of[i] + 1];
    const std::size_t n = lattice.outcomes[i].units;
    for (std::size_t u = loss.size(); u-- > 0;)
      expected_loss[u] = expected_loss[u] * (1 - p) + (u >= n ? expected_loss[u - n] * p : 0.0);
    for (std::size_t d = 41; d-- > 0;)
      expected_count[d] = expected_count[d] * (1 - p) + (d ? expected_count[d - 1] * p : 0.0);
  }
  for (std::size_t u = 0; u < loss.size(); ++u) EXPECT_NEAR(loss[u], expected_loss[u], 1e-15) << u;
  for (std::size_t d = 0; d < count.size(); ++d) EXPECT_NEAR(count[d], expected_count[d], 1e-15) << d;
}

TEST(recursion, binomial_terms_sum_to_one_at_extreme_probabilities) {
  const analytic::Binomial binomial(1000);
  std::vector<double> pmf(1001);
  for (const double p : {0.0, 1e-300, 1e-9, 0.05, 0.5, 0.999, 1.0 - 1e-15, 1.0}) {
    binomial(p, pmf);
    double total = 0.0, mean = 0.0;
    for (std::size_t k = 0; k < pmf.size(); ++k) {
      total += pmf[k];
      mean += static_cast<double>(k) * pmf[k];
    }
    EXPECT_NEAR(total, 1.0, 1e-13) << p;
    EXPECT_NEAR(mean, 1000 * p, 1e-10) << p;
  }
}
