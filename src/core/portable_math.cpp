// log, exp and the inverse normal on SIMD lanes, the same bits on every target (docs/methodology.md section 7.1).
// Highway compiles this file once per target (foreach_target) and dispatches to the best one the machine runs. Only
// Add, Sub, Mul, Div and Sqrt touch the values, each correctly rounded, in the order the scalar formulas are written;
// the library is built with -ffp-contract=off so that no target fuses them. Every lane's result depends on its own
// input alone, so how a span splits into vectors never changes a bit.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "core/portable_math.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <computedebt/core/portable_math.hpp>

#include <algorithm>
#include <bit>
#include <limits>

HWY_BEFORE_NAMESPACE();
namespace computedebt::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D = hn::ScalableTag<double>;
using V = decltype(hn::Zero(D()));
using DU = hn::RebindToUnsigned<D>;

/// `p_Lo + p_{Lo+1} x + ... + p_{Lo+N-1} x^{N-1}` by Estrin's scheme: the lower half plus the upper half times the
/// largest power of two below `N`, each half alike. A path's batches are a vector or two, so the chain of dependent
/// operations sets the time, and Estrin's is logarithmic in the degree where Horner's is linear. The order of
/// operations is fixed, so every target rounds alike.
template <std::size_t Lo, std::size_t N, std::size_t Size>
V Estrin(D d, const double (&p)[Size], V x, V x2, V x4, V x8, V x16) {
  static_assert(N >= 1 && N <= 32 && Lo + N <= Size);
  if constexpr (N == 1) {
    return hn::Set(d, p[Lo]);
  } else if constexpr (N == 2) {
    return hn::Add(hn::Set(d, p[Lo]), hn::Mul(hn::Set(d, p[Lo + 1]), x));
  } else {
    constexpr std::size_t half = N > 16 ? 16 : N > 8 ? 8 : N > 4 ? 4 : 2;
    const V power = half == 16 ? x16 : half == 8 ? x8 : half == 4 ? x4 : x2;
    return hn::Add(Estrin<Lo, half>(d, p, x, x2, x4, x8, x16),
                   hn::Mul(Estrin<Lo + half, N - half>(d, p, x, x2, x4, x8, x16), power));
  }
}

/// `p_0 + p_1 x + ... + p_{N-1} x^{N-1}`.
template <std::size_t N>
V Polynomial(D d, const double (&p)[N], V x) {
  const V x2 = hn::Mul(x, x), x4 = hn::Mul(x2, x2), x8 = hn::Mul(x4, x4), x16 = hn::Mul(x8, x8);
  return Estrin<0, N>(d, p, x, x2, x4, x8, x16);
}

// fdlibm's e_log.c: log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)), s = f / (2 + f), with its minimax coefficients.
constexpr double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
constexpr double log_even[] = {3.999999999940941908e-01, 2.222219843214978396e-01, 1.531383769920937332e-01};
constexpr double log_odd[] = {6.666666666666735130e-01, 2.857142874366239149e-01, 1.818357216161805012e-01,
                              1.479819860511658591e-01};

