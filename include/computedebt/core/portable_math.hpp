#pragma once
/// \file
/// `log`, `exp`, the inverse normal and the normal distribution function on SIMD lanes, with the same bits on every
/// instruction set (docs/methodology.md section 7.1): each kernel uses only correctly rounded operations (+, -, *,
/// /, sqrt) in a fixed order, never a fused multiply-add or an approximate reciprocal, and its own polynomials
/// rather than the C library's, whose results vary with the CPU. The bulk kernels take `out.size() == x.size()`, and
/// `out` may be the input itself. The one-value functions run the same kernels, so they agree with the bulk ones bit
/// for bit. Also the survival test of a batch of names on their raw bits.

#include <cstddef>
#include <cstdint>
#include <span>

namespace computedebt {

/// `ln x` of each value into `out`, within 1 unit in the last place: fdlibm's reduction to `[sqrt(2)/2, sqrt(2))` and
/// its minimax polynomial. `-inf` at 0, NaN below 0 or for NaN, `+inf` at
/// `+inf`; subnormal values are handled, within the same bound.
void logs(std::span<const double> x, std::span<double> out) noexcept;

/// `e^x` of each value into `out`, within 1 unit in the last place: fdlibm's reduction by `ln 2` and its rational
/// approximation. `+inf` above 709.78, 0 below -745.13, subnormal results in between, NaN for NaN.
void exps(std::span<const double> x, std::span<double> out) noexcept;

/// `Phi^{-1}(u)` of each `u` in (0, 1) into `out`: Wichura's AS 241 (relative error near 1e-16), its tails on
/// `logs`' logarithm.
void inverse_normals(std::span<const double> u, std::span<double> out) noexcept;

/// `Phi(x)`, the standard normal distribution function, of each value into `out`: `e^{-t^2/2} g(Y) / (1 + t)` for
/// `t = |x|` with one polynomial `g` in `Y = (t - 4) / (t + 4)` (relative error below 2e-15 where `Phi(x)` is a
/// normal number), `1 - Phi(-x)` above 0.
void normal_cdfs(std::span<const double> x, std::span<double> out) noexcept;

/// One value of `logs`, `exps`, `inverse_normals` and `normal_cdfs`, bit for bit.
double portable_log(double x) noexcept;
double portable_exp(double x) noexcept;
double inverse_normal(double u) noexcept;
double normal_cdf(double x) noexcept;

/// The positions `first + i` of the words `words[i] <= threshold`, in order, into `out` (room for `words.size()`);
/// returns how many. Compares many words at once: the survival test of a batch of names on their raw bits.
std::size_t positions_at_or_below(std::span<const std::uint32_t> words, std::uint32_t threshold, std::uint32_t first,
                                  std::uint32_t* out) noexcept;

}  // namespace computedebt
