#include <computedebt/analytic/loss_lattice.hpp>
#include <computedebt/core/error.hpp>

#include <gtest/gtest.h>

#include "test_deals.hpp"

using namespace computedebt;

namespace {

/// The homogeneous pool with the notionals `notionals`, one name each.
calibration::Plan pool_with_notionals(const std::vector<double>& notionals, double recovery = 0.4) {
  auto document = test_support::homogeneous_pool(static_cast<int>(notionals.size()), 0.05, 0.3, recovery, {{0.0, 1.0}});
  for (std::size_t i = 0; i < notionals.size(); ++i) document["deal"]["contracts"][i]["notional"] = notionals[i];
  return test_support::calibrate_json(document);
}

}  // namespace

TEST(loss_lattice, equal_notionals_share_their_loss_as_the_unit) {
  const auto lattice = analytic::loss_lattice(pool_with_notionals(std::vector<double>(125, 1.0)));
  EXPECT_FALSE(lattice.bucketed);
  EXPECT_NEAR(lattice.unit, 0.6, 1e-15);
  EXPECT_EQ(lattice.max_units, 125u);
  EXPECT_EQ(lattice.outcomes.size(), 125u);
  EXPECT_EQ(lattice.months, (std::vector<int>{0, 60}));
  EXPECT_LT(lattice.error_bound, 1e-15);
}

TEST(loss_lattice, the_unit_is_the_greatest_common_divisor_within_a_relative_tolerance) {
  // Losses 0.5 x {2, 3, 4.5}: the unit is 0.25, and a notional off by a relative 1e-12 still shares it.
  const auto lattice = analytic::loss_lattice(pool_with_notionals({2.0, 3.0 * (1 + 1e-12), 4.5}, 0.5));
  EXPECT_FALSE(lattice.bucketed);
  EXPECT_NEAR(lattice.unit, 0.25, 1e-11);
  EXPECT_EQ(lattice.max_units, 4u + 6u + 9u);
  EXPECT_LT(lattice.error_bound, 1e-10);  // the unit itself is found to about 1e-12
}

TEST(loss_lattice, incommensurate_losses_are_bucketed_within_the_stated_bound) {
  const std::vector<double> notionals{1.0, std::sqrt(2.0), std::numbers::pi, std::numbers::e, 0.123456789};
  double total = 0.0;
  for (double n : notionals) total += n;
  const auto lattice = analytic::loss_lattice(pool_with_notionals(notionals), 200);
  EXPECT_TRUE(lattice.bucketed);
  EXPECT_LE(lattice.max_units, 200u + notionals.size());
  EXPECT_NEAR(lattice.unit, 0.6 * total / 200, 1e-15);
  // Each name's loss moves by at most half a unit.
  EXPECT_GT(lattice.error_bound, 0.0);
  EXPECT_LE(lattice.error_bound, notionals.size() * lattice.unit / 2 / total);
}

TEST(loss_lattice, a_guarantee_is_refused) {
  auto document = test_support::homogeneous_pool(3, 0.05, 0.3, 0.4, {{0.0, 1.0}});
  document["deal"]["contracts"][0]["guarantee"] = {{"guarantor", "name_1"}};
  try {
    analytic::loss_lattice(test_support::calibrate_json(document));
    FAIL() << "a guaranteed contract was accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.problems().front().path, "deal.contracts[0].guarantee");
  }
}
