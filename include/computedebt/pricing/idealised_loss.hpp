#pragma once
/// \file
/// Moody's idealised cumulative expected loss rates, which map a tranche's expected loss and WAL to a rating.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace computedebt::pricing {

/// Idealised cumulative expected losses by rating (best first) and whole year.
struct IdealisedLossTable {
  std::string source;                              ///< Publication the figures come from.
  std::vector<std::string> ratings;                ///< `Aaa` to `Caa3`.
  std::vector<int> years;                          ///< 1 to 10.
  std::vector<std::vector<double>> expected_loss;  ///< Per rating, per year, as fractions of notional.

  /// The idealised expected loss of `ratings[rating]` at `wal_years`: linear between whole years, the first
  /// year's below it and the last year's above.
  double expected_loss_at(std::size_t rating, double wal_years) const;
  /// The best rating whose idealised expected loss at `wal_years` is at least `expected_loss`; `Ca` beyond Caa3.
  std::string implied_rating(double expected_loss, double wal_years) const;
  /// The index of a rating symbol, if the table has it.
  std::optional<std::size_t> find(std::string_view rating) const;
};

/// Moody's idealised cumulative expected loss rates, years 1-10 (bundled with the library).
const IdealisedLossTable& moodys_idealised_expected_loss();

}  // namespace computedebt::pricing
