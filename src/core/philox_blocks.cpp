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
#include <bit>
#include <cstdint>
#include <cstring>

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
// as two 64-bit pairs, interleaved, in the output's order. Vectors stay locals and parameters (never members of a
// class or lambda captures), which the sizeless vectors of SVE and RVV require.
using D64 = hn::ScalableTag<std::uint64_t>;
using V64 = decltype(hn::Zero(D64()));

/// One round of Philox4x32 on a vector of blocks' counter words.
HWY_INLINE void Round(V64& c0, V64& c1, V64& c2, V64& c3, std::uint64_t key_0, std::uint64_t key_1) {
  const D64 d64;
  const hn::Repartition<std::uint32_t, D64> d32;
  const V64 low_32 = hn::Set(d64, 0xffffffffu);
  const auto p0 = hn::MulEven(hn::BitCast(d32, c0), hn::BitCast(d32, hn::Set(d64, multiplier_0)));
  const auto p1 = hn::MulEven(hn::BitCast(d32, c2), hn::BitCast(d32, hn::Set(d64, multiplier_1)));
  c0 = hn::Xor(hn::Xor(hn::ShiftRight<32>(p1), c1), hn::Set(d64, key_0));
  c2 = hn::Xor(hn::Xor(hn::ShiftRight<32>(p0), c3), hn::Set(d64, key_1));
  c1 = hn::And(p1, low_32);
  c3 = hn::And(p0, low_32);
}

/// Stores the first `count` blocks of a vector (none when `count` is 0) at block `at` of `out`, each XORed with
/// `masks`: words 0 and 1, and 2 and 3, as 64-bit pairs in memory order, interleaved. A destination not aligned for
/// 64-bit stores, or a partial vector, goes through an aligned buffer.
HWY_INLINE void StoreBlocks(V64 c0, V64 c1, V64 c2, V64 c3, V64 masks, std::uint32_t* out, std::size_t at,
                            std::size_t count) {
  const D64 d64;
  if (count == 0) return;
  out += 4 * at;
  const bool little = std::endian::native == std::endian::little;
  const V64 first = hn::Xor(little ? hn::Or(c0, hn::ShiftLeft<32>(c1)) : hn::Or(c1, hn::ShiftLeft<32>(c0)), masks);
  const V64 second = hn::Xor(little ? hn::Or(c2, hn::ShiftLeft<32>(c3)) : hn::Or(c3, hn::ShiftLeft<32>(c2)), masks);
  if (count == hn::Lanes(d64) && reinterpret_cast<std::uintptr_t>(out) % alignof(std::uint64_t) == 0) {
    hn::StoreInterleaved2(first, second, d64, reinterpret_cast<std::uint64_t*>(out));
    return;
  }
  HWY_ALIGN std::uint64_t pairs[2 * HWY_MAX_BYTES / sizeof(std::uint64_t)];
  hn::StoreInterleaved2(first, second, d64, pairs);
  std::memcpy(out, pairs, 4 * sizeof(std::uint32_t) * count);
}

void PhiloxBlocks(std::uint32_t key_0, std::uint32_t key_1, std::uint64_t path, std::uint64_t first_draw,
                  std::uint32_t mask, std::uint32_t* HWY_RESTRICT out, std::size_t blocks) {
  const D64 d64;
  const std::size_t lanes = hn::Lanes(d64);
  const V64 low_32 = hn::Set(d64, 0xffffffffu);
  const V64 path_lo = hn::Set(d64, path & 0xffffffffu), path_hi = hn::Set(d64, path >> 32);
  const V64 masks = hn::Set(d64, (std::uint64_t{mask} << 32) | mask);
  std::uint64_t round_key_0[10], round_key_1[10];
  for (int r = 0; r < 10; ++r) {
    round_key_0[r] = key_0 + static_cast<std::uint32_t>(r) * weyl_0;  // wraps modulo 2^32, as Random123's bump
    round_key_1[r] = key_1 + static_cast<std::uint32_t>(r) * weyl_1;
  }
  const V64 iota = hn::Iota(d64, 0);
  // How many of the blocks at `b` are to be stored: a whole vector, part of one at the end, or none past it.
  const auto stored = [blocks, lanes](std::size_t b) { return b >= blocks ? 0 : std::min(lanes, blocks - b); };
  // Four vectors of blocks at a time (a path's 125 names are 32 blocks: four AVX-512 vectors), the last group's
  // counters past the end drawn and dropped.
  for (std::size_t b = 0; b < blocks; b += 4 * lanes) {
    const V64 draw_a = hn::Add(hn::Set(d64, first_draw + b), iota);
    const V64 draw_b = hn::Add(hn::Set(d64, first_draw + b + lanes), iota);
    const V64 draw_c = hn::Add(hn::Set(d64, first_draw + b + 2 * lanes), iota);
    const V64 draw_d = hn::Add(hn::Set(d64, first_draw + b + 3 * lanes), iota);
    V64 a0 = path_lo, a1 = path_hi, a2 = hn::And(draw_a, low_32), a3 = hn::ShiftRight<32>(draw_a);
    V64 b0 = path_lo, b1 = path_hi, b2 = hn::And(draw_b, low_32), b3 = hn::ShiftRight<32>(draw_b);
    V64 c0 = path_lo, c1 = path_hi, c2 = hn::And(draw_c, low_32), c3 = hn::ShiftRight<32>(draw_c);
    V64 d0 = path_lo, d1 = path_hi, d2 = hn::And(draw_d, low_32), d3 = hn::ShiftRight<32>(draw_d);
    for (int r = 0; r < 10; ++r) {
      Round(a0, a1, a2, a3, round_key_0[r], round_key_1[r]);
      Round(b0, b1, b2, b3, round_key_0[r], round_key_1[r]);
      Round(c0, c1, c2, c3, round_key_0[r], round_key_1[r]);
      Round(d0, d1, d2, d3, round_key_0[r], round_key_1[r]);
    }
    StoreBlocks(a0, a1, a2, a3, masks, out, b, stored(b));
    StoreBlocks(b0, b1, b2, b3, masks, out, b + lanes, stored(b + lanes));
    StoreBlocks(c0, c1, c2, c3, masks, out, b + 2 * lanes, stored(b + 2 * lanes));
    StoreBlocks(d0, d1, d2, d3, masks, out, b + 3 * lanes, stored(b + 3 * lanes));
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
