#pragma once
/// \file
/// Reproducible random numbers: Philox4x32-10 (Random123) keyed by `(seed, stream)`, counter
/// `(path_lo, path_hi, draw_lo, draw_hi)`. Output `n` of a stream is lane `n mod 4` of draw `n / 4`, so any
/// variate of any path can be regenerated alone, on any thread or machine (docs/methodology.md section 7.1).

#include <computedebt/core/philox_blocks.hpp>
#include <computedebt/core/portable_math.hpp>

#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>

namespace computedebt {

/// The named streams; adding a model component never shifts the draws of another.
enum class Stream : std::uint32_t {
  systematic = 0,       ///< Factor normals `xi`, then factor Brownian increments.
  idiosyncratic = 1,    ///< One uniform per counterparty, at its position.
  chi_squared = 2,      ///< The Student-t copula's mixing variable, one per path.
  gpu_diffusion = 3,    ///< Independent GPU market noise.
  jumps = 4,            ///< Poisson obsolescence jumps.
  digital_shift = 5,    ///< Quasi-random factors: one random digital shift per leaf and factor.
  rates = 6,            ///< Independent noise of Hull-White rate indices.
  delivery_delay = 7,   ///< One uniform per delivery, at its position.
  power = 8,            ///< Independent noise of the power prices: the hub's, then each site's, one normal per month.
  capacity_market = 9,  ///< Independent noise of the capacity market, one normal per month.
  gas = 10,             ///< Independent noise of the gas price, one normal per month.
};

/// `2^-32`: the spacing of the uniforms.
inline constexpr double two_to_minus_32 = 1.0 / 4294967296.0;

/// Where a path's random numbers come from. With antithetic pairs, path `2m + 1` reuses path `2m`'s draws,
/// reflected: every 32-bit output `x` becomes `~x`, so each uniform `u` becomes exactly `1 - u` and each normal
/// changes sign.
struct PathDraws {
  std::uint64_t source;  ///< The path whose counters are used.
  bool reflected;        ///< Whether the outputs are reflected.
};

/// The draws of `path`, with or without antithetic pairs.
inline PathDraws path_draws(std::uint64_t path, bool antithetic) noexcept {
  return antithetic && path % 2 == 1 ? PathDraws{path - 1, true} : PathDraws{path, false};
}

/// One stream of one seed: a pure function of `(path, n)`.
class RandomStream {
 public:
  RandomStream(std::uint32_t seed, Stream stream, bool reflected = false) noexcept
      : key_{{seed, static_cast<std::uint32_t>(stream)}}, mask_(reflected ? 0xffffffffu : 0u) {}

  /// The four 32-bit outputs of draw `draw` of `path`.
  std::array<std::uint32_t, 4> block(std::uint64_t path, std::uint64_t draw) const noexcept {
    const r123::Philox4x32::ctr_type counter{{static_cast<std::uint32_t>(path), static_cast<std::uint32_t>(path >> 32),
                                              static_cast<std::uint32_t>(draw),
                                              static_cast<std::uint32_t>(draw >> 32)}};
    const auto out = r123::Philox4x32()(counter, key_);
    return {out[0] ^ mask_, out[1] ^ mask_, out[2] ^ mask_, out[3] ^ mask_};
  }

  /// Output `n` of `path` as 32 random bits.
  std::uint32_t bits(std::uint64_t path, std::uint64_t n) const noexcept { return block(path, n / 4)[n % 4]; }

  /// Output `n` of `path` as a uniform `(x + 0.5) 2^-32`, strictly inside (0, 1).
  double uniform(std::uint64_t path, std::uint64_t n) const noexcept { return to_uniform(bits(path, n)); }

  /// Outputs `first, first + 1, ...` of `path` as raw bits into `out`: the whole blocks many at a time on SIMD
  /// lanes (`philox_blocks`), a partial block at either end alone; the same bits either way.
  void bits(std::uint64_t path, std::uint64_t first, std::span<std::uint32_t> out) const noexcept {
    std::size_t i = 0;
    const auto partial = [&](std::size_t end) {
      while (i < end) {
        const std::uint64_t n = first + i;
        const auto lanes = block(path, n / 4);
        for (auto lane = static_cast<std::size_t>(n % 4); lane < 4 && i < end; ++lane, ++i) out[i] = lanes[lane];
      }
    };
    partial(std::min<std::size_t>(out.size(), (4 - first % 4) % 4));
    const std::size_t whole = (out.size() - i) / 4 * 4;
    if (whole > 0) philox_blocks({key_[0], key_[1]}, path, (first + i) / 4, mask_, out.subspan(i, whole));
    i += whole;
    partial(out.size());
  }

  /// Uniforms `first, first + 1, ...` of `path` into `out`.
  void uniforms(std::uint64_t path, std::uint64_t first, std::span<double> out) const noexcept {
    constexpr std::size_t chunk = 64;
    std::uint32_t words[chunk];
    for (std::size_t i = 0; i < out.size(); i += chunk) {
      const std::size_t n = std::min(chunk, out.size() - i);
      bits(path, first + i, std::span(words, n));
      for (std::size_t j = 0; j < n; ++j) out[i + j] = to_uniform(words[j]);
    }
  }

  static double to_uniform(std::uint32_t x) noexcept { return (static_cast<double>(x) + 0.5) * two_to_minus_32; }

  /// The largest `x` with `to_uniform(x) <= p`, or -1 if there is none: `to_uniform(x) <= p` exactly when
  /// `x <= uniform_threshold(p)`, so uniforms can be compared without converting them.
  static std::int64_t uniform_threshold(double p) noexcept {
    const double x = std::floor(p * 4294967296.0 - 0.5);  // exact: scaling by 2^32, then one rounding by floor
    return x < 0.0 ? -1 : x >= 4294967295.0 ? 4294967295 : static_cast<std::int64_t>(x);
  }

 private:
  r123::Philox4x32::key_type key_;
  std::uint32_t mask_;  ///< All ones when reflected.
};

/// Normal `n` of `path` on a stream: the inverse normal of uniform `n`.
inline double normal(const RandomStream& stream, std::uint64_t path, std::uint64_t n) noexcept {
  return inverse_normal(stream.uniform(path, n));
}

/// Normals `first, first + 1, ...` of `path` on a stream into `out`, one Philox call per four.
inline void normals(const RandomStream& stream, std::uint64_t path, std::uint64_t first,
                    std::span<double> out) noexcept {
  constexpr std::size_t chunk = 64;
  double uniforms[chunk];
  for (std::size_t i = 0; i < out.size(); i += chunk) {
    const std::size_t n = std::min(chunk, out.size() - i);
    stream.uniforms(path, first + i, std::span(uniforms, n));
    inverse_normals(std::span(uniforms, n), out.subspan(i, n));
  }
}

}  // namespace computedebt
