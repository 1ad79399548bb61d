#include <gtest/gtest.h>
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/calibration/contract_schedule.hpp>
#include <computedebt/calibration/rating_table.hpp>
#include <computedebt/io/load.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <filesystem>
#include <future>

using namespace computedebt;

namespace {
const std::filesystem::path valid_dir = std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid";
const std::filesystem::path example_dir = COMPUTEDEBT_EXAMPLE_DEALS;

std::size_t index_of(const calibration::Plan& plan, const std::string& id) {
  return static_cast<std::size_t>(std::find(plan.credit.ids.begin(), plan.credit.ids.end(), id) -
                                  plan.credit.ids.begin());
}
}  // namespace

TEST(calibrate, homogeneous_pool_has_the_closed_form_inputs) {
  const auto plan = calibration::calibrate(io::load_deal(example_dir / "homogeneous_pool.json"));
  ASSERT_EQ(plan.grid.months(), 60);
  EXPECT_EQ(plan.credit.names, 125u);
  const double c = quantile(boost::math::normal(), 0.05);
  for (std::size_t i = 0; i < plan.credit.names; ++i) {
    EXPECT_NEAR(plan.credit.survival_at(i, 60), 0.95, 1e-15);
    EXPECT_NEAR(plan.credit.threshold_at(i, 60), c, 1e-12);
    EXPECT_EQ(plan.credit.threshold_at(i, 0), -INFINITY);
    EXPECT_NEAR(plan.credit.idiosyncratic_weights[i], std::sqrt(0.7), 1e-12);
    EXPECT_EQ(plan.credit.recovery_rates[i], 0.4);
  }
  for (std::size_t k = 0; k <= 60; ++k)
    EXPECT_NEAR(plan.discount_factors[k], std::exp(-0.04 * plan.grid.times[k]), 1e-15);
  EXPECT_EQ(plan.factor_root.factors, 1u);
}

TEST(calibrate, overrides_replace_sector_defaults_field_by_field) {
  const auto plan = calibration::calibrate(io::load_deal(valid_dir / "every_field.json"));
  EXPECT_EQ(plan.grid.months(), 63);  // last legal maturity 2031-06-30 -> payment date 2031-04-30
  const auto& credit = plan.credit;
  // "start up": CCC+ -> CCC/C table, pd_multiplier 2 from its credit entry, loadings replaced as a whole.
  const auto s = index_of(plan, "start up");
  const double table_pd = calibration::sp_global_corporate_default_rates().default_probability(deal::Rating::CCC_C, 2);
  EXPECT_NEAR(credit.survival_at(s, 36), std::pow(1.0 - table_pd, 2.0), 1e-14);
  EXPECT_EQ(credit.loadings[s * 2 + 0], 0.0);  // global: the sector's 0.2 is not kept
  EXPECT_EQ(credit.loadings[s * 2 + 1], 0.6);
  EXPECT_NEAR(credit.idiosyncratic_weights[s], std::sqrt(1 - 0.36), 1e-15);
  EXPECT_EQ(credit.recovery_rates[s], 0.2);  // the sector's
  // "hyper": flat hazard, its own recovery.
  const auto h = index_of(plan, "hyper");
  EXPECT_NEAR(credit.survival_at(h, 12), std::exp(-0.003 * plan.grid.times[12]), 1e-15);
  EXPECT_EQ(credit.recovery_rates[h], 0.5);
  // "seed": default probability 30% at 3 years, times the sector's multiplier 1.5.
  const auto d = index_of(plan, "seed");
  EXPECT_NEAR(credit.survival_at(d, 36), std::pow(0.7, 1.5), 1e-14);
  // Student-t thresholds with 6 degrees of freedom.
  EXPECT_NEAR(credit.threshold_at(d, 36), quantile(boost::math::students_t(6.0), 1.0 - std::pow(0.7, 1.5)), 1e-12);
  // Loadings on two correlated factors: s = sqrt(1 - b' Sigma b).
  const auto c = index_of(plan, "cds_name");
  const double variance = 0.2 * 0.2 + 0.5 * 0.5 + 2 * 0.2 * 0.5 * 0.4;
  EXPECT_NEAR(credit.idiosyncratic_weights[c], std::sqrt(1 - variance), 1e-15);
  // Zero curve: linear in rate between tenors.
  const double t = plan.grid.times[18];  // between the 1- and 2-year tenors
  const double z = 0.036 + (t - 1.0) * (0.0355 - 0.036);
  EXPECT_NEAR(plan.discount_factors[18], std::exp(-z * t), 1e-15);
}

