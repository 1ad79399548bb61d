#pragma once
/// \file
/// The GPU market model of one GPU type: residual value, rent, and the stochastic multiplier.

#include <computedebt/assumptions/factors.hpp>
#include <computedebt/core/date.hpp>

#include <variant>
#include <vector>

namespace computedebt::assumptions {

/// `D(age) = exp(-d age)`, a continuous rate of decline.
struct ExponentialDecline {
  double annual_decline;  ///< >= 0.

  bool operator==(const ExponentialDecline&) const = default;
};

/// Residual fraction by age, linear between points, flat after the last, starting at (0, 1) unless given.
struct ResidualTable {
  std::vector<double> ages_years;  ///< >= 0, strictly increasing.
  std::vector<double> fractions;   ///< In [0, 1].

  bool operator==(const ResidualTable&) const = default;
};

/// The deterministic residual-value curve `D_g(age)`.
using ResidualValue = std::variant<ExponentialDecline, ResidualTable>;

/// `D(age)`, the fraction of the purchase price a GPU of `age` years is worth before the market multiplier.
double residual_fraction(const ResidualValue& curve, double age);

/// `r(t) = r0 exp(-d_r tau(t0, t))`.
struct RentDecline {
  double initial_per_gpu_hour;  ///< >= 0.
  double annual_decline;

  bool operator==(const RentDecline&) const = default;
};

/// Rent by time from `t0`, linear between points and flat outside.
struct RentTable {
  std::vector<double> times_years;   ///< >= 0, strictly increasing.
  std::vector<double> per_gpu_hour;  ///< >= 0.

  bool operator==(const RentTable&) const = default;
};

/// The deterministic spot rent index `r_g(t)`.
using Rent = std::variant<RentDecline, RentTable>;

/// `r(t)` per GPU-hour at `t` years from `t0`.
double rent_index(const Rent& rent, double t);

/// A next-generation launch: a known drop of the multiplier in the month containing `date`.
struct Launch {
  Date date;
  double jump_size;  ///< The multiplier is scaled by `1 - jump_size`; in [0, 1).

  bool operator==(const Launch&) const = default;
};

/// Obsolescence: compensated Poisson jumps plus scheduled launches.
struct Obsolescence {
  double jump_intensity = 0.0;  ///< Jumps per year, >= 0.
  double jump_size = 0.0;       ///< In [0, 1).
  std::vector<Launch> launches;

  bool operator==(const Obsolescence&) const = default;
};

/// The market model of one GPU type (docs/methodology.md section 3).
struct GpuMarket {
  ResidualValue residual_value;
  Rent rent;
  double volatility;  ///< Annual volatility of `ln M`, >= 0.
  FactorLoadings factor_loadings;
  double initial_multiplier = 1.0;  ///< `M(t0)` > 0.
  Obsolescence obsolescence;

  bool operator==(const GpuMarket&) const = default;
};

}  // namespace computedebt::assumptions
