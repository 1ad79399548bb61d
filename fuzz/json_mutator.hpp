#pragma once
// A structure-aware mutator for the JSON targets: it parses the input and changes one value, key or member
// (numbers to boundary values, strings to other keys of the document, types swapped, members dropped or copied),
// so that most mutants stay well-formed JSON and reach the deal's semantic checks rather than only the parser.
// Anything that does not parse, and one mutation in three, goes to libFuzzer's own byte mutator.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace computedebt::fuzz {

using Json = nlohmann::ordered_json;

/// Deeper documents are left to the byte mutator: walking and writing them recurses, and loading refuses them.
inline constexpr int max_depth = 64;

/// Every value of `node`, depth first, and every object key, to pick mutation sites and replacements from.
/// Returns false when the document is deeper than `max_depth`.
inline bool collect(Json& node, std::vector<Json*>& values, std::vector<std::string>& keys, int depth = 0) {
  if (depth > max_depth) return false;
  values.push_back(&node);
  if (node.is_object()) {
    for (auto& [key, value] : node.items()) {
      keys.push_back(key);
      if (!collect(value, values, keys, depth + 1)) return false;
    }
  } else if (node.is_array()) {
    for (auto& value : node)
      if (!collect(value, values, keys, depth + 1)) return false;
  }
  return true;
}

inline Json boundary_number(std::mt19937_64& random) {
  static const double numbers[] = {
      0.0,    -0.0,   1.0,   -1.0, 0.5,   1e-9,   5e-324,       1.7976931348623157e308, -1e308, 1e15, 1e16, 2e9, -2e9,
      0.9999, 1.0001, 100.0, 12.0, 360.0, 1e-300, 4294967296.0, 9007199254740993.0,     2.5,    -0.5, 1e-4};
  static const std::int64_t integers[] = {0,  1,   -1,   2,          7,           12,         31,
                                          60, 120, 1024, 2147483647, -2147483648, 4294967295, 9223372036854775807};
  if (random() % 2) return numbers[random() % std::size(numbers)];
  return integers[random() % std::size(integers)];
}

inline Json random_value(std::mt19937_64& random, const std::vector<std::string>& keys, const Json& donor) {
  switch (random() % 8) {
    case 0:
      return nullptr;
    case 1:
      return random() % 2 == 0;
    case 2:
      return Json::array();
    case 3:
      return Json::object();
    case 4:
      return keys.empty() ? Json("") : Json(keys[random() % keys.size()]);
    case 5:
      return donor;
    case 6: {
      static const char* dates[] = {"2026-01-01", "2026-02-29", "2024-02-29", "9999-12-31", "0001-01-01", "2026-13-01",
                                    "2030-06-30", "",           "Aaa",        "Caa3",       "B1",         "NR"};
      return dates[random() % std::size(dates)];
    }
    default:
      return boundary_number(random);
  }
}

/// Changes one site of `document`. Returns false when nothing could be changed (or the document is too deep).
inline bool mutate(Json& document, std::mt19937_64& random) {
  std::vector<Json*> values;
  std::vector<std::string> keys;
  if (!collect(document, values, keys)) return false;
  Json& site = *values[random() % values.size()];
  const Json donor = *values[random() % values.size()];
  switch (random() % 6) {
    case 0:  // a number nudged or replaced by a boundary value
      if (site.is_number()) {
        site = random() % 2 ? boundary_number(random) : Json(site.get<double>() * (random() % 2 ? 2.0 : -1.0) + 1.0);
        return true;
      }
      [[fallthrough]];
    case 1:
      site = random_value(random, keys, donor);
      return true;
    case 2:  // a member dropped
      if (site.is_object() && !site.empty()) {
        auto it = site.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(random() % site.size()));
        const std::string key = it.key();  // a copy: erasing shifts the members the iterator points into
        site.erase(key);
        return true;
      }
      if (site.is_array() && !site.empty()) {
        site.erase(random() % site.size());
        return true;
      }
      return false;
    case 3:  // a member or element copied, perhaps under another key of the document
      if (site.is_object() && !keys.empty()) {
        site[keys[random() % keys.size()]] = donor;
        return true;
      }
      if (site.is_array()) {
        site.push_back(site.empty() ? donor : site[random() % site.size()]);
        return true;
      }
      return false;
    case 4:  // a string replaced by another key of the document (ids, names, sectors refer to each other)
      if (site.is_string() && !keys.empty()) {
        site = keys[random() % keys.size()];
        return true;
      }
      return false;
    default:  // a value wrapped or unwrapped
      if (site.is_array() && site.size() == 1) {
        site = Json(site[0]);
        return true;
      }
      site = Json::array({site});
      return true;
  }
}

/// The body of `LLVMFuzzerCustomMutator` for a target whose input is one JSON document.
inline std::size_t mutate_json(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed) {
  std::mt19937_64 random(seed);
  if (random() % 3 != 0) {
    Json document = Json::parse(data, data + size, nullptr, false);
    bool mutated = false;
    for (int tries = 0; !document.is_discarded() && !mutated && tries < 4; ++tries) mutated = mutate(document, random);
    if (mutated) {
      const std::string text = document.dump(random() % 2 ? -1 : 1);
      if (text.size() <= max_size) {
        std::memcpy(data, text.data(), text.size());
        return text.size();
      }
    }
  }
  return LLVMFuzzerMutate(data, size, max_size);
}

}  // namespace computedebt::fuzz

/// Defines libFuzzer's custom mutator as `mutate_json`, for a target whose input is one JSON document.
#define COMPUTEDEBT_FUZZ_JSON_MUTATOR                                                                        \
  extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size, \
                                                 unsigned seed) {                                            \
    return computedebt::fuzz::mutate_json(data, size, max_size, seed);                                       \
  }
