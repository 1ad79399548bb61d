#pragma once
// Reading typed values out of a JSON document while collecting every problem with its JSON path.
// Private to the io stage.

#include <computedebt/core/date.hpp>
#include <computedebt/core/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace computedebt::io::detail {

using Json = nlohmann::ordered_json;

/// The problems found so far, in the order found.
class Problems {
 public:
  void add(std::string path, std::string message) { list_.push_back({std::move(path), std::move(message)}); }
  std::size_t size() const { return list_.size(); }
  bool empty() const { return list_.empty(); }
  /// Whether a problem was found at `path` or inside it; checks that combine fields skip what is already refused.
  bool any_at_or_under(std::string_view path) const;
  /// Throws `InputError` with everything collected, if anything was.
  void throw_if_any() const;

 private:
  std::vector<Problem> list_;
};

/// `parent.key`, or `parent["key with spaces"]` when the key is not a plain name.
std::string member_path(std::string_view parent, std::string_view key);
/// `parent[index]`.
std::string element_path(std::string_view parent, std::size_t index);
/// The message for a rating that is not on the scale.
std::string unknown_rating_message(std::string_view text);
/// A short description of a JSON value for messages: `string "abc"`, `number -3`, `an object`.
std::string describe(const Json& value);

/// A JSON value and where it sits in the document.
struct Field {
  const Json& value;
  std::string path;
};

/// Reads the members of one JSON object. Reports a non-object once, and on destruction every member
/// that was never asked for (except `comment`, which any object may carry) as an unknown field.
class ObjectReader {
 public:
  ObjectReader(const Json& value, std::string path, Problems& problems);
  ~ObjectReader();
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  /// Whether the value is an object at all.
  bool valid() const { return object_ != nullptr; }
  const std::string& path() const { return path_; }
  Problems& problems() const { return problems_; }

  /// The member, reporting it as missing if absent.
  std::optional<Field> required(std::string_view key);
  /// The member if present.
  std::optional<Field> optional(std::string_view key);
  /// Whether the member is present (does not mark it as read).
  bool has(std::string_view key) const;
  /// Marks every member as read: once a `type` is unknown, its siblings cannot be judged.
  void ignore_rest() { ignore_rest_ = true; }

 private:
  const Json* object_ = nullptr;
  std::string path_;
  Problems& problems_;
  std::vector<std::string> read_;
  bool ignore_rest_ = false;
};

/// An interval of accepted numbers and how to say it in a message.
struct Range {
  double low;
  double high;
  bool low_inclusive;
  bool high_inclusive;
  std::string_view expected;

  bool contains(double x) const {
    return (low_inclusive ? x >= low : x > low) && (high_inclusive ? x <= high : x < high);
  }
};

inline constexpr double infinity = std::numeric_limits<double>::infinity();
inline constexpr Range any_number{-infinity, infinity, true, true, "a finite number"};
inline constexpr Range positive{0.0, infinity, false, true, "a positive number"};
inline constexpr Range non_negative{0.0, infinity, true, true, "a number >= 0"};
inline constexpr Range fraction{0.0, 1.0, true, true, "a fraction in [0, 1]"};
inline constexpr Range fraction_below_one{0.0, 1.0, true, false, "a fraction in [0, 1)"};
inline constexpr Range correlation_entry{-1.0, 1.0, true, true, "a correlation in [-1, 1]"};

std::optional<double> read_number(const Field& field, Problems& problems, const Range& range = any_number);
std::optional<std::int64_t> read_integer(const Field& field, Problems& problems, std::int64_t low, std::int64_t high);
std::optional<bool> read_bool(const Field& field, Problems& problems);
std::optional<std::string> read_string(const Field& field, Problems& problems);
/// A non-empty string used as an identifier.
std::optional<std::string> read_id(const Field& field, Problems& problems);
std::optional<Date> read_date(const Field& field, Problems& problems);

/// The array's elements as fields, or nothing (and a problem) if the value is not an array.
std::optional<std::vector<Field>> read_array(const Field& field, Problems& problems, bool allow_empty = true);
/// The object's members as fields keyed by name, or nothing (and a problem) if not an object. A string
/// `comment` member is skipped.
std::optional<std::vector<std::pair<std::string, Field>>> read_map(const Field& field, Problems& problems);
/// A non-empty array of numbers in `range`; nothing if any element is bad.
std::optional<std::vector<double>> read_numbers(const Field& field, Problems& problems,
                                                const Range& range = any_number);

/// Convenience: read a member with one of the readers above, if present.
template <class Reader, class... Args>
auto read_member(ObjectReader& object, std::string_view key, bool required, Reader reader, Args&&... args)
    -> decltype(reader(std::declval<const Field&>(), object.problems(), std::forward<Args>(args)...)) {
  auto field = required ? object.required(key) : object.optional(key);
  if (!field) return std::nullopt;
  return reader(*field, object.problems(), std::forward<Args>(args)...);
}

}  // namespace computedebt::io::detail
