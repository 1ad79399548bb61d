#include <gtest/gtest.h>
#include <computedebt/scenario/contract_default.hpp>
#include <computedebt/scenario/credit_sampler.hpp>

#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <string>

#include "test_deals.hpp"

using namespace computedebt;

TEST(credit_sampler, a_path_regenerates_identically_on_its_own) {
  const auto plan = test_support::calibrate_json(test_support::homogeneous_pool(50, 0.3, 0.4, 0.4, {{0.0, 1.0}}));
  scenario::CreditSampler a(plan), b(plan);
  std::vector<int> first(50), again(50), other(50);
  a.sample(3, 12345, first);
  a.sample(3, 7, other);  // another path in between leaves no trace
  b.sample(3, 12345, again);
  EXPECT_EQ(first, again);
  a.sample(3, 12345, again);
  EXPECT_EQ(first, again);
}

namespace {

/// What the sampler gives for one path: its default months, weight, factor normals and values, and defaulted names.
struct Drawn {
  std::vector<int> months;
  double weight;
  std::vector<double> normals, factors;
  std::vector<std::uint32_t> defaulted;
  bool operator==(const Drawn&) const = default;
};

Drawn draw(scenario::CreditSampler& sampler, std::uint32_t seed, std::uint64_t path, std::size_t names) {
  Drawn drawn{std::vector<int>(names), 0.0, {}, {}, {}};
  sampler.sample(seed, path, drawn.months);
  drawn.weight = sampler.weight();
  drawn.normals.assign(sampler.normals().begin(), sampler.normals().end());
  drawn.factors.assign(sampler.factors().begin(), sampler.factors().end());
  drawn.defaulted.assign(sampler.defaulted().begin(), sampler.defaulted().end());
  return drawn;
}

}  // namespace

TEST(credit_sampler, a_batch_gives_every_path_its_own_values_whatever_was_asked_before) {
  // Paths are drawn 16 at a time: asked out of order, across batch boundaries and with the seed changing at every
  // call, each must give what a fresh sampler gives for it alone, in every mode.
  struct Mode {
    std::string copula;
    double nu;
    std::vector<double> shift;
    bool antithetic, quasi_random;
  };
  const Mode modes[] = {{"gaussian", 0.0, {}, false, false},
                        {"gaussian", 0.0, {}, true, false},
                        {"gaussian", 0.0, {}, false, true},
                        {"gaussian", 0.0, {-1.0}, false, false},
                        {"student_t", 5.0, {}, false, false}};
  for (const auto& mode : modes) {
    const auto plan = test_support::calibrate_json(
        test_support::homogeneous_pool(60, 0.3, 0.4, 0.4, {{0.0, 1.0}}, mode.copula, mode.nu));
    scenario::CreditSampler shared(plan, mode.shift, mode.antithetic, mode.quasi_random);
    EXPECT_EQ(shared.batch_size(), 16u);
    int defaults = 0;
    for (const std::uint64_t path : {17, 3, 16, 15, 1030, 31, 0, 1024, 47, 33, 17})
      for (const std::uint32_t seed : {5u, 6u}) {
        scenario::CreditSampler fresh(plan, mode.shift, mode.antithetic, mode.quasi_random);
        const auto drawn = draw(shared, seed, path, 60);
        EXPECT_EQ(drawn, draw(fresh, seed, path, 60)) << mode.copula << " path " << path << " seed " << seed;
        defaults += static_cast<int>(drawn.defaulted.size());
      }
    EXPECT_GT(defaults, 0);
  }
}

TEST(credit_sampler, a_large_pool_takes_smaller_batches_and_grows_its_buffers_to_its_defaults) {
  // 5,000 names: batches of 2^16 / 5,000 = 13 paths. At a 90% default probability a batch has about 58,500
  // defaults, beyond the 13 x 4,096 the buffers start with.
  constexpr int names = 5000;
  const auto plan = test_support::calibrate_json(test_support::homogeneous_pool(names, 0.9, 0.3, 0.4, {{0.0, 1.0}}));
  scenario::CreditSampler shared(plan);
  EXPECT_EQ(shared.batch_size(), 13u);
  for (const std::uint64_t path : {12, 13, 0, 25, 26}) {
    scenario::CreditSampler fresh(plan);
    const auto drawn = draw(shared, 9, path, names);
    EXPECT_EQ(drawn, draw(fresh, 9, path, names)) << path;
    EXPECT_GT(drawn.defaulted.size(), 3000u);
  }
}