V Log(D d, V x) {
  const DU du;
  // Subnormal inputs are scaled into the normal range by 2^54 first.
  const auto tiny = hn::Lt(x, hn::Set(d, 0x1p-1022));
  const V scaled = hn::IfThenElse(tiny, hn::Mul(x, hn::Set(d, 0x1p54)), x);
  const auto bits = hn::BitCast(du, scaled);
  // x = 2^k m with m in [sqrt(2)/2, sqrt(2)): offsetting the high word by 1 - sqrt(2)/2 carries into the exponent
  // exactly when the mantissa is above sqrt(2).
  const auto offset = hn::Add(bits, hn::Set(du, std::uint64_t{0x3ff00000 - 0x3fe6a09e} << 32));
  const auto exponent = hn::ShiftRight<52>(offset);
  const auto high = hn::Add(hn::And(hn::ShiftRight<32>(offset), hn::Set(du, 0x000fffff)), hn::Set(du, 0x3fe6a09e));
  const V m = hn::BitCast(d, hn::Or(hn::ShiftLeft<32>(high), hn::And(bits, hn::Set(du, 0xffffffffu))));
  // k as a double, exactly: 2^52 + e read as a double, less 2^52 + 1023.
  V k = hn::Sub(hn::BitCast(d, hn::Or(exponent, hn::Set(du, 0x4330000000000000u))), hn::Set(d, 4503599627371519.0));
  k = hn::IfThenElse(tiny, hn::Sub(k, hn::Set(d, 54.0)), k);
  const V f = hn::Sub(m, hn::Set(d, 1.0));
  const V half_f_squared = hn::Mul(hn::Mul(hn::Set(d, 0.5), f), f);
  const V s = hn::Div(f, hn::Add(hn::Set(d, 2.0), f));
  const V z = hn::Mul(s, s), w = hn::Mul(z, z);
  const V r = hn::Add(hn::Mul(z, Polynomial(d, log_odd, w)), hn::Mul(w, Polynomial(d, log_even, w)));
  V result = hn::Add(hn::Mul(s, hn::Add(half_f_squared, r)), hn::Mul(k, hn::Set(d, ln2_lo)));
  result = hn::Add(hn::Add(hn::Sub(result, half_f_squared), f), hn::Mul(k, hn::Set(d, ln2_hi)));
  const V infinity = hn::Set(d, std::numeric_limits<double>::infinity());
  result = hn::IfThenElse(hn::Eq(x, hn::Zero(d)), hn::Neg(infinity), result);
  result = hn::IfThenElse(hn::Eq(x, infinity), infinity, result);
  // Below zero and NaN: `x >= 0` fails for both.
  return hn::IfThenElse(hn::Not(hn::Ge(x, hn::Zero(d))), hn::Set(d, std::numeric_limits<double>::quiet_NaN()), result);
}

// fdlibm's e_exp.c: x = k ln2 + r, e^r = 1 + 2r / (2 - R(r)) by its rational approximation.
constexpr double inverse_ln2 = 1.44269504088896338700e+00;
constexpr double exp_coefficients[] = {1.66666666666666019037e-01, -2.77777777770155933842e-03,
                                       6.61375632143793436117e-05, -1.65339022054652515390e-06,
                                       4.13813679705723846039e-08};
/// `1.5 2^52`: adding it rounds a double of magnitude below 2^51 to the nearest integer, ties to even.
constexpr double round_shift = 0x1.8p52;

/// `2^n` for integer-valued `n` in [-1022, 1023]: `n + 1023` into the exponent field, through the low bits of
/// `n + 1023 + 1.5 2^52`.
V Power2(D d, V n) {
  const DU du;
  return hn::BitCast(d, hn::ShiftLeft<52>(hn::BitCast(du, hn::Add(n, hn::Set(d, round_shift + 1023.0)))));
}

V Exp(D d, V x) {
  // Beyond these bounds e^x is +inf or 0 in double; clamping keeps k within the two scalings below.
  const V clamped = hn::Min(hn::Max(x, hn::Set(d, -746.0)), hn::Set(d, 710.0));
  const V k =
      hn::Sub(hn::Add(hn::Mul(clamped, hn::Set(d, inverse_ln2)), hn::Set(d, round_shift)), hn::Set(d, round_shift));
  const V hi = hn::Sub(clamped, hn::Mul(k, hn::Set(d, ln2_hi)));
  const V lo = hn::Mul(k, hn::Set(d, ln2_lo));
  const V r = hn::Sub(hi, lo);
  const V r2 = hn::Mul(r, r);
  const V c = hn::Sub(r, hn::Mul(r2, Polynomial(d, exp_coefficients, r2)));
  const V ratio = hn::Div(hn::Mul(r, c), hn::Sub(hn::Set(d, 2.0), c));
  const V y = hn::Sub(hn::Set(d, 1.0), hn::Sub(hn::Sub(lo, ratio), hi));
  // 2^k in two factors, each a normal number, so that a subnormal result is rounded once, by the second product.
  const V k1 = hn::Sub(hn::Add(hn::Mul(k, hn::Set(d, 0.5)), hn::Set(d, round_shift)), hn::Set(d, round_shift));
  const V result = hn::Mul(hn::Mul(y, Power2(d, k1)), Power2(d, hn::Sub(k, k1)));
  return hn::IfThenElse(hn::IsNaN(x), x, result);
}

// Wichura's AS 241 (PPND16, Applied Statistics 37, 1988): rational approximations with a relative error near 1e-16.
constexpr double central_numerator[] = {3.3871328727963666080e0,  1.3314166789178437745e+2, 1.9715909503065514427e+3,
                                        1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
                                        3.3430575583588128105e+4, 2.5090809287301226727e+3};
