#include <computedebt/deal/rating.hpp>

#include <array>

namespace computedebt::deal {

namespace {
constexpr std::array<std::string_view, rating_count> spellings{
    "AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-", "BB+", "BB", "BB-", "B+", "B", "B-", "CCC/C"};
// Moody's idealised rating factors, Aaa to B3, then Caa2's for the pooled CCC/C bucket (Caa1 to C span 4770 to
// 10000).
constexpr std::array<double, rating_count> factors{1,   10,  20,   40,   70,   120,  180,  260, 360,
                                                   610, 940, 1350, 1766, 2220, 2720, 3490, 6500};
}  // namespace

std::optional<Rating> parse_rating(std::string_view text) {
  for (std::size_t i = 0; i < spellings.size(); ++i)
    if (text == spellings[i]) return static_cast<Rating>(i);
  // S&P's default study pools everything from CCC+ down in one CCC/C row.
  for (std::string_view below_b : {"CCC+", "CCC", "CCC-", "CC", "C"})
    if (text == below_b) return Rating::CCC_C;
  return std::nullopt;
}

std::string_view to_string(Rating rating) { return spellings[static_cast<std::size_t>(rating)]; }

double rating_factor(Rating rating) { return factors[static_cast<std::size_t>(rating)]; }

}  // namespace computedebt::deal
