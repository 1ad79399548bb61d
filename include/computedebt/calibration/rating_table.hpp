#pragma once
/// \file
/// The bundled table of average cumulative default rates by rating and year.

#include <computedebt/deal/rating.hpp>

#include <array>
#include <string>
#include <vector>

namespace computedebt::calibration {

/// Cumulative default rates by rating, at whole years after rating.
struct RatingTable {
  std::string source;      ///< Publication the figures come from.
  std::vector<int> years;  ///< 1, 2, ..., N.
  /// Per rating (indexed by `deal::Rating`), the cumulative default probability at each of `years` (fractions).
  std::array<std::vector<double>, deal::rating_count> cumulative_default;

  /// Cumulative default probability of `rating` within `years[index]` years.
  double default_probability(deal::Rating rating, std::size_t index) const {
    return cumulative_default[static_cast<std::size_t>(rating)][index];
  }
};

/// S&P's global corporate average cumulative default rates, 1981-2024, years 1-10 (bundled with the library).
const RatingTable& sp_global_corporate_default_rates();

}  // namespace computedebt::calibration
