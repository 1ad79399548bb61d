#include "json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace computedebt::io::detail {

void Problems::throw_if_any() const {
  if (!list_.empty()) throw InputError(list_);
}

bool Problems::any_at_or_under(std::string_view path) const {
  return std::any_of(list_.begin(), list_.end(), [&](const Problem& problem) {
    const std::string_view p = problem.path;
    return p.substr(0, path.size()) == path &&
           (p.size() == path.size() || p[path.size()] == '.' || p[path.size()] == '[');
  });
}

std::string member_path(std::string_view parent, std::string_view key) {
  const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (!plain) return fmt::format("{}[{}]", parent, Json(key).dump());
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string element_path(std::string_view parent, std::size_t index) { return fmt::format("{}[{}]", parent, index); }

std::string unknown_rating_message(std::string_view text) {
  return fmt::format(
      "unknown rating \"{}\"; expected AAA, AA+, AA, AA-, A+, A, A-, BBB+, BBB, BBB-, BB+, BB, BB-, "
      "B+, B, B- or CCC/C (CCC+ down to C map to CCC/C)",
      text);
}

std::string describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Json::value_t::string: {
      auto text = value.get<std::string>();
      if (text.size() > 40) text = text.substr(0, 37) + "...";
      return "string " + Json(text).dump();
    }
    case Json::value_t::number_float:
      return fmt::format("number {}", value.get<double>());
    default:
      return "number " + value.dump();
  }
}

ObjectReader::ObjectReader(const Json& value, std::string path, Problems& problems)
    : path_(std::move(path)), problems_(problems) {
  if (value.is_object())
    object_ = &value;
  else
    problems_.add(path_, fmt::format("expected an object, got {}", describe(value)));
}

ObjectReader::~ObjectReader() {
  if (!object_ || ignore_rest_) return;
  std::string accepted;
  for (const auto& key : read_) accepted += (accepted.empty() ? "" : ", ") + key;
  for (const auto& [key, value] : object_->items()) {
    if (key == "comment") {
      if (!value.is_string())
        problems_.add(member_path(path_, key), fmt::format("expected a string, got {}", describe(value)));
      continue;
    }
    if (std::find(read_.begin(), read_.end(), key) == read_.end())
      problems_.add(member_path(path_, key), fmt::format("unknown field; the fields here are: {}", accepted));
  }
}

std::optional<Field> ObjectReader::optional(std::string_view key) {
  if (!object_) return std::nullopt;
  if (std::find(read_.begin(), read_.end(), key) == read_.end()) read_.emplace_back(key);
  auto found = object_->find(key);
  if (found == object_->end()) return std::nullopt;
  return Field{*found, member_path(path_, key)};
}

std::optional<Field> ObjectReader::required(std::string_view key) {
  auto field = optional(key);
  if (!field && object_) problems_.add(member_path(path_, key), "required field is missing");
  return field;
}

bool ObjectReader::has(std::string_view key) const { return object_ && object_->contains(key); }

std::optional<double> read_number(const Field& field, Problems& problems, const Range& range) {
  if (!field.value.is_number()) {
    problems.add(field.path, fmt::format("expected {}, got {}", range.expected, describe(field.value)));
    return std::nullopt;
  }
  const double x = field.value.get<double>();
  if (!std::isfinite(x) || !range.contains(x)) {
    problems.add(field.path, fmt::format("expected {}, got {}", range.expected, describe(field.value)));
    return std::nullopt;
  }
  return x;
}

std::optional<std::int64_t> read_integer(const Field& field, Problems& problems, std::int64_t low, std::int64_t high) {
  const auto complain = [&] {
    problems.add(field.path,
                 fmt::format("expected a whole number in [{}, {}], got {}", low, high, describe(field.value)));
    return std::nullopt;
  };
  if (field.value.is_number_integer()) {
    // Unsigned values above the int64 range would wrap: compare as unsigned first.
    if (field.value.is_number_unsigned() && field.value.get<std::uint64_t>() > static_cast<std::uint64_t>(high))
      return complain();
    const auto n = field.value.get<std::int64_t>();
    if (n < low || n > high) return complain();
    return n;
  }
  if (field.value.is_number_float()) {
    const double x = field.value.get<double>();
    if (!std::isfinite(x) || x != std::floor(x) || x < static_cast<double>(low) || x > static_cast<double>(high))
      return complain();
    return static_cast<std::int64_t>(x);
  }
  return complain();
}

std::optional<bool> read_bool(const Field& field, Problems& problems) {
  if (field.value.is_boolean()) return field.value.get<bool>();
  problems.add(field.path, fmt::format("expected true or false, got {}", describe(field.value)));
  return std::nullopt;
}

std::optional<std::string> read_string(const Field& field, Problems& problems) {
  if (field.value.is_string()) return field.value.get<std::string>();
  problems.add(field.path, fmt::format("expected a string, got {}", describe(field.value)));
  return std::nullopt;
}

std::optional<std::string> read_id(const Field& field, Problems& problems) {
  if (field.value.is_string() && !field.value.get_ref<const std::string&>().empty())
    return field.value.get<std::string>();
  problems.add(field.path, fmt::format("expected a non-empty string, got {}", describe(field.value)));
  return std::nullopt;
}

std::optional<Date> read_date(const Field& field, Problems& problems) {
  if (field.value.is_string())
    if (auto date = parse_date(field.value.get_ref<const std::string&>())) return date;
  problems.add(field.path, fmt::format("expected a date YYYY-MM-DD, got {}", describe(field.value)));
  return std::nullopt;
}

std::optional<std::vector<Field>> read_array(const Field& field, Problems& problems, bool allow_empty) {
  if (!field.value.is_array() || (!allow_empty && field.value.empty())) {
    problems.add(field.path,
                 fmt::format("expected {}, got {}", allow_empty ? "an array" : "a non-empty array",
                             field.value.is_array() ? std::string("an empty array") : describe(field.value)));
    return std::nullopt;
  }
  std::vector<Field> elements;
  elements.reserve(field.value.size());
  for (std::size_t i = 0; i < field.value.size(); ++i)
    elements.push_back({field.value[i], element_path(field.path, i)});
  return elements;
}

std::optional<std::vector<std::pair<std::string, Field>>> read_map(const Field& field, Problems& problems) {
  if (!field.value.is_object()) {
    problems.add(field.path, fmt::format("expected an object, got {}", describe(field.value)));
    return std::nullopt;
  }
  std::vector<std::pair<std::string, Field>> members;
  for (const auto& [key, value] : field.value.items()) {
    // Any object may carry a comment, maps keyed by ids included.
    if (key == "comment" && value.is_string()) continue;
    members.emplace_back(key, Field{value, member_path(field.path, key)});
  }
  return members;
}

std::optional<std::vector<double>> read_numbers(const Field& field, Problems& problems, const Range& range) {
  auto elements = read_array(field, problems, false);
  if (!elements) return std::nullopt;
  std::vector<double> numbers;
  bool complete = true;
  for (const auto& element : *elements) {
    if (auto x = read_number(element, problems, range))
      numbers.push_back(*x);
    else
      complete = false;
  }
  if (!complete) return std::nullopt;
  return numbers;
}

}  // namespace computedebt::io::detail