constexpr double central_denominator[] = {1.0,
                                          4.2313330701600911252e+1,
                                          6.8718700749205790830e+2,
                                          5.3941960214247511077e+3,
                                          2.1213794301586595867e+4,
                                          3.9307895800092710610e+4,
                                          2.8729085735721942674e+4,
                                          5.2264952788528545610e+3};
constexpr double near_numerator[] = {1.42343711074968357734e0,  4.63033784615654529590e0, 5.76949722146069140550e0,
                                     3.64784832476320460504e0,  1.27045825245236838258e0, 2.41780725177450611770e-1,
                                     2.27238449892691845833e-2, 7.74545014278341407640e-4};
constexpr double near_denominator[] = {1.0,
                                       2.05319162663775882187e0,
                                       1.67638483018380384940e0,
                                       6.89767334985100004550e-1,
                                       1.48103976427480074590e-1,
                                       1.51986665636164571966e-2,
                                       5.47593808499534494600e-4,
                                       1.05075007164441684324e-9};
constexpr double far_numerator[] = {6.65790464350110377720e0,  5.46378491116411436990e0,  1.78482653991729133580e0,
                                    2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
                                    2.71155556874348757815e-5, 2.01033439929228813265e-7};
constexpr double far_denominator[] = {1.0,
                                      5.99832206555887937690e-1,
                                      1.36929880922735805310e-1,
                                      1.48753612908506148525e-2,
                                      7.86869131145613259100e-4,
                                      1.84631831751005468180e-5,
                                      1.42151175831644588870e-7,
                                      2.04426310338993978564e-15};

/// The central region |u - 0.5| <= 0.425, odd in q = u - 0.5 (exact).
V Central(D d, V q) {
  const V r = hn::Sub(hn::Set(d, 0.180625), hn::Mul(q, q));
  return hn::Div(hn::Mul(q, Polynomial(d, central_numerator, r)), Polynomial(d, central_denominator, r));
}

V InverseNormal(D d, V u) {
  const V q = hn::Sub(u, hn::Set(d, 0.5));
  const auto tail = hn::Gt(hn::Abs(q), hn::Set(d, 0.425));
  if (hn::AllFalse(d, tail)) return Central(d, q);
  // The tails in r = sqrt(-ln p), p the smaller of u and 1 - u (exact for u > 0.5), negated for the lower one.
  const auto upper = hn::Gt(u, hn::Set(d, 0.5));
  const V p = hn::IfThenElse(upper, hn::Sub(hn::Set(d, 1.0), u), u);
  const V r = hn::Sqrt(hn::Neg(Log(d, p)));
  const V near_r = hn::Sub(r, hn::Set(d, 1.6));
  V lower = hn::Div(hn::Neg(Polynomial(d, near_numerator, near_r)), Polynomial(d, near_denominator, near_r));
  const auto far = hn::And(tail, hn::Gt(r, hn::Set(d, 5.0)));
  if (!hn::AllFalse(d, far)) {
    const V far_r = hn::Sub(r, hn::Set(d, 5.0));
    lower = hn::IfThenElse(
        far, hn::Div(hn::Neg(Polynomial(d, far_numerator, far_r)), Polynomial(d, far_denominator, far_r)), lower);
  }
  const V tails = hn::IfThenElse(upper, hn::Neg(lower), lower);
  // Defaulting names' uniforms are all in the lower tail: no central formula for them.
  return hn::AllTrue(d, tail) ? tails : hn::IfThenElse(tail, tails, Central(d, q));
}

// Phi(-t) = e^{-t^2/2} g(Y) / (1 + t) for t >= 0, Y = (t - 4) / (t + 4) in [-1, 1): g is smooth on the whole
// interval (g -> 1/sqrt(2 pi) as t -> infinity), so one polynomial in Y covers every t, in the manner of Weideman's
// (1994) series for erfc. Its coefficients are the degree-26 Chebyshev interpolant of g, converted to powers of Y,
// computed at 60 digits with mpmath by scripts/normal_cdf_coefficients.py; the interpolant's truncation is below
// 1e-17 and the relative error of Phi below 1e-15 for t <= 37.
constexpr double mills_scale = 4.0;
constexpr double mills_coefficients[] = {
    0.47205320650984467,    -0.09670347732652577,   0.013999634724424498,    0.02860036405354703,
    -0.03219783742803125,   0.01793609747980673,    -0.0050023785923091375,  -0.0002856231002113136,
    0.000694897119599824,   -9.443023222675095e-05, -8.785328828762057e-05,  2.1249916632874875e-05,
    1.3627327066845333e-05, -3.431659194377822e-06, -2.61421106781172e-06,   4.029976079861743e-07,
    5.54436385775586e-07,   4.232967517926498e-09,  -1.1392337143681792e-07, -2.3306261709066313e-08,
    1.975326259349711e-08,  8.852731529197742e-09,  -2.31700790270896e-09,   -1.9046961448177137e-09,
    7.412739404702223e-11,  1.965387434436223e-10,  1.607988193400089e-11};

