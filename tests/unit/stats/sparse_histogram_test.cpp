#include <gtest/gtest.h>

#include <computedebt/stats/sparse_histogram.hpp>

#include <cmath>

namespace computedebt {
namespace {

TEST(sparse_histogram, matches_a_dense_histogram_bin_for_bit) {
  const stats::BinLayout layout{0.0, 2.0, 200};
  stats::Histogram dense(0.0, 2.0, 200);
  stats::SparseHistogram sparse(layout);
  stats::HistogramBuffer buffer(layout);
  // Leaves fill separately, then merge in order, as in the engine.
  for (int leaf = 0; leaf < 3; ++leaf) {
    stats::Histogram dense_leaf(0.0, 2.0, 200);
    stats::SparseHistogram sparse_leaf(layout);
    for (int i = 0; i < 500; ++i) {
      const double x = 1.0 + std::sin(leaf * 1000 + i * 0.37) * 1.2, w = 0.5 + (i % 3);
      dense_leaf.add(x, w);
      buffer.add(x, w);
    }
    buffer.flush_into(sparse_leaf);
    dense += dense_leaf;
    sparse += sparse_leaf;
  }
  ASSERT_EQ(sparse.indices().size(), sparse.bins().size());
  for (std::size_t i = 0; i < sparse.indices().size(); ++i)
    EXPECT_EQ(sparse.bins()[i], dense.bins()[sparse.indices()[i]]);
  EXPECT_EQ(sparse.total(), dense.total());
  for (double level : {0.01, 0.5, 0.99}) {
    EXPECT_EQ(sparse.quantile(level), dense.value_at_risk(level));
    EXPECT_EQ(sparse.expected_shortfall(level), dense.expected_shortfall(level));
  }
}

TEST(sparse_histogram, merges_and_refills_in_place_as_a_dense_histogram_does) {
  // Leaves of different spans (one bin, under 256 bins, thousands), merged into a histogram that is then cleared
  // and filled again, and flushed into a histogram that is not empty: every way the engine reuses its buffers.
  const stats::BinLayout layout{-1.0, 9.0, 10000};
  stats::HistogramBuffer buffer(layout);
  stats::SparseHistogram sparse(layout), leaf(layout);
  for (int round = 0; round < 2; ++round) {
    stats::Histogram dense(-1.0, 9.0, 10000);
    sparse.clear();
    for (const double span : {0.0, 0.1, 12.0, 3.0, 0.2}) {
      stats::Histogram dense_leaf(-1.0, 9.0, 10000);
      for (int i = 0; i < 700; ++i) {
        const double x = 1.0 + span * std::sin(round * 100 + span * 1000 + i * 0.37), w = 0.5 + (i % 3);
        dense_leaf.add(x, w);
        buffer.add(x, w);
      }
      leaf.clear();
      buffer.flush_into(leaf);
      dense += dense_leaf;
      sparse += leaf;
    }
    ASSERT_EQ(sparse.indices().size(), sparse.bins().size());
    std::size_t occupied = 0;
    for (std::size_t i = 0; i < dense.bins().size(); ++i) occupied += dense.bins()[i].weight > 0.0;
    EXPECT_EQ(sparse.indices().size(), occupied);
    for (std::size_t i = 0; i < sparse.indices().size(); ++i)
      EXPECT_EQ(sparse.bins()[i], dense.bins()[sparse.indices()[i]]);
    // Flushing into a histogram that holds bins merges the values into it as a leaf of their own.
    stats::Histogram dense_leaf(-1.0, 9.0, 10000);
    for (int i = 0; i < 300; ++i) {
      const double x = 2.0 + std::cos(i * 0.11);
      dense_leaf.add(x, 1.0);
      buffer.add(x, 1.0);
    }
    buffer.flush_into(sparse);
    dense += dense_leaf;
    for (std::size_t i = 0; i < sparse.indices().size(); ++i)
      EXPECT_EQ(sparse.bins()[i], dense.bins()[sparse.indices()[i]]);
    EXPECT_EQ(sparse.total(), dense.total());
  }
}

TEST(sparse_histogram, expected_shortfall_is_the_mean_of_the_worst_tail_weight) {
  const stats::BinLayout layout{0.0, 1.0, 100};
  stats::HistogramBuffer buffer(layout);
  stats::SparseHistogram histogram(layout);
  // Weight 6 at 0.2, 3 at 0.5, 1 at 0.8: the worst 20% is 0.8 (weight 1) and 0.5 (weight 1 of 3).
  buffer.add(0.2, 6.0);
  buffer.add(0.5, 3.0);
  buffer.add(0.8, 1.0);
  buffer.flush_into(histogram);
  EXPECT_EQ(histogram.quantile(0.8), 0.5);
  EXPECT_NEAR(histogram.expected_shortfall(0.8), (0.8 + 0.5) / 2.0, 1e-15);
  // The worst 50%: 0.8, the three at 0.5 and one of the six at VaR = 0.2.
  EXPECT_NEAR(histogram.expected_shortfall(0.5), (0.8 + 3 * 0.5 + 0.2) / 5.0, 1e-15);
  EXPECT_TRUE(std::isnan(stats::SparseHistogram(layout).expected_shortfall(0.5)));
}

TEST(sparse_histogram, keeps_values_outside_the_range_in_overflow_bins) {
  const stats::BinLayout layout{0.0, 1.0, 10};
  stats::HistogramBuffer buffer(layout);
  stats::SparseHistogram histogram(layout);
  buffer.add(-3.0, 1.0);
  buffer.add(0.55, 1.0);
  buffer.add(std::numeric_limits<double>::infinity(), 1.0);
  buffer.flush_into(histogram);
  EXPECT_EQ(histogram.indices(), (std::vector<std::uint32_t>{0, 6, 11}));
  EXPECT_EQ(histogram.quantile(0.1), -3.0);
  EXPECT_EQ(histogram.quantile(0.5), 0.55);
  EXPECT_EQ(histogram.quantile(1.0), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(stats::SparseHistogram(layout).quantile(0.5)));
}

}  // namespace
}  // namespace computedebt
