#pragma once
/// \file
/// Credit ratings on S&P's scale, as the deal file writes them.

#include <optional>
#include <string_view>

namespace computedebt::deal {

/// An S&P-style long-term rating. `CCC+` down to `C` are one bucket, `CCC/C`, as in the default study.
enum class Rating {
  AAA,
  AA_plus,
  AA,
  AA_minus,
  A_plus,
  A,
  A_minus,
  BBB_plus,
  BBB,
  BBB_minus,
  BB_plus,
  BB,
  BB_minus,
  B_plus,
  B,
  B_minus,
  CCC_C
};

/// Number of ratings, from AAA to CCC/C.
inline constexpr int rating_count = 17;

/// Parses `AAA` ... `B-`, `CCC/C`, and `CCC+`, `CCC`, `CCC-`, `CC`, `C` (all mapped to `CCC/C`).
std::optional<Rating> parse_rating(std::string_view text);

/// The canonical spelling: `AAA`, `AA+`, ..., `B-`, `CCC/C`.
std::string_view to_string(Rating rating);

/// Moody's idealised rating factor of the rating's Moody's equivalent (`AAA` 1 ... `B-` 3490; `CCC/C` 6500, Caa2's),
/// which a weighted average rating factor averages (docs/methodology.md section 5.4).
double rating_factor(Rating rating);

/// Investment grade is BBB- or better.
inline bool is_investment_grade(Rating rating) { return rating <= Rating::BBB_minus; }

}  // namespace computedebt::deal