V NormalCdf(D d, V x) {
  // Beyond t = 40, Phi(-t) is below the smallest subnormal.
  const V t = hn::Min(hn::Abs(x), hn::Set(d, 40.0));
  const V y = hn::Div(hn::Sub(t, hn::Set(d, mills_scale)), hn::Add(t, hn::Set(d, mills_scale)));
  const V g = Polynomial(d, mills_coefficients, y);
  // e^{-t^2/2} as e^{-h^2/2} e^{-(t - h)(t + h)/2}, h = t rounded to 1/16: h^2 is exact, so the rounding of t^2
  // (relative 1e-16 t^2) does not reach the result.
  const V h = hn::Mul(hn::Sub(hn::Add(hn::Mul(t, hn::Set(d, 16.0)), hn::Set(d, round_shift)), hn::Set(d, round_shift)),
                      hn::Set(d, 0.0625));
  const V half = hn::Set(d, -0.5);
  const V gaussian =
      hn::Mul(Exp(d, hn::Mul(hn::Mul(h, h), half)), Exp(d, hn::Mul(hn::Mul(hn::Sub(t, h), hn::Add(t, h)), half)));
  const V lower = hn::Div(hn::Mul(gaussian, g), hn::Add(hn::Set(d, 1.0), t));
  const V result = hn::IfThenElse(hn::Gt(x, hn::Zero(d)), hn::Sub(hn::Set(d, 1.0), lower), lower);
  return hn::IfThenElse(hn::IsNaN(x), x, result);
}

/// `kernel` over `in` into `out`, whole vectors first, then the rest in one vector padded with its first value (so
/// that a batch of tail uniforms stays all in the tail).
template <class Kernel>
void Apply(Kernel kernel, const double* in, double* out, std::size_t n) {
  const D d;
  const std::size_t lanes = hn::Lanes(d);
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) hn::StoreU(kernel(d, hn::LoadU(d, in + i)), d, out + i);
  if (i == n) return;
  HWY_ALIGN double buffer[HWY_MAX_BYTES / sizeof(double)];
  std::fill(buffer, buffer + lanes, in[i]);
  std::copy(in + i, in + n, buffer);
  hn::Store(kernel(d, hn::Load(d, buffer)), d, buffer);
  std::copy(buffer, buffer + (n - i), out + i);
}

void Logs(const double* in, double* out, std::size_t n) {
  Apply([](D d, V x) { return Log(d, x); }, in, out, n);
}
void NormalCdfs(const double* in, double* out, std::size_t n) {
  Apply([](D d, V x) { return NormalCdf(d, x); }, in, out, n);
}
void Exps(const double* in, double* out, std::size_t n) {
  Apply([](D d, V x) { return Exp(d, x); }, in, out, n);
}
void InverseNormals(const double* in, double* out, std::size_t n) {
  const D d;
  const std::size_t lanes = hn::Lanes(d);
  // A vector with one tail lane computes the tail formula for all its lanes, and with 8 lanes three vectors in four
  // have one. So the central formula runs on whole vectors, and the tail values (15% of them) are gathered into
  // whole vectors of their own: each value's bits are the same either way.
  constexpr std::size_t chunk = 256;
  std::size_t tail_at[chunk];
  HWY_ALIGN double tail_in[chunk], tail_out[chunk];
  std::size_t start = 0;
  for (; start + lanes <= n; start += chunk) {
    const std::size_t end = std::min(n, start + chunk) / lanes * lanes;
    std::size_t tails = 0;
    for (std::size_t i = start; i < end; i += lanes) {
      const V q = hn::Sub(hn::LoadU(d, in + i), hn::Set(d, 0.5));
      // StoreMaskBits may write 8 bytes whatever the lanes.
      std::uint8_t tail_bits[std::max<std::size_t>(8, (HWY_MAX_BYTES / sizeof(double) + 7) / 8)] = {};
      hn::StoreMaskBits(d, hn::Gt(hn::Abs(q), hn::Set(d, 0.425)), tail_bits);
      // The tail values are kept before the central ones are stored: `out` may be `in`.
      for (std::size_t byte = 0; byte * 8 < lanes; ++byte)
        for (unsigned bits = tail_bits[byte]; bits != 0; bits &= bits - 1, ++tails) {
          tail_at[tails] = i + 8 * byte + static_cast<std::size_t>(std::countr_zero(bits));
          tail_in[tails] = in[tail_at[tails]];
        }
      hn::StoreU(Central(d, q), d, out + i);
    }
    Apply([](D dd, V u) { return InverseNormal(dd, u); }, tail_in, tail_out, tails);
    for (std::size_t t = 0; t < tails; ++t) out[tail_at[t]] = tail_out[t];
    if (end < start + chunk) {
      start = end;
      break;
    }
  }
  Apply([](D dd, V u) { return InverseNormal(dd, u); }, in + start, out + start, n - start);
}

