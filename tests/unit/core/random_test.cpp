#include <gtest/gtest.h>
#include <computedebt/core/random.hpp>

#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <vector>

using namespace computedebt;

// Known-answer vectors of Philox4x32-10 (Random123's kat_vectors): counter, key -> output.
TEST(random, philox_matches_the_random123_known_answers) {
  using Philox = r123::Philox4x32;
  const auto run = [](Philox::ctr_type counter, Philox::key_type key) { return Philox()(counter, key); };
  EXPECT_EQ(run({{0, 0, 0, 0}}, {{0, 0}}), (Philox::ctr_type{{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}}));
  EXPECT_EQ(run({{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}}, {{0xffffffff, 0xffffffff}}),
            (Philox::ctr_type{{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}}));
  EXPECT_EQ(run({{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, {{0xa4093822, 0x299f31d0}}),
            (Philox::ctr_type{{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}}));
}

TEST(random, stream_layout_is_key_seed_stream_and_counter_path_draw) {
  const RandomStream stream(7, Stream::idiosyncratic);
  const std::uint64_t path = 0x0000000500000003ULL, draw = 0x0000000900000002ULL;
  const auto expected = r123::Philox4x32()({{3, 5, 2, 9}}, {{7, 1}});
  const auto got = stream.block(path, draw);
  for (int lane = 0; lane < 4; ++lane) EXPECT_EQ(got[lane], expected[lane]);
  // Output n is lane n mod 4 of draw n / 4.
  EXPECT_EQ(stream.bits(path, 4 * draw + 2), expected[2]);
}

TEST(random, pinned_outputs_do_not_change) {
  // Golden values at seed 1: a change here shifts every simulated path.
  const RandomStream systematic(1, Stream::systematic), idiosyncratic(1, Stream::idiosyncratic);
  EXPECT_EQ(systematic.bits(0, 0), 0xe3e80670u);
  EXPECT_EQ(systematic.bits(123456789, 5), 0xe08c5c45u);
  EXPECT_EQ(idiosyncratic.bits(3, 124), 0x113aeeebu);
  EXPECT_DOUBLE_EQ(systematic.uniform(0, 0), (0xe3e80670u + 0.5) / 4294967296.0);
  EXPECT_DOUBLE_EQ(normal(systematic, 0, 0), 1.2279076052549576);
  EXPECT_DOUBLE_EQ(normal(idiosyncratic, 7, 2), 1.0536844667416432);
}

TEST(random, uniforms_lie_strictly_inside_the_unit_interval) {
  EXPECT_EQ(RandomStream::to_uniform(0), 0.5 / 4294967296.0);
  EXPECT_LT(RandomStream::to_uniform(0xffffffff), 1.0);
  EXPECT_GT(RandomStream::to_uniform(0), 0.0);
}

TEST(random, bulk_uniforms_equal_single_outputs_from_any_start) {
  const RandomStream stream(42, Stream::idiosyncratic);
  for (std::uint64_t first : {0u, 1u, 3u, 6u}) {
    std::vector<double> bulk(11);
    stream.uniforms(17, first, bulk);
    for (std::size_t i = 0; i < bulk.size(); ++i) EXPECT_EQ(bulk[i], stream.uniform(17, first + i));
  }
}

TEST(random, streams_and_seeds_are_independent_sequences) {
  const RandomStream a(1, Stream::systematic), b(1, Stream::idiosyncratic), c(2, Stream::systematic);
  int equal_ab = 0, equal_ac = 0;
  for (std::uint64_t n = 0; n < 1000; ++n) {
    equal_ab += a.bits(0, n) == b.bits(0, n);
    equal_ac += a.bits(0, n) == c.bits(0, n);
  }
  EXPECT_LE(equal_ab, 1);
  EXPECT_LE(equal_ac, 1);
}

TEST(random, inverse_normal_is_accurate_to_a_few_units_in_the_last_place) {
  const boost::math::normal standard;
  std::vector<double> probes{0.5 / 4294967296.0,
                             1e-9,
                             1e-6,
                             0.001,
                             0.02,
                             0.02425,
                             0.0243,
                             0.1,
                             0.3,
                             0.5,
                             0.7,
                             0.9,
                             0.97575,
                             0.98,
                             0.999,
                             1 - 1e-6,
                             1.0 - 0.5 / 4294967296.0};
  for (int i = 1; i < 1000; ++i) probes.push_back(i / 1000.0);
  for (double u : probes) {
    const double expected = quantile(standard, u);
    EXPECT_NEAR(inverse_normal(u), expected, 1e-15 * std::max(1.0, std::abs(expected))) << "u = " << u;
  }
  EXPECT_EQ(inverse_normal(0.5), 0.0);
}

TEST(random, normals_have_unit_variance_at_a_fixed_seed) {
  const RandomStream stream(2026, Stream::systematic);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double z = normal(stream, static_cast<std::uint64_t>(i), 0);
    sum += z;
    sum_sq += z * z;
  }
  const double mean = sum / n, variance = sum_sq / n - mean * mean;
  // Standard errors: 1/sqrt(n) for the mean, sqrt(2/n) for the variance; 4 of them, seed 2026.
  EXPECT_NEAR(mean, 0.0, 4.0 / std::sqrt(n));
  EXPECT_NEAR(variance, 1.0, 4.0 * std::sqrt(2.0 / n));
}

TEST(random, bulk_uniforms_match_single_outputs_across_chunks) {
  const RandomStream stream(9, Stream::idiosyncratic);
  std::vector<double> bulk(203);
  for (std::uint64_t first : {0u, 2u, 33u}) {
    stream.uniforms(4, first, bulk);
    for (std::size_t i = 0; i < bulk.size(); ++i) ASSERT_EQ(bulk[i], stream.uniform(4, first + i)) << first << " " << i;
  }
}

TEST(random, uniform_threshold_agrees_with_comparing_the_uniforms) {
  const std::vector<double> levels{0.0, 1e-12, 0.5 / 4294967296.0, 1.5 / 4294967296.0, 0.05, 0.3, 0.5, 0.999999, 1.0};
  for (double p : levels) {
    const std::int64_t t = RandomStream::uniform_threshold(p);
    for (std::int64_t x : {t - 1, t, t + 1}) {
      if (x < 0 || x > 0xffffffffLL) continue;
      EXPECT_EQ(RandomStream::to_uniform(static_cast<std::uint32_t>(x)) <= p, x <= t) << "p = " << p << ", x = " << x;
    }
  }
  EXPECT_EQ(RandomStream::uniform_threshold(0.0), -1);
  EXPECT_EQ(RandomStream::uniform_threshold(1.0), 0xffffffffLL);
}

TEST(random, reflected_streams_give_one_minus_u_and_negated_normals) {
  const RandomStream plain(5, Stream::systematic), reflected(5, Stream::systematic, true);
  for (std::uint64_t n = 0; n < 200; ++n) {
    EXPECT_EQ(reflected.uniform(9, n), 1.0 - plain.uniform(9, n));
    EXPECT_EQ(normal(reflected, 9, n), -normal(plain, 9, n));
  }
  EXPECT_EQ(path_draws(6, true).source, 6u);
  EXPECT_FALSE(path_draws(6, true).reflected);
  EXPECT_EQ(path_draws(7, true).source, 6u);
  EXPECT_TRUE(path_draws(7, true).reflected);
  EXPECT_EQ(path_draws(7, false).source, 7u);
}
