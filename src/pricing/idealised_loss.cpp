#include <computedebt/core/error.hpp>
#include <computedebt/pricing/idealised_loss.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::pricing {

namespace detail {
extern const char* const idealised_loss_json;
}

double IdealisedLossTable::expected_loss_at(std::size_t rating, double wal_years) const {
  const auto& row = expected_loss.at(rating);
  const double first = years.front(), last = years.back();
  if (wal_years <= first) return row.front();
  if (wal_years >= last) return row.back();
  const auto below = static_cast<std::size_t>(std::floor(wal_years)) - static_cast<std::size_t>(first);
  const double fraction = wal_years - std::floor(wal_years);
  return row[below] + fraction * (row[below + 1] - row[below]);
}

std::string IdealisedLossTable::implied_rating(double expected_loss_value, double wal_years) const {
  for (std::size_t r = 0; r < ratings.size(); ++r)
    if (expected_loss_at(r, wal_years) >= expected_loss_value) return ratings[r];
  return "Ca";
}

std::optional<std::size_t> IdealisedLossTable::find(std::string_view rating) const {
  const auto found = std::find(ratings.begin(), ratings.end(), rating);
  if (found == ratings.end()) return std::nullopt;
  return static_cast<std::size_t>(found - ratings.begin());
}

const IdealisedLossTable& moodys_idealised_expected_loss() {
  static const IdealisedLossTable table = [] {
    const auto json = nlohmann::json::parse(detail::idealised_loss_json);
    IdealisedLossTable t;
    t.source = json.at("source").get<std::string>();
    t.ratings = json.at("ratings").get<std::vector<std::string>>();
    t.years = json.at("years").get<std::vector<int>>();
    t.expected_loss = json.at("expected_loss").get<std::vector<std::vector<double>>>();
    require(t.expected_loss.size() == t.ratings.size(), "the idealised loss table needs a row per rating");
    for (std::size_t y = 1; y < t.years.size(); ++y)
      require(t.years[y] == t.years[y - 1] + 1, "the idealised loss table needs consecutive whole years");
    return t;
  }();
  return table;
}

}  // namespace computedebt::pricing
