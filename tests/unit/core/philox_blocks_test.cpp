#include <computedebt/core/error.hpp>
#include <computedebt/core/philox_blocks.hpp>
#include <computedebt/core/random.hpp>

#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <vector>

using namespace computedebt;

namespace {

/// Random123's blocks, one call each: the reference every SIMD target must reproduce.
std::vector<std::uint32_t> reference(std::array<std::uint32_t, 2> key, std::uint64_t path, std::uint64_t first,
                                     std::uint32_t mask, std::size_t blocks) {
  std::vector<std::uint32_t> out;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::uint64_t draw = first + b;
    const r123::Philox4x32::ctr_type counter{{static_cast<std::uint32_t>(path), static_cast<std::uint32_t>(path >> 32),
                                              static_cast<std::uint32_t>(draw),
                                              static_cast<std::uint32_t>(draw >> 32)}};
    for (const std::uint32_t word : r123::Philox4x32()(counter, {{key[0], key[1]}})) out.push_back(word ^ mask);
  }
  return out;
}

}  // namespace

TEST(philox_blocks, every_target_gives_random123s_bits) {
  const auto targets = simd_targets();
  ASSERT_FALSE(targets.empty());
  for (const auto& target : targets) {
    restrict_simd_target(target);
    EXPECT_EQ(simd_target(), target);
    for (const std::uint64_t path : {std::uint64_t{0}, std::uint64_t{7}, (std::uint64_t{1} << 33) + 5})
      // The last start crosses from draw_lo = 2^32 - 1 into draw_hi = 1.
      for (const std::uint64_t first : {std::uint64_t{0}, std::uint64_t{3}, (std::uint64_t{1} << 32) - 2})
        for (const std::size_t blocks : {1, 3, 8, 17, 64})
          for (const std::uint32_t mask : {0u, 0xffffffffu}) {
            const std::array<std::uint32_t, 2> key{0x1234567u, 3u};
            std::vector<std::uint32_t> out(4 * blocks);
            philox_blocks(key, path, first, mask, out);
            EXPECT_EQ(out, reference(key, path, first, mask, blocks))
                << target << " path " << path << " first " << first << " blocks " << blocks;
          }
  }
  restrict_simd_target("");
  EXPECT_EQ(simd_target(), targets.front());
  EXPECT_THROW(restrict_simd_target("no such target"), ModelError);
}

TEST(philox_blocks, bulk_outputs_equal_one_at_a_time_from_any_offset) {
  const RandomStream stream(42, Stream::idiosyncratic), reflected(42, Stream::idiosyncratic, true);
  for (std::uint64_t first = 0; first < 6; ++first)
    for (std::size_t size = 0; size < 41; ++size) {
      std::vector<std::uint32_t> bulk(size), mirrored(size);
      stream.bits(11, first, bulk);
      reflected.bits(11, first, mirrored);
      for (std::size_t i = 0; i < size; ++i) {
        ASSERT_EQ(bulk[i], stream.bits(11, first + i)) << first << " " << size << " " << i;
        ASSERT_EQ(mirrored[i], ~bulk[i]);
      }
    }
}
