#include <computedebt/core/random.hpp>

#include <cmath>

namespace computedebt {

namespace {

/// `Phi^{-1}(u)` for `u` in (0, 0.5], where `Phi(x)` is computed without cancellation.
/// `p_0 + p_1 x + ... + p_7 x^7` by Horner's rule.
inline double polynomial(const double (&p)[8], double x) noexcept {
  double value = p[7];
  for (int i = 6; i >= 0; --i) value = value * x + p[i];
  return value;
}

// Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988): rational approximations with a relative
// error near 1e-16 and no refinement step, so no distribution function.
constexpr double a[] = {3.3871328727963666080e0,  1.3314166789178437745e+2, 1.9715909503065514427e+3,
                        1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
                        3.3430575583588128105e+4, 2.5090809287301226727e+3};
constexpr double b[] = {1.0,
                        4.2313330701600911252e+1,
                        6.8718700749205790830e+2,
                        5.3941960214247511077e+3,
                        2.1213794301586595867e+4,
                        3.9307895800092710610e+4,
                        2.8729085735721942674e+4,
                        5.2264952788528545610e+3};
constexpr double c[] = {1.42343711074968357734e0,  4.63033784615654529590e0, 5.76949722146069140550e0,
                        3.64784832476320460504e0,  1.27045825245236838258e0, 2.41780725177450611770e-1,
                        2.27238449892691845833e-2, 7.74545014278341407640e-4};
constexpr double d[] = {1.0,
                        2.05319162663775882187e0,
                        1.67638483018380384940e0,
                        6.89767334985100004550e-1,
                        1.48103976427480074590e-1,
                        1.51986665636164571966e-2,
                        5.47593808499534494600e-4,
                        1.05075007164441684324e-9};
constexpr double e[] = {6.65790464350110377720e0,  5.46378491116411436990e0,  1.78482653991729133580e0,
                        2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
                        2.71155556874348757815e-5, 2.01033439929228813265e-7};
constexpr double f[] = {1.0,
                        5.99832206555887937690e-1,
                        1.36929880922735805310e-1,
                        1.48753612908506148525e-2,
                        7.86869131145613259100e-4,
                        1.84631831751005468180e-5,
                        1.42151175831644588870e-7,
                        2.04426310338993978564e-15};

/// The central region `|u - 0.5| <= 0.425`, odd in `u - 0.5` exactly.
inline double central_inverse_normal(double q) noexcept {
  const double r = 0.180625 - q * q;
  return q * polynomial(a, r) / polynomial(b, r);
}

double lower_inverse_normal(double u) noexcept {
  const double q = u - 0.5;
  if (q >= -0.425) return central_inverse_normal(q);
  const double r = std::sqrt(-std::log(u));
  if (r <= 5.0) return -polynomial(c, r - 1.6) / polynomial(d, r - 1.6);
  return -polynomial(e, r - 5.0) / polynomial(f, r - 5.0);
}

}  // namespace

void inverse_normals(std::span<const double> uniforms, std::span<double> out) noexcept {
  // The central formula for every value, in a loop without branches that the compiler vectorises; for u > 0.5 it
  // gives the same bits as the symmetric form of `inverse_normal`, since u - 0.5 and (1 - u) - 0.5 are exact.
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = central_inverse_normal(uniforms[i] - 0.5);
  for (std::size_t i = 0; i < out.size(); ++i)
    if (std::abs(uniforms[i] - 0.5) > 0.425) out[i] = inverse_normal(uniforms[i]);
}

double inverse_normal(double u) noexcept {
  // By symmetry; 1 - u is exact for u >= 0.5, and the upper tail keeps its precision.
  return u > 0.5 ? -lower_inverse_normal(1.0 - u) : lower_inverse_normal(u);
}

}  // namespace computedebt
