#pragma once
/// \file
/// Credit assumptions: survival-curve sources, sector defaults and per-counterparty overrides.

#include <computedebt/assumptions/factors.hpp>
#include <computedebt/deal/rating.hpp>

#include <optional>
#include <variant>
#include <vector>

namespace computedebt::assumptions {

/// A flat hazard rate `h`: `S(t) = exp(-h tau(t0, t))`.
struct HazardRate {
  double hazard_rate;

  bool operator==(const HazardRate&) const = default;
};

/// A default probability `p` at a horizon, met exactly on the month grid by a flat hazard.
struct DefaultProbability {
  double default_probability;  ///< In [0, 1).
  double horizon_years;        ///< > 0.

  bool operator==(const DefaultProbability&) const = default;
};

/// A CDS maturity, as `nM` or `nY`.
struct Tenor {
  int length;     ///< > 0.
  bool in_years;  ///< `Y` rather than `M`.

  int months() const { return in_years ? 12 * length : length; }
  bool operator==(const Tenor&) const = default;
};

/// One CDS par spread quote.
struct CdsQuote {
  Tenor tenor;
  double spread_bp;  ///< > 0.

  bool operator==(const CdsQuote&) const = default;
};

/// CDS par spreads, bootstrapped on the deal's discount curve.
struct CdsSpreads {
  std::vector<CdsQuote> quotes;  ///< Sorted by maturity, distinct maturities.
  double cds_recovery = 0.4;     ///< Recovery assumed by the CDS market, in [0, 1).

  bool operator==(const CdsSpreads&) const = default;
};

/// The bundled rating table's curve for a rating.
struct RatingCurve {
  deal::Rating rating;

  bool operator==(const RatingCurve&) const = default;
};

/// Where a counterparty's survival curve comes from.
using CurveSource = std::variant<HazardRate, DefaultProbability, CdsSpreads, RatingCurve>;

/// Defaults for every counterparty of one sector.
struct SectorAssumptions {
  FactorLoadings factor_loadings;  ///< None: independent of the factors.
  double recovery_rate = 0.4;      ///< In [0, 1].
  double pd_multiplier = 1.0;      ///< `S(t)^m`; >= 0.

  bool operator==(const SectorAssumptions&) const = default;
};

/// One counterparty's view; each field present overrides its sector's.
struct CreditAssumptions {
  std::optional<CurveSource> curve;  ///< None: the counterparty's deal rating.
  std::optional<double> recovery_rate;
  std::optional<FactorLoadings> factor_loadings;  ///< Replaces the sector's as a whole.
  std::optional<double> pd_multiplier;

  bool operator==(const CreditAssumptions&) const = default;
};

}  // namespace computedebt::assumptions