TEST(calibrate, a_cds_curve_that_cannot_be_bootstrapped_is_refused_with_its_path) {
  auto document = io::read_json_file(valid_dir / "every_field.json");
  document["assumptions"]["credit"]["cds_name"]["cds_spreads_bp"] = {{"1Y", 5000}, {"5Y", 1}};
  const auto file = io::load_deal_json(document);
  try {
    calibration::calibrate(file);
    FAIL() << "calibrated";
  } catch (const InputError& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].path, "assumptions.credit.cds_name.cds_spreads_bp");
  }
}

TEST(calibrate, concurrent_calibrations_agree) {
  const auto file = io::load_deal(example_dir / "blended_2026.json");
  const auto reference = calibration::calibrate(file);
  auto a = std::async(std::launch::async, [&] { return calibration::calibrate(file); });
  auto b = std::async(std::launch::async, [&] { return calibration::calibrate(file); });
  for (auto* future : {&a, &b}) {
    const auto plan = future->get();
    EXPECT_EQ(plan.credit.survival, reference.credit.survival);
    EXPECT_EQ(plan.credit.thresholds, reference.credit.thresholds);
  }
}

TEST(calibrate, a_guarantee_cap_runs_out_when_the_payments_from_default_reach_it) {
  auto document = io::read_json_file(valid_dir / "every_field.json");
  const auto file = io::load_deal_json(document);
  const auto plan = calibration::calibrate(file);
  // Contract S-1 (index 1): 128 GPUs at 2.8 from 2026-03-01, a cap of 5,000,000.
  const auto& contracts = plan.contracts;
  const double* cumulative = contracts.promised_cumulative.data() + 1 * contracts.columns;
  const int first = 3;
  int expected = first;
  while (cumulative[expected] - cumulative[first - 1] < 5e6) ++expected;
  EXPECT_EQ(contracts.cap_exhausted_month(1, first), expected);
  EXPECT_GT(expected, first);
  // Without a cap the guarantee never runs out.
  EXPECT_EQ(contracts.cap_exhausted_month(0, first), static_cast<int>(contracts.columns));
  // Each month's payment is the schedule's.
  EXPECT_DOUBLE_EQ(cumulative[2] - cumulative[1],
                   calibration::promised_payments(file.deal.contracts[1], plan.grid.dates[1], plan.grid.dates[2]));
}

TEST(calibrate, fleet_cohorts_are_valued_by_age_on_the_grid) {
  const auto file = io::load_deal(valid_dir / "every_field.json");
  const auto plan = calibration::calibrate(file);
  const auto& gpu = plan.gpu;
  ASSERT_EQ(gpu.cohorts, 2u);  // H100 acquired 2025-06-15, B200 at t0
  EXPECT_EQ(gpu.cohort_count[0], 600);
  EXPECT_EQ(gpu.ids[gpu.cohort_type[1]], "B200");
  const std::size_t columns = gpu.columns;
  for (std::size_t k : {0u, 12u, 40u}) {
    const double age = calibration::year_fraction(Date{std::chrono::year{2025} / 6 / 15}, plan.grid.dates[k]);
    EXPECT_NEAR(gpu.cohort_value[k],
                27500 * assumptions::residual_fraction(file.assumptions.gpu_market.at("H100").residual_value, age),
                1e-9);
    EXPECT_NEAR(gpu.cohort_value[columns + k], 42500 * std::exp(-0.25 * plan.grid.times[k]), 1e-9);
  }
  EXPECT_NEAR(gpu.rent[12], 1.9, 1e-12);  // the H100 rent table at one year
}
