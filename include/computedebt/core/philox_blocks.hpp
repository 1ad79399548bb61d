#pragma once
/// \file
/// Many Philox4x32-10 blocks of one path at once, with SIMD chosen at run time (docs/methodology.md section 7.1):
/// the same bits as Random123's scalar `philox4x32`, on every instruction set.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace computedebt {

/// Blocks `first_draw, first_draw + 1, ...` of `path` under `key`, each XORed with `mask`: block `b`'s four words
/// go to `out[4 b .. 4 b + 3]`, and `out.size() / 4` blocks are drawn (`out.size()` a multiple of 4). Counter
/// `(path_lo, path_hi, draw_lo, draw_hi)`, as `RandomStream::block`.
void philox_blocks(std::array<std::uint32_t, 2> key, std::uint64_t path, std::uint64_t first_draw, std::uint32_t mask,
                   std::span<std::uint32_t> out) noexcept;

/// The instruction sets the kernels were compiled for and this machine runs, best first, by Highway's names
/// (e.g. `AVX3`, `AVX2`, `SSE4`, `SCALAR` or `EMU128`; only the one allowed while `restrict_simd_target` holds), and the one
/// in use.
std::vector<std::string> simd_targets();
std::string simd_target();

/// Restricts the kernels to the target named (one of `simd_targets()`), or lifts the restriction (empty name):
/// for tests that every target gives the same bits. Not thread-safe; call between runs.
/// \throws ModelError for a name not in `simd_targets()`.
void restrict_simd_target(const std::string& name);

}  // namespace computedebt
