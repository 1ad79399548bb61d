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

TEST(philox_blocks, random123_known_answers_on_every_target) {
  // Random123's kat_vectors for philox4x32-10: counter (path_lo, path_hi, draw_lo, draw_hi), key -> output.
  struct Known {
    std::uint64_t path, draw;
    std::array<std::uint32_t, 2> key;
    std::vector<std::uint32_t> out;
  };
  const Known known[] = {
      {0, 0, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {~std::uint64_t{0},
       ~std::uint64_t{0},
       {0xffffffff, 0xffffffff},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {0x85a308d3243f6a88,
       0x0370734413198a2e,
       {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const auto& target : simd_targets()) {
    restrict_simd_target(target);
    for (const auto& k : known) {
      std::vector<std::uint32_t> out(4);
      philox_blocks(k.key, k.path, k.draw, 0, out);
      EXPECT_EQ(out, k.out) << target;
    }
  }
  restrict_simd_target("");
}
