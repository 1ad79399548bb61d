#include <computedebt/core/random.hpp>

namespace computedebt {

namespace {

/// `Phi^{-1}(u)` for `u` in (0, 0.5], where `Phi(x)` is computed without cancellation.
double lower_inverse_normal(double u) noexcept {
  // Acklam's approximation (relative error below 1.2e-9), central or tail...
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  constexpr double low = 0.02425;
  double x;
  if (u < low) {
    const double q = std::sqrt(-2.0 * std::log(u));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else {
    const double q = u - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  }
  // ...then one Halley step, cubically convergent, brings it to double precision.
  const double e = normal_cdf(x) - u;
  const double step = e * 2.50662827463100050242 * std::exp(0.5 * x * x);
  return x - step / (1.0 + 0.5 * x * step);
}

}  // namespace

double inverse_normal(double u) noexcept {
  // By symmetry; 1 - u is exact for u >= 0.5, and the upper tail keeps its precision.
  return u > 0.5 ? -lower_inverse_normal(1.0 - u) : lower_inverse_normal(u);
}

}  // namespace computedebt