TEST(credit_sampler, default_months_lie_on_the_grid_or_mean_survival) {
  const auto plan = test_support::calibrate_json(test_support::homogeneous_pool(50, 0.5, 0.2, 0.4, {{0.0, 1.0}}));
  scenario::CreditSampler sampler(plan);
  std::vector<int> months(50);
  int defaults = 0;
  for (std::uint64_t path = 0; path < 200; ++path) {
    sampler.sample(1, path, months);
    for (int m : months) {
      EXPECT_GE(m, 1);  // nobody defaults at t0
      EXPECT_LE(m, sampler.survives());
      defaults += m < sampler.survives();
    }
  }
  EXPECT_GT(defaults, 0);
}

TEST(credit_sampler, names_sharing_curve_and_loadings_share_a_group) {
  const auto plan = test_support::calibrate_json(test_support::homogeneous_pool(20, 0.05, 0.3, 0.4, {{0.0, 1.0}}));
  EXPECT_EQ(plan.credit.groups, 1u);
}

TEST(contract_default, follows_the_double_default_rules) {
  using scenario::contract_default;
  const int survives = 61;
  // Unguaranteed: the counterparty's month.
  EXPECT_EQ(contract_default(10, 5, survives, false, survives).month, 10);
  // Guarantor defaults later: the contract defaults then, at the guarantor's recovery.
  auto later = contract_default(10, 30, survives, true, survives);
  EXPECT_EQ(later.month, 30);
  EXPECT_TRUE(later.by_guarantor);
  // Guarantor defaulted first: unguaranteed.
  auto first = contract_default(10, 5, survives, true, survives);
  EXPECT_EQ(first.month, 10);
  EXPECT_FALSE(first.by_guarantor);
  // The guarantee expires in month 20: default then, at the counterparty's recovery.
  auto expiry = contract_default(10, 40, 20, true, survives);
  EXPECT_EQ(expiry.month, 20);
  EXPECT_FALSE(expiry.by_guarantor);
  // Expired before the counterparty's default: unguaranteed.
  EXPECT_EQ(contract_default(10, 40, 5, true, survives).month, 10);
  // The guarantor survives the grid and the guarantee does not expire: no default on the grid.
  EXPECT_EQ(contract_default(10, survives, survives, true, survives).month, survives);
  // The counterparty survives: nothing happens whatever the guarantor does.
  EXPECT_EQ(contract_default(survives, 3, survives, true, survives).month, survives);
}

namespace {

/// Expects each of the 1024 equal intervals of [0, 1) to hold exactly one of `u`.
void expect_one_per_interval(const std::vector<double>& u, const std::string& what) {
  std::vector<int> count(1024, 0);
  for (double x : u) {
    ASSERT_TRUE(x >= 0.0 && x < 1.0) << what << ": " << x;
    ++count[static_cast<std::size_t>(x * 1024.0)];
  }
  for (std::size_t i = 0; i < count.size(); ++i) EXPECT_EQ(count[i], 1) << what << ", interval " << i;
}

}  // namespace

TEST(credit_sampler, a_quasi_random_leaf_puts_one_point_in_each_of_1024_intervals_per_dimension) {
  constexpr std::size_t dimensions = 3;
  // Raw points 0..1023 of the sequence, before any shift.
  scenario::SobolEngine sobol(dimensions);
  std::vector<std::vector<double>> raw(dimensions);
  std::vector<std::uint32_t> point(dimensions);
  for (std::uint32_t k = 0; k < 1024; ++k) {
    scenario::sobol_point(sobol, k, point);
    for (std::size_t f = 0; f < dimensions; ++f) raw[f].push_back(std::ldexp(static_cast<double>(point[f]), -32));
  }
  for (std::size_t f = 0; f < dimensions; ++f) expect_one_per_interval(raw[f], "raw dimension " + std::to_string(f));

  // The sampler's factor normals of one leaf (the second, after a digital shift), mapped back to uniforms.
  auto document = test_support::homogeneous_pool(20, 0.05, 0.3, 0.4, {{0.0, 1.0}});
  document["assumptions"]["factors"] = {{"names", {"a", "b", "c"}},
                                        {"correlation", {{1.0, 0.0, 0.0}, {0.0, 1.0, 0.0}, {0.0, 0.0, 1.0}}}};
  document["assumptions"]["sectors"]["pool"]["factor_loadings"] = {{"a", 0.3}, {"b", 0.3}, {"c", 0.3}};
  const auto plan = test_support::calibrate_json(document);
  ASSERT_EQ(plan.credit.factors, dimensions);
  scenario::CreditSampler sampler(plan, {}, false, true);
  std::vector<int> months(20);
  std::vector<std::vector<double>> shifted(dimensions);
  for (std::uint64_t path = 1024; path < 2048; ++path) {
    sampler.sample(5, path, months);
    for (std::size_t f = 0; f < dimensions; ++f)
      shifted[f].push_back(boost::math::cdf(boost::math::normal(), sampler.normals()[f]));
  }
  for (std::size_t f = 0; f < dimensions; ++f)
    expect_one_per_interval(shifted[f], "shifted dimension " + std::to_string(f));
}
