#pragma once
/// \file
/// Floating-rate indices: a projection curve bootstrapped from market quotes, and optionally Hull-White dynamics
/// (docs/methodology.md section 5.5).

#include <computedebt/assumptions/credit.hpp>
#include <computedebt/assumptions/factors.hpp>

#include <optional>
#include <vector>

namespace computedebt::assumptions {

/// The overnight index whose conventions (calendar, day count, fixing days) the quotes follow, as QuantLib
/// defines them.
enum class OvernightIndex { sofr, sonia, estr };

/// One par quote of the index curve: a deposit's simple rate or an overnight-indexed swap's fixed rate.
struct RateQuote {
  Tenor tenor;
  double rate;

  bool operator==(const RateQuote&) const = default;
};

/// Hull-White one-factor dynamics of the index's short rate, fitted to its curve: `dr = (theta(t) - a r) dt +
/// sigma dW`, with `dW` loading on the systematic factors as GPU market noise does.
struct HullWhiteModel {
  double mean_reversion;  ///< `a` per year, > 0.
  double volatility;      ///< `sigma`, absolute per sqrt(year), > 0.
  FactorLoadings factor_loadings;

  bool operator==(const HullWhiteModel&) const = default;
};

/// A rate index: its quotes, in maturity order within each kind, and its model.
struct RateIndex {
  OvernightIndex conventions = OvernightIndex::sofr;
  std::vector<RateQuote> deposits;
  std::vector<RateQuote> ois_swaps;
  std::optional<HullWhiteModel> hull_white;  ///< None: the index follows its projection curve.

  bool operator==(const RateIndex&) const = default;
};

}  // namespace computedebt::assumptions
