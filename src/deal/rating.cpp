#include <computedebt/deal/rating.hpp>

#include <array>

namespace computedebt::deal {

namespace {
constexpr std::array<std::string_view, rating_count> spellings{
    "AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-", "BB+", "BB", "BB-", "B+", "B", "B-", "CCC/C"};
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

}  // namespace computedebt::deal
