// Philox4x32-10 on SIMD lanes (docs/methodology.md section 7.1). Highway compiles this file once per target
// (foreach_target) and dispatches to the best one the machine runs. Every operation is integer, so each target
// gives Random123's bits exactly.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "core/philox_blocks.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <computedebt/core/philox_blocks.hpp>

#include <Random123/philox.h>

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
// the lanes' low halves) gives the whole product: the lanes hold consecutive blocks.
void PhiloxBlocks(std::uint32_t key_0, std::uint32_t key_1, std::uint64_t path, std::uint64_t first_draw,
                  std::uint32_t mask, std::uint32_t* HWY_RESTRICT out, std::size_t blocks) {
  const hn::ScalableTag<std::uint64_t> d64;
  const hn::Repartition<std::uint32_t, decltype(d64)> d32;
  const std::size_t lanes = hn::Lanes(d64);
  const auto low_32 = hn::Set(d64, 0xffffffffu);
  const auto m0 = hn::BitCast(d32, hn::Set(d64, multiplier_0)), m1 = hn::BitCast(d32, hn::Set(d64, multiplier_1));
  const auto path_lo = hn::Set(d64, path & 0xffffffffu), path_hi = hn::Set(d64, path >> 32);
  const auto masks = hn::Set(d64, mask);
  std::uint64_t round_key_0[10], round_key_1[10];
  for (int r = 0; r < 10; ++r) {
    round_key_0[r] = key_0 + static_cast<std::uint32_t>(r) * weyl_0;  // wraps modulo 2^32, as Random123's bump
    round_key_1[r] = key_1 + static_cast<std::uint32_t>(r) * weyl_1;
  }
  HWY_ALIGN std::uint64_t words[4][HWY_MAX_BYTES / sizeof(std::uint64_t)];
  const auto iota = hn::Iota(d64, 0);
  for (std::size_t b = 0; b < blocks; b += lanes) {
    const auto draw = hn::Add(hn::Set(d64, first_draw + b), iota);
    auto c0 = path_lo, c1 = path_hi, c2 = hn::And(draw, low_32), c3 = hn::ShiftRight<32>(draw);
    for (int r = 0; r < 10; ++r) {
      const auto p0 = hn::MulEven(hn::BitCast(d32, c0), m0), p1 = hn::MulEven(hn::BitCast(d32, c2), m1);
      const auto next_0 = hn::Xor(hn::Xor(hn::ShiftRight<32>(p1), c1), hn::Set(d64, round_key_0[r]));
      const auto next_2 = hn::Xor(hn::Xor(hn::ShiftRight<32>(p0), c3), hn::Set(d64, round_key_1[r]));
      c1 = hn::And(p1, low_32);
      c3 = hn::And(p0, low_32);
      c0 = next_0;
      c2 = next_2;
    }
    hn::Store(hn::Xor(c0, masks), d64, words[0]);
    hn::Store(hn::Xor(c1, masks), d64, words[1]);
    hn::Store(hn::Xor(c2, masks), d64, words[2]);
    hn::Store(hn::Xor(c3, masks), d64, words[3]);
    const std::size_t n = blocks - b < lanes ? blocks - b : lanes;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < 4; ++k) out[4 * (b + i) + k] = static_cast<std::uint32_t>(words[k][i]);
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
