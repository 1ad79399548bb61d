// Philox4x32-10 on SIMD lanes (docs/methodology.md section 7.1). Highway compiles this file once per target
// (foreach_target) and dispatches to the best one the machine runs. Every operation is integer, so each target
// gives Random123's bits exactly.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "core/philox_blocks.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <computedebt/core/philox_blocks.hpp>

#include <Random123/philox.h>

#include <algorithm>

HWY_BEFORE_NAMESPACE();
namespace computedebt::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

/// Random123's multipliers and Weyl key increments for Philox4x32.
constexpr std::uint64_t multiplier_0 = 0xD2511F53u, multiplier_1 = 0xCD9E8D57u;
constexpr std::uint32_t weyl_0 = 0x9E3779B9u, weyl_1 = 0xBB67AE85u;

#if HWY_TARGET == HWY_SCALAR
// The portable target: Random123 itself, one block at a time (a single lane cannot split into 32-bit halves).
void PhiloxBlocks(std::uint32_t key_0, std::uint32_t key_1, std::uint64_t path, std::uint64_t first_draw,
                  std::uint32_t mask, std::uint32_t* HWY_RESTRICT out, std::size_t blocks) {
  const r123::Philox4x32::key_type key{{key_0, key_1}};
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::uint64_t draw = first_draw + b;
    const r123::Philox4x32::ctr_type counter{{static_cast<std::uint32_t>(path), static_cast<std::uint32_t>(path >> 32),
                                              static_cast<std::uint32_t>(draw),
                                              static_cast<std::uint32_t>(draw >> 32)}};
    const auto words = r123::Philox4x32()(counter, key);
    for (std::size_t k = 0; k < 4; ++k) out[4 * b + k] = words[k] ^ mask;
  }
}
#else
// Each 32-bit word of a block lives in a 64-bit lane, so that one 32 x 32 -> 64 bit product per lane (MulEven on
// the lanes' low halves) gives the whole product: the lanes hold consecutive blocks. Four vectors of blocks go through
// the rounds together, so that one's multiplies run while another's wait, and each block's four words are stored
// as two 64-bit pairs, interleaved, in the output's order.
void PhiloxBlocks(std::uint32_t key_0, std::uint32_t key_1, std::uint64_t path, std::uint64_t first_draw,
                  std::uint32_t mask, std::uint32_t* HWY_RESTRICT out, std::size_t blocks) {
  const hn::ScalableTag<std::uint64_t> d64;
  const hn::Repartition<std::uint32_t, decltype(d64)> d32;
  using V = decltype(hn::Zero(d64));
  const std::size_t lanes = hn::Lanes(d64);
  const V low_32 = hn::Set(d64, 0xffffffffu);
  const auto m0 = hn::BitCast(d32, hn::Set(d64, multiplier_0)), m1 = hn::BitCast(d32, hn::Set(d64, multiplier_1));
  const V path_lo = hn::Set(d64, path & 0xffffffffu), path_hi = hn::Set(d64, path >> 32);
  const V masks = hn::Set(d64, (std::uint64_t{mask} << 32) | mask);
  std::uint64_t round_key_0[10], round_key_1[10];
  for (int r = 0; r < 10; ++r) {
    round_key_0[r] = key_0 + static_cast<std::uint32_t>(r) * weyl_0;  // wraps modulo 2^32, as Random123's bump
    round_key_1[r] = key_1 + static_cast<std::uint32_t>(r) * weyl_1;
  }
  const V iota = hn::Iota(d64, 0);
  struct Counter {
    V c0, c1, c2, c3;
  };
  const auto start = [&](std::size_t b) {
    const V draw = hn::Add(hn::Set(d64, first_draw + b), iota);
    return Counter{path_lo, path_hi, hn::And(draw, low_32), hn::ShiftRight<32>(draw)};
  };
  const auto round = [&](Counter& c, int r) {
    const auto p0 = hn::MulEven(hn::BitCast(d32, c.c0), m0), p1 = hn::MulEven(hn::BitCast(d32, c.c2), m1);
    c.c0 = hn::Xor(hn::Xor(hn::ShiftRight<32>(p1), c.c1), hn::Set(d64, round_key_0[r]));
    c.c2 = hn::Xor(hn::Xor(hn::ShiftRight<32>(p0), c.c3), hn::Set(d64, round_key_1[r]));
    c.c1 = hn::And(p1, low_32);
    c.c3 = hn::And(p0, low_32);
  };
  // Words 0 and 1, and 2 and 3, of each block as 64-bit pairs (little-endian: the first word low), reflected.
  const auto store = [&](const Counter& c, std::uint32_t* to) {
    hn::StoreInterleaved2(hn::Xor(hn::Or(c.c0, hn::ShiftLeft<32>(c.c1)), masks),
                          hn::Xor(hn::Or(c.c2, hn::ShiftLeft<32>(c.c3)), masks), d64,
                          reinterpret_cast<std::uint64_t*>(to));
  };
  // A vector of blocks at `b`, stored whole, in part at the end, or not at all past it.
  const auto store_from = [&](const Counter& c, std::size_t b) {
    if (b >= blocks) return;
    if (blocks - b >= lanes) return store(c, out + 4 * b);
    HWY_ALIGN std::uint32_t words[4 * HWY_MAX_BYTES / sizeof(std::uint64_t)];
    store(c, words);
    std::copy(words, words + 4 * (blocks - b), out + 4 * b);
  };
  // Four vectors of blocks at a time (a path's 125 names are 32 blocks: four AVX-512 vectors), the last group's
  // counters past the end drawn and dropped.
  for (std::size_t b = 0; b < blocks; b += 4 * lanes) {
    Counter c0 = start(b), c1 = start(b + lanes), c2 = start(b + 2 * lanes), c3 = start(b + 3 * lanes);
    for (int r = 0; r < 10; ++r) {
      round(c0, r);
      round(c1, r);
      round(c2, r);
      round(c3, r);
    }
    store_from(c0, b);
    store_from(c1, b + lanes);
    store_from(c2, b + 2 * lanes);
    store_from(c3, b + 3 * lanes);
  }
}
#endif

}  // namespace computedebt::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <computedebt/core/error.hpp>

#include <hwy/targets.h>

namespace computedebt {

HWY_EXPORT(PhiloxBlocks);

void philox_blocks(std::array<std::uint32_t, 2> key, std::uint64_t path, std::uint64_t first_draw, std::uint32_t mask,
                   std::span<std::uint32_t> out) noexcept {
  HWY_DYNAMIC_DISPATCH(PhiloxBlocks)(key[0], key[1], path, first_draw, mask, out.data(), out.size() / 4);
}

std::vector<std::string> simd_targets() {
  std::vector<std::string> names;
  for (const std::int64_t target : hwy::SupportedAndGeneratedTargets()) names.emplace_back(hwy::TargetName(target));
  return names;
}

std::string simd_target() {
  // The first supported and compiled target is the one dispatch chooses.
  return simd_targets().front();
}

void restrict_simd_target(const std::string& name) {
  hwy::SetSupportedTargetsForTest(0);
  if (name.empty()) return;
  for (const std::int64_t target : hwy::SupportedAndGeneratedTargets())
    if (name == hwy::TargetName(target)) {
      hwy::SetSupportedTargetsForTest(target);
      return;
    }
  require(false, "no SIMD target {} on this machine", name);
}

}  // namespace computedebt
#endif  // HWY_ONCE