std::size_t PositionsAtOrBelow(const std::uint32_t* HWY_RESTRICT words, std::size_t n, std::uint32_t threshold,
                               std::uint32_t first, std::uint32_t* HWY_RESTRICT out) {
  const hn::ScalableTag<std::int32_t> di;
  const hn::RebindToUnsigned<decltype(di)> du;
  const std::size_t lanes = hn::Lanes(di);
  // Unsigned order as signed order, by flipping the sign bit of both sides.
  const auto sign = hn::Set(du, 0x80000000u);
  const auto limit = hn::BitCast(di, hn::Xor(hn::Set(du, threshold), sign));
  const auto iota = hn::Iota(du, 0);
  std::size_t count = 0, i = 0;
  for (; i + lanes <= n; i += lanes) {
    const auto at_or_below = hn::Not(hn::Gt(hn::BitCast(di, hn::Xor(hn::LoadU(du, words + i), sign)), limit));
    // The positions of the batch's defaults packed to the front, without a branch per name.
    const auto positions = hn::Add(iota, hn::Set(du, first + static_cast<std::uint32_t>(i)));
    count += hn::CompressBlendedStore(positions, hn::RebindMask(du, at_or_below), du, out + count);
  }
  for (; i < n; ++i)
    if (words[i] <= threshold) out[count++] = first + static_cast<std::uint32_t>(i);
  return count;
}

}  // namespace computedebt::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace computedebt {

HWY_EXPORT(Logs);
HWY_EXPORT(Exps);
HWY_EXPORT(NormalCdfs);
HWY_EXPORT(InverseNormals);
HWY_EXPORT(PositionsAtOrBelow);

void logs(std::span<const double> x, std::span<double> out) noexcept {
  HWY_DYNAMIC_DISPATCH(Logs)(x.data(), out.data(), x.size());
}

void exps(std::span<const double> x, std::span<double> out) noexcept {
  HWY_DYNAMIC_DISPATCH(Exps)(x.data(), out.data(), x.size());
}

void inverse_normals(std::span<const double> u, std::span<double> out) noexcept {
  HWY_DYNAMIC_DISPATCH(InverseNormals)(u.data(), out.data(), u.size());
}

void normal_cdfs(std::span<const double> x, std::span<double> out) noexcept {
  HWY_DYNAMIC_DISPATCH(NormalCdfs)(x.data(), out.data(), x.size());
}

double normal_cdf(double x) noexcept {
  double p;
  HWY_DYNAMIC_DISPATCH(NormalCdfs)(&x, &p, 1);
  return p;
}

double portable_log(double x) noexcept {
  double y;
  HWY_DYNAMIC_DISPATCH(Logs)(&x, &y, 1);
  return y;
}

double portable_exp(double x) noexcept {
  double y;
  HWY_DYNAMIC_DISPATCH(Exps)(&x, &y, 1);
  return y;
}

double inverse_normal(double u) noexcept {
  double z;
  HWY_DYNAMIC_DISPATCH(InverseNormals)(&u, &z, 1);
  return z;
}

std::size_t positions_at_or_below(std::span<const std::uint32_t> words, std::uint32_t threshold, std::uint32_t first,
                                  std::uint32_t* out) noexcept {
  return HWY_DYNAMIC_DISPATCH(PositionsAtOrBelow)(words.data(), words.size(), threshold, first, out);
}

}  // namespace computedebt
#endif  // HWY_ONCE
