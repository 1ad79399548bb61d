#pragma once
/// \file
/// The deal's discount curve: continuously compounded Act/365F zero rates.

#include <variant>
#include <vector>

namespace computedebt::assumptions {

/// One zero rate for every maturity.
struct FlatCurve {
  double rate;

  bool operator==(const FlatCurve&) const = default;
};

/// Zero rates at tenors, linear in rate between them and flat outside.
struct ZeroCurve {
  std::vector<double> tenors_years;  ///< Positive, strictly increasing.
  std::vector<double> rates;         ///< One per tenor.

  bool operator==(const ZeroCurve&) const = default;
};

/// One of the discount-curve types of the deal format.
using DiscountCurve = std::variant<FlatCurve, ZeroCurve>;

/// The zero rate at `t` years: `z(t)`, so that the discount factor is `exp(-z(t) t)`.
double zero_rate(const DiscountCurve& curve, double t);

}  // namespace computedebt::assumptions
