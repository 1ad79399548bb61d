#include <computedebt/core/philox_blocks.hpp>
#include <computedebt/core/portable_math.hpp>
#include <computedebt/core/random.hpp>

#include <gtest/gtest.h>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace computedebt;

namespace {

/// The portable target (Highway's scalar or emulated one): every other target must give its bits.
std::string portable_target() { return simd_targets().back(); }

/// `kernel` over `in` under every target, each checked bit for bit against the portable target's.
template <class Kernel>
std::vector<double> same_on_every_target(Kernel kernel, const std::vector<double>& in, const char* what) {
  std::vector<double> reference(in.size());
  restrict_simd_target(portable_target());
  kernel(in, reference);
  for (const auto& target : simd_targets()) {
    restrict_simd_target(target);
    std::vector<double> out(in.size());
    kernel(in, out);
    std::size_t differ = 0, first = in.size();
    for (std::size_t i = 0; i < in.size(); ++i)
      if (std::bit_cast<std::uint64_t>(out[i]) != std::bit_cast<std::uint64_t>(reference[i])) {
        if (differ++ == 0) first = i;
      }
    EXPECT_EQ(differ, 0u) << what << " on " << target << " differs from " << portable_target() << " at "
                          << (first < in.size() ? in[first] : 0.0);
    // In place, the same bits.
    std::vector<double> in_place = in;
    kernel(in_place, in_place);
    EXPECT_TRUE(std::equal(
        in_place.begin(), in_place.end(), reference.begin(),
        [](double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }))
        << what << " in place on " << target;
    // One value at a time gives the same bits as the batch.
    for (std::size_t i = 0; i < in.size(); i += in.size() / 97 + 1) {
      double one;
      kernel(std::vector<double>{in[i]}, std::span(&one, 1));
      EXPECT_EQ(std::bit_cast<std::uint64_t>(one), std::bit_cast<std::uint64_t>(reference[i])) << what << " " << in[i];
    }
  }
  restrict_simd_target("");
  return reference;
}

/// Units in the last place between `x` and the exact `reference`.
double ulps(double x, long double reference) {
  const double rounded = static_cast<double>(reference);
  const double spacing = std::nextafter(std::abs(rounded), std::numeric_limits<double>::infinity()) - std::abs(rounded);
  return static_cast<double>(std::abs(static_cast<long double>(x) - reference) / spacing);
}

/// The 32-bit uniform grid's tails: every `x < 2^22` and every `x >= 2^32 - 2^22` (u below 2^-10 or above
/// 1 - 2^-10), then a random sample of a million elsewhere.
std::vector<double> uniform_grid() {
  std::vector<double> u;
  constexpr std::uint32_t tail = 1u << 22;
  for (std::uint32_t x = 0; x < tail; ++x) u.push_back(RandomStream::to_uniform(x));
  for (std::uint32_t x = 0; x < tail; ++x) u.push_back(RandomStream::to_uniform(0xffffffffu - x));
  std::mt19937 engine(7);
  std::uniform_int_distribution<std::uint32_t> inside(tail, 0xffffffffu - tail);
  for (int i = 0; i < 1 << 20; ++i) u.push_back(RandomStream::to_uniform(inside(engine)));
  return u;
}

}  // namespace

TEST(portable_math, inverse_normal_is_the_same_on_every_target_and_within_its_bound_of_boost) {
  const auto u = uniform_grid();
  const auto z = same_on_every_target(
      [](std::span<const double> in, std::span<double> out) { inverse_normals(in, out); }, u, "inverse normal");
  // AS 241's stated relative error is about 1e-16; with the rounding of its rational functions and logarithm the
  // bound checked is 2e-15 (about 9 units in the last place) against Boost's quantile, on every 61st value.
  const boost::math::normal_distribution<double> normal;
  double worst = 0.0;
  for (std::size_t i = 0; i < u.size(); i += 61) {
    const double exact = u[i] < 0.5 ? boost::math::quantile(normal, u[i])
                                    : -boost::math::quantile(normal, static_cast<double>(1.0L - u[i]));
    worst = std::max(worst, std::abs(z[i] - exact) / std::abs(exact));
  }
  EXPECT_LT(worst, 2e-15);
  // Odd about one half, and the one-value form agrees.
  EXPECT_EQ(inverse_normal(0.5), 0.0);
  EXPECT_EQ(inverse_normal(RandomStream::to_uniform(3)), -inverse_normal(RandomStream::to_uniform(0xfffffffcu)));
}

