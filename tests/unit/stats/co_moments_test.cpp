#include <gtest/gtest.h>

#include <computedebt/stats/co_moments.hpp>

#include <cmath>
#include <vector>

namespace computedebt {
namespace {

/// Three quantities observed together on `n` draws.
std::vector<std::vector<double>> sample(int n) {
  std::vector<std::vector<double>> rows;
  for (int i = 0; i < n; ++i) rows.push_back({std::sin(i), std::cos(3.0 * i) + 0.5 * std::sin(i), 2.0 + i % 3});
  return rows;
}

stats::CoMoments accumulate(const std::vector<std::vector<double>>& rows, std::size_t from, std::size_t to) {
  stats::CoMoments moments(3);
  std::vector<double> delta(3);
  for (std::size_t i = from; i < to; ++i) moments.add(rows[i], delta);
  return moments;
}

TEST(co_moments, means_and_covariances_match_the_two_pass_formulas) {
  const auto rows = sample(50);
  const auto moments = accumulate(rows, 0, rows.size());
  const double n = static_cast<double>(rows.size());
  std::vector<double> mean(3, 0.0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < 3; ++i) mean[i] += row[i] / n;
  ASSERT_EQ(moments.count(), rows.size());
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(moments.mean(i), mean[i], 1e-14);
    for (std::size_t j = 0; j < 3; ++j) {
      double covariance = 0.0;
      for (const auto& row : rows) covariance += (row[i] - mean[i]) * (row[j] - mean[j]) / (n - 1);
      EXPECT_NEAR(moments.covariance(i, j), covariance, 1e-13) << i << ", " << j;
    }
  }
}

TEST(co_moments, merging_equals_adding_in_one_run_and_an_empty_side_changes_nothing) {
  const auto rows = sample(40);
  const auto all = accumulate(rows, 0, 40);
  auto left = accumulate(rows, 0, 13);
  left += accumulate(rows, 13, 40);
  ASSERT_EQ(left.count(), all.count());
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(left.mean(i), all.mean(i), 1e-14);
    for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(left.covariance(i, j), all.covariance(i, j), 1e-13);
  }
  stats::CoMoments empty(3);
  auto copy = all;
  copy += empty;
  EXPECT_EQ(copy, all);
  empty += all;
  EXPECT_EQ(empty, all);
  EXPECT_EQ(stats::CoMoments::from_state(all.count(), all.means(), all.co_moments()), all);
}

TEST(co_moments, below_two_observations_the_covariance_is_zero) {
  stats::CoMoments moments(2);
  std::vector<double> delta(2);
  moments.add(std::vector<double>{1.0, 2.0}, delta);
  EXPECT_EQ(moments.covariance(0, 1), 0.0);
  EXPECT_EQ(moments.mean(1), 2.0);
  EXPECT_TRUE(stats::CoMoments().empty());
}

}  // namespace
}  // namespace computedebt
