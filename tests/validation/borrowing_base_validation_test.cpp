// The borrowing base on Monte Carlo paths (docs/methodology.md section 5.7), on
// tests/data/valid/blended_borrowing_base.json: on every path cash is conserved, each prepayment answers a deficiency
// and is no larger, the headroom is recorded exactly while no event of default has occurred, the contracts' part of
// the base before the first default is the plan's, and the results do not depend on the number of threads.

#include <gtest/gtest.h>

#include <computedebt/io/load.hpp>

#include <cmath>
#include <filesystem>

#include "test_deals.hpp"

namespace computedebt {
namespace {

nlohmann::ordered_json base_deal() {
  return io::read_json_file(std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid" / "blended_borrowing_base.json");
}

}  // namespace

TEST(borrowing_base_validation, prepayments_answer_deficiencies_and_cash_is_conserved) {
  const auto plan = test_support::calibrate_json(base_deal());
  const auto& w = plan.waterfall;
  ASSERT_TRUE(w.borrowing_base);
  const std::size_t test = w.borrowing_base->covenant, columns = w.dates + 1;
  test_support::MonteCarloPaths paths(plan);
  int deficient_paths = 0, prepaid_paths = 0, defaults = 0;
  for (std::uint64_t path = 0; path < 3000; ++path) {
    // Once without the defaulted names' list, once with it: the first default is found either way.
    paths.start(7, path);
    const auto headroom =
        paths.engine.run(paths.collateral, {{}, {}, {}, paths.default_month, {}}).borrowing_base_headroom;
    const auto& outcome = paths.run(7, path);
    ASSERT_EQ(outcome.borrowing_base_headroom.size(), headroom.size());
    bool deficient = false, prepaid = false;
    for (std::size_t m = 1; m < columns; ++m) {
      const double h = outcome.borrowing_base_headroom[m], p = outcome.mandatory_prepayment[m];
      ASSERT_TRUE(std::isnan(h) ? std::isnan(headroom[m]) : h == headroom[m]) << "path " << path << ", date " << m;
      const bool tested = outcome.event_of_default == 0 || m < outcome.event_of_default ||
                          (m == outcome.event_of_default && !std::isnan(h));
      if (m == w.dates || !tested) ASSERT_TRUE(std::isnan(h)) << "path " << path << ", date " << m;
      const bool breached = outcome.breached[test * columns + m] != 0;
      ASSERT_EQ(breached, h < -0.01) << "path " << path << ", date " << m;
      ASSERT_GE(p, 0.0);
      if (p > 0.0) ASSERT_LE(p, -h + 1e-6) << "a prepayment no larger than the deficiency";
      if (!breached) ASSERT_EQ(p, 0.0);
      deficient |= breached;
      prepaid |= p > 0.0;
    }
    deficient_paths += deficient;
    prepaid_paths += prepaid;
    defaults += outcome.borrowing_base_default;
    if (outcome.borrowing_base_default) ASSERT_GT(outcome.event_of_default, 0u);
    ASSERT_NEAR(outcome.collections, test_support::cash_paid_out(outcome), 1e-9 * outcome.collections)
        << "path " << path;
  }
  // The deal is sized so that every branch is taken on some paths.
  EXPECT_GT(deficient_paths, 300);
  EXPECT_GT(prepaid_paths, 300);
  EXPECT_GT(defaults, 10);
}

TEST(borrowing_base_validation, results_are_the_same_whatever_the_threads) {
  const auto plan = test_support::calibrate_json(base_deal());
  const auto one = test_support::priced_document(plan, 6000, 9, 1);
  EXPECT_EQ(one, test_support::priced_document(plan, 6000, 9, 3));
  EXPECT_GT(one["borrowing_base"]["deficiency_probability"].get<double>(), 0.05);
}

}  // namespace computedebt
