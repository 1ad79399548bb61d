#include <computedebt/calibration/rating_table.hpp>
#include <computedebt/core/error.hpp>

#include <nlohmann/json.hpp>

namespace computedebt::calibration {

namespace detail {
extern const char* const rating_table_json;
}  // namespace detail

namespace {

RatingTable parse_rating_table(const char* text) {
  const auto document = nlohmann::json::parse(text);
  RatingTable table;
  table.source = document.at("source").get<std::string>();
  table.years = document.at("years").get<std::vector<int>>();
  const double scale = document.at("unit").get<std::string>() == "percent" ? 0.01 : 1.0;
  for (int r = 0; r < deal::rating_count; ++r) {
    const auto rating = static_cast<deal::Rating>(r);
    auto rates =
        document.at("cumulative_default_rates").at(std::string(deal::to_string(rating))).get<std::vector<double>>();
    require(rates.size() == table.years.size(), "rating table row {} has {} entries, expected {}",
            deal::to_string(rating), rates.size(), table.years.size());
    for (double& rate : rates) rate *= scale;
    table.cumulative_default[static_cast<std::size_t>(r)] = std::move(rates);
  }
  return table;
}

}  // namespace

const RatingTable& sp_global_corporate_default_rates() {
  static const RatingTable table = parse_rating_table(detail::rating_table_json);
  return table;
}

}  // namespace computedebt::calibration