TEST(portable_math, log_is_the_same_on_every_target_and_within_one_ulp) {
  auto x = uniform_grid();
  std::mt19937_64 engine(11);
  std::uniform_real_distribution<double> exponent(-1070.0, 1020.0), mantissa(1.0, 2.0);
  for (int i = 0; i < 1 << 20; ++i) x.push_back(std::ldexp(mantissa(engine), static_cast<int>(exponent(engine))));
  const auto y =
      same_on_every_target([](std::span<const double> in, std::span<double> out) { logs(in, out); }, x, "log");
  double worst = 0.0;
  for (std::size_t i = 0; i < x.size(); i += 7)
    worst = std::max(worst, ulps(y[i], std::log(static_cast<long double>(x[i]))));
  EXPECT_LE(worst, 1.0);
  constexpr double infinity = std::numeric_limits<double>::infinity();
  EXPECT_EQ(portable_log(1.0), 0.0);
  EXPECT_EQ(portable_log(0.0), -infinity);
  EXPECT_EQ(portable_log(infinity), infinity);
  EXPECT_TRUE(std::isnan(portable_log(-1.0)));
  EXPECT_TRUE(std::isnan(portable_log(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_NEAR(portable_log(std::numeric_limits<double>::denorm_min()), -744.44007192138126, 1e-12);
}

TEST(portable_math, exp_is_the_same_on_every_target_and_within_one_ulp) {
  std::vector<double> x;
  std::mt19937_64 engine(13);
  std::uniform_real_distribution<double> wide(-745.0, 709.7), narrow(-2.0, 2.0);
  for (int i = 0; i < 1 << 21; ++i) x.push_back(i % 2 == 0 ? wide(engine) : narrow(engine));
  const auto y =
      same_on_every_target([](std::span<const double> in, std::span<double> out) { exps(in, out); }, x, "exp");
  double worst = 0.0;
  for (std::size_t i = 0; i < x.size(); i += 7)
    if (y[i] >= std::numeric_limits<double>::min())  // subnormal results carry fewer digits
      worst = std::max(worst, ulps(y[i], std::exp(static_cast<long double>(x[i]))));
  EXPECT_LE(worst, 1.0);
  constexpr double infinity = std::numeric_limits<double>::infinity();
  EXPECT_EQ(portable_exp(0.0), 1.0);
  EXPECT_EQ(portable_exp(710.0), infinity);
  EXPECT_EQ(portable_exp(-infinity), 0.0);
  EXPECT_EQ(portable_exp(infinity), infinity);
  EXPECT_EQ(portable_exp(-746.0), 0.0);
  EXPECT_EQ(portable_exp(-745.0), std::numeric_limits<double>::denorm_min());
  EXPECT_TRUE(std::isnan(portable_exp(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_NEAR(portable_exp(1.0), 2.718281828459045, 1e-15);
}

TEST(portable_math, normal_cdf_is_the_same_on_every_target_and_within_its_bound) {
  std::vector<double> x;
  std::mt19937_64 engine(17);
  std::uniform_real_distribution<double> wide(-37.5, 9.0), central(-3.0, 3.0);
  for (int i = 0; i < 1 << 20; ++i) x.push_back(i % 2 == 0 ? wide(engine) : central(engine));
  const auto p = same_on_every_target([](std::span<const double> in, std::span<double> out) { normal_cdfs(in, out); },
                                      x, "normal cdf");
  // The polynomial's truncation is below 1e-17 and e^{-t^2/2} is taken in two exact-argument parts: the bound checked
  // is 2e-15 relative wherever Phi is a normal number, on every 7th value, against `long double` erfc. (Boost's cdf in
  // double is no reference far out: rounding x / sqrt(2) alone costs it x^2 units in the last place.)
  double worst = 0.0;
  for (std::size_t i = 0; i < x.size(); i += 7) {
    const long double exact = 0.5L * std::erfc(-static_cast<long double>(x[i]) / std::sqrt(2.0L));
    worst = std::max(worst, static_cast<double>(std::abs(p[i] - exact) / exact));
  }
  EXPECT_LT(worst, 2e-15);
  EXPECT_EQ(normal_cdf(-50.0), 0.0);
  EXPECT_EQ(normal_cdf(50.0), 1.0);
  EXPECT_NEAR(normal_cdf(0.0), 0.5, 2.5e-16);
  EXPECT_TRUE(std::isnan(normal_cdf(std::numeric_limits<double>::quiet_NaN())));
  // It inverts the inverse normal on the uniform grid to within the grid's own rounding.
  for (const std::uint32_t bits : {0u, 1000u, 0x0ccccccdu, 0x7fffffffu, 0xfffff000u}) {
    const double u = RandomStream::to_uniform(bits);
    EXPECT_NEAR(normal_cdf(inverse_normal(u)), u, 1e-14 * u);
  }
}

TEST(portable_math, positions_at_or_below_find_every_survival_failure_on_every_target) {
  std::mt19937 engine(5);
  for (const auto& target : simd_targets()) {
    restrict_simd_target(target);
    for (const std::uint32_t threshold : {0u, 1u, 0x0ccccccdu, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu})
      for (const std::size_t n : {0, 1, 7, 16, 17, 125, 1000}) {
        std::vector<std::uint32_t> words(n);
        for (auto& w : words) w = engine();
        if (n > 3) words[2] = threshold, words[3] = threshold + 1;  // both sides of the boundary
        std::vector<std::uint32_t> expected, got(n);
        for (std::size_t i = 0; i < n; ++i)
          if (words[i] <= threshold) expected.push_back(static_cast<std::uint32_t>(100 + i));
        got.resize(positions_at_or_below(words, threshold, 100, got.data()));
        EXPECT_EQ(got, expected) << target << " threshold " << threshold << " n " << n;
      }
  }
  restrict_simd_target("");
}
