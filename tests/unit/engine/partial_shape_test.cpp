// Partials from another machine's bytes (a Dask worker) may be corrupted: one whose arrays or histograms do not have
// the run's shape is refused by `merge` and `finish`, never read out of bounds (issue 15, found by fuzz_partial).

#include <gtest/gtest.h>

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>

#include <cstring>
#include <filesystem>
#include <functional>
#include <numeric>

using namespace computedebt;

namespace {

calibration::Plan blended() {
  return calibration::calibrate(io::load_deal(std::filesystem::path(COMPUTEDEBT_EXAMPLE_DEALS) / "blended_2026.json"));
}

}  // namespace

TEST(partial_shape, a_partial_of_another_shape_is_refused_by_merge_and_finish) {
  const auto plan = blended();
  engine::SimulationConfig config;
  config.paths = 2 * 1024;
  const auto good = engine::simulate_blocks(plan, config, 1, 2);
  const std::vector<std::function<void(engine::Partial&)>> corruptions{
      [](auto& p) { p.waterfall.wal.pop_back(); },
      [](auto& p) { p.waterfall.principal.clear(); },
      [](auto& p) { p.waterfall.occurred.pop_back(); },
      [](auto& p) { p.waterfall.months_in_breach.pop_back(); },
      [](auto& p) { p.waterfall.dscr.pop_back(); },
      [](auto& p) {
        p.waterfall.ltv[3] = stats::SparseHistogram(stats::BinLayout{0.0, 5.0, 10});
      },
      [](auto& p) {
        p.waterfall.irr_distribution = stats::SparseHistogram(stats::BinLayout{-1.0, 9.0, 3});
      },
      [](auto& p) { p.loss_distribution = stats::Histogram(0.0, 2.0, 10000); },
  };
  for (std::size_t i = 0; i < corruptions.size(); ++i) {
    auto corrupted = good;
    corruptions[i](corrupted);
    const auto bytes = engine::partial_to_bytes(corrupted);
    const auto received = engine::partial_from_bytes(bytes);
    auto left = engine::simulate_blocks(plan, config, 0, 1);
    EXPECT_THROW(engine::merge(left, received), ModelError) << "corruption " << i;
    EXPECT_THROW(engine::finish(plan, config, received), ModelError) << "corruption " << i;
    EXPECT_THROW(engine::merge_blocks({engine::simulate_blocks(plan, config, 0, 1), received}), ModelError);
  }
  auto left = engine::simulate_blocks(plan, config, 0, 1);
  engine::merge(left, engine::partial_from_bytes(engine::partial_to_bytes(good)));
  EXPECT_NO_THROW(engine::finish(plan, config, left));
}

TEST(partial_shape, histogram_bins_must_be_strictly_increasing_in_the_bytes) {
  const auto plan = blended();
  engine::SimulationConfig config;
  config.paths = 1024;
  auto partial = engine::simulate_blocks(plan, config, 0, 1);
  auto& irr = partial.waterfall.irr_distribution;
  ASSERT_GE(irr.indices().size(), 2u);
  stats::SparseHistogram repeated(irr.layout());
  repeated.append(irr.indices()[0], irr.bins()[0]);
  repeated.append(irr.indices()[0], irr.bins()[1]);
  irr = repeated;
  EXPECT_THROW(engine::partial_from_bytes(engine::partial_to_bytes(partial)), ModelError);
}

// A histogram's layout was written as its struct, padding included, so bytes differing only there read back and
// wrote out differently (fuzz_partial in CI). Each byte of a real partial's header and of every histogram layout
// and the bytes after it, changed, must be refused or write back to the same bytes.
TEST(partial_shape, a_changed_byte_is_refused_or_writes_back_the_same_bytes) {
  const auto plan = blended();
  engine::SimulationConfig config;
  config.paths = 1024;
  const auto bytes = engine::partial_to_bytes(engine::simulate_blocks(plan, config, 0, 1));
  std::vector<std::size_t> positions(256);
  std::iota(positions.begin(), positions.end(), 0);
  std::size_t layouts = 0;
  for (const auto& layout : {engine::irr_bins, engine::dscr_bins, engine::ltv_bins, engine::account_bins}) {
    std::string encoded(20, '\0');
    std::memcpy(encoded.data(), &layout.low, 8);
    std::memcpy(encoded.data() + 8, &layout.high, 8);
    std::memcpy(encoded.data() + 16, &layout.bins, 4);
    for (auto at = bytes.find(encoded); at != std::string::npos; at = bytes.find(encoded, at + 1), ++layouts)
      for (std::size_t i = 0; i < 32; ++i) positions.push_back(at + i);
  }
  ASSERT_GT(layouts, 0u);
  std::size_t refused = 0, read = 0;
  auto changed = bytes;
  for (const auto at : positions) {
    for (const unsigned char value : {0x00, 0xff}) {
      if (changed[at] == static_cast<char>(value)) continue;
      changed[at] = static_cast<char>(value);
      try {
        EXPECT_EQ(engine::partial_to_bytes(engine::partial_from_bytes(changed)), changed) << "byte " << at;
        ++read;
      } catch (const ModelError&) {
        ++refused;
      }
      changed[at] = bytes[at];
    }
  }
  EXPECT_GT(read, 0u);
  EXPECT_GT(refused, 0u);
}
