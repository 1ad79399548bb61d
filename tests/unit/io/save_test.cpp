#include <gtest/gtest.h>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>

#include <filesystem>

using namespace computedebt;

namespace {
const std::filesystem::path valid_dir = std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid";
const std::filesystem::path example_dir = COMPUTEDEBT_EXAMPLE_DEALS;
}  // namespace

class RoundTrip : public testing::TestWithParam<std::filesystem::path> {};

TEST_P(RoundTrip, load_save_load_gives_an_equal_deal) {
  const auto original = io::load_deal(GetParam());
  const auto again = io::load_deal_json(io::to_json(original));
  EXPECT_EQ(again, original);
  EXPECT_EQ(again.deal, original.deal);
  EXPECT_EQ(again.assumptions, original.assumptions);
  // Saving is stable: the second save writes the same document.
  EXPECT_EQ(io::to_json(again), io::to_json(original));
}

INSTANTIATE_TEST_SUITE_P(files, RoundTrip,
                         testing::Values(valid_dir / "every_field.json", valid_dir / "blended_margin_grid.json",
                                         valid_dir / "blended_borrowing_base.json",
                                         valid_dir / "blended_delayed_draw.json", example_dir / "blended_2026.json",
                                         example_dir / "homogeneous_pool.json", example_dir / "ddtl_2026.json",
                                         valid_dir / "blended_power.json", valid_dir / "two_sites_gas.json",
                                         example_dir / "campus_two_sites.json"),
                         [](const auto& info) { return info.param.stem().string(); });

TEST(save, writes_a_file_that_loads_back) {
  const auto original = io::load_deal(valid_dir / "every_field.json");
  const auto path = std::filesystem::temp_directory_path() / "computedebt_save_test.json";
  io::save_deal(original, path);
  EXPECT_EQ(io::load_deal(path), original);
  std::filesystem::remove(path);
}

TEST(save, assumptions_alone_load_as_an_assumptions_file) {
  const auto original = io::load_deal(valid_dir / "every_field.json");
  auto document = io::to_json(original);
  document.erase("assumptions");
  EXPECT_EQ(io::load_deal_json(document, io::to_json(original.assumptions)), original);
}

TEST(save, a_changed_value_does_not_round_trip_equal) {
  const auto original = io::load_deal(valid_dir / "every_field.json");
  auto document = io::to_json(original);
  document["deal"]["contracts"][0]["annual_escalator"] = 0.03;
  EXPECT_NE(io::load_deal_json(document), original);
}
