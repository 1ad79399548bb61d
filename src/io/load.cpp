#include <computedebt/io/load.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <set>

#include "readers.hpp"

namespace computedebt::io {

namespace {

using detail::Json;
using detail::Problems;

constexpr int max_depth = 64;

/// Follows the parser's events to know the JSON path of the value being read, so that a syntax error,
/// a duplicate key or excessive nesting can be reported where it is.
class PathTracker {
 public:
  struct TooDeep {};

  bool on_event(int depth, Json::parse_event_t event, const Json& parsed, Problems& problems) {
    using Event = Json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        if (depth >= max_depth) {
          too_deep_path_ = path();
          throw TooDeep{};
        }
        frames_.push_back({event == Event::array_start, 0, {}, {}});
        break;
      case Event::key: {
        auto& frame = frames_.back();
        frame.key = parsed.get<std::string>();
        if (!frame.keys.insert(frame.key).second)
          problems.add(path(), fmt::format("duplicate key \"{}\" in the same object", frame.key));
        break;
      }
      case Event::object_end:
      case Event::array_end:
        frames_.pop_back();
        next_element();
        break;
      case Event::value:
        next_element();
        break;
    }
    return true;
  }

  /// The path of the value being read now.
  std::string path() const {
    std::string text;
    for (const auto& frame : frames_)
      text = frame.is_array ? detail::element_path(text, frame.index)
                            : (frame.key.empty() ? text : detail::member_path(text, frame.key));
    return text;
  }

  const std::string& too_deep_path() const { return too_deep_path_; }

 private:
  struct Frame {
    bool is_array;
    std::size_t index;
    std::string key;
    std::set<std::string> keys;
  };
  /// A value is complete: the next one is the array's next element, or an object's next key.
  void next_element() {
    if (frames_.empty()) return;
    if (frames_.back().is_array)
      ++frames_.back().index;
    else
      frames_.back().key.clear();
  }
  std::vector<Frame> frames_;
  std::string too_deep_path_;
};

/// nlohmann's messages start with `[json.exception.parse_error.101] `; the rest is the useful part.
std::string strip_exception_id(const std::string& what) {
  const auto end = what.find("] ");
  return what.rfind("[json.exception.", 0) == 0 && end != std::string::npos ? what.substr(end + 2) : what;
}

/// The length of the valid UTF-8 sequence starting at `text[i]`, or 0 if the bytes there are not one (RFC 3629:
/// no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length;
  unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return length;
}

/// `text` with every byte that is not part of valid UTF-8 written as `\xNN`: messages quote the parser's last
/// bytes read and file names, and must stay valid UTF-8 for Python and for JSON output.
std::string escape_invalid_utf8(std::string_view text) {
  std::string escaped;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t length = utf8_sequence(text, i)) {
      escaped.append(text.substr(i, length));
      i += length;
    } else {
      escaped += fmt::format("\\x{:02X}", static_cast<unsigned char>(text[i]));
      ++i;
    }
  }
  return escaped;
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

/// The patch without its entries under `credit`, `sectors` and `gpu_market` that name nothing of `deal` (no
/// counterparty, no sector a counterparty belongs to, no GPU type): each is reported, naming the patch, since it
/// would add an entry that changes nothing. Lists of the deal that were themselves refused are not judged.
Json without_unknown_entries(Json patch, const deal::Deal& deal, const std::string& name, Problems& problems) {
  const bool counterparties_valid = !problems.any_at_or_under("deal.counterparties");
  const bool gpu_types_valid = !problems.any_at_or_under("deal.gpu_types");
  const auto is_counterparty = [&](const std::string& key) {
    return std::any_of(deal.counterparties.begin(), deal.counterparties.end(),
                       [&](const deal::Counterparty& c) { return c.id == key; });
  };
  const auto is_used_sector = [&](const std::string& key) {
    return std::any_of(deal.counterparties.begin(), deal.counterparties.end(),
                       [&](const deal::Counterparty& c) { return c.sector == key; });
  };
  const auto is_gpu_type = [&](const std::string& key) {
    return std::any_of(deal.gpu_types.begin(), deal.gpu_types.end(),
                       [&](const deal::GpuType& g) { return g.id == key; });
  };
  struct Section {
    const char* member;
    bool judged;
    std::function<bool(const std::string&)> known;
    const char* expected;
  };
  const Section sections[] = {
      {"credit", counterparties_valid, is_counterparty, "a counterparty of the deal"},
      {"sectors", counterparties_valid, is_used_sector, "the sector of a counterparty of the deal"},
      {"gpu_market", gpu_types_valid, is_gpu_type, "a GPU type of the deal"},
  };
  for (const auto& section : sections) {
    if (!section.judged || !patch.contains(section.member) || !patch[section.member].is_object()) continue;
    auto& entries = patch[section.member];
    std::vector<std::string> unknown;
    for (const auto& [key, value] : entries.items())
      if (key != "comment" && !section.known(key)) unknown.push_back(key);
    for (const auto& key : unknown) {
      problems.add(detail::member_path(detail::member_path("assumptions", section.member), key),
                   fmt::format("scenario {} patches \"{}\", which is not {}: the patch would change nothing", name, key,
                               section.expected));
      entries.erase(key);
    }
  }
  return patch;
}

}  // namespace

Json parse_json(std::string_view text, std::string_view source) {
  if (is_blank(text)) throw InputError({{"", fmt::format("{} is empty: expected a JSON document", source)}});
  Problems problems;
  PathTracker tracker;
  Json document;
  try {
    document = Json::parse(text, [&](int depth, Json::parse_event_t event, Json& parsed) {
      return tracker.on_event(depth, event, parsed, problems);
    });
  } catch (const PathTracker::TooDeep&) {
    throw InputError(
        {{tracker.too_deep_path(), escape_invalid_utf8(fmt::format(
                                       "{} nests objects and arrays more than {} levels deep", source, max_depth))}});
  } catch (const Json::exception& error) {
    // The parser quotes the bytes it last read, which may be the invalid ones: escape them.
    const std::string raw = strip_exception_id(error.what());
    const std::string detail = escape_invalid_utf8(raw);
    const bool bad_utf8 = detail != raw || detail.find("UTF-8") != std::string::npos;
    throw InputError(
        {{tracker.path(), bad_utf8 ? fmt::format("{} is not valid UTF-8 text (JSON must be UTF-8): {}",
                                                 escape_invalid_utf8(source), detail)
                                   : fmt::format("{} is not valid JSON: {}", escape_invalid_utf8(source), detail)}});
  }
  problems.throw_if_any();
  return document;
}

Json read_json_file(const std::filesystem::path& path) {
  const std::string name = escape_invalid_utf8(path.string());
  std::ifstream file(path, std::ios::binary);
  std::error_code error;
  if (!file || std::filesystem::is_directory(path, error))
    throw InputError({{"", fmt::format("cannot read {}: no such file, or not a readable file", name)}});
  const auto too_large = [&] {
    return InputError({{"", fmt::format("{} is larger than {} bytes (256 MiB), the largest JSON file read "
                                        "(docs/deal_format.md section 7)",
                                        name, max_file_bytes)}});
  };
  // A regular file is judged by its size before a byte is read; anything else (a pipe, /dev/zero) is read in
  // chunks and refused as soon as it passes the bound.
  const auto size = std::filesystem::is_regular_file(path, error) ? std::filesystem::file_size(path, error)
                                                                  : static_cast<std::uintmax_t>(-1);
  if (!error && size != static_cast<std::uintmax_t>(-1) && size > max_file_bytes) throw too_large();
  std::array<char, 1 << 16> chunk;
  std::string text;
  // Reserved (not touched) up front, so that growing never doubles the buffer past the bound.
  text.reserve(static_cast<std::size_t>(std::min(size, max_file_bytes)) + chunk.size());
  while (file) {
    file.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    text.append(chunk.data(), static_cast<std::size_t>(file.gcount()));
    if (text.size() > max_file_bytes) throw too_large();
  }
  if (file.bad()) throw InputError({{"", fmt::format("cannot read {}: a read error", name)}});
  return parse_json(text, name);
}

Json apply_scenarios(Json assumptions, std::span<const Json> patches) {
  Problems problems;
  for (std::size_t i = 0; i < patches.size(); ++i) {
    if (!patches[i].is_object()) {
      problems.add(detail::element_path("scenarios", i),
                   fmt::format("expected an object (a JSON merge patch of the assumptions), got {}",
                               detail::describe(patches[i])));
      continue;
    }
    assumptions.merge_patch(patches[i]);
  }
  problems.throw_if_any();
  return assumptions;
}

DealFile load_deal_json(const Json& document, const std::optional<Json>& assumptions, std::span<const Json> scenarios,
                        std::span<const std::string> scenario_names) {
  Problems problems;
  DealFile file;
  {
    detail::ObjectReader root(document, "", problems);
    if (!root.valid()) problems.throw_if_any();
    if (auto version = detail::read_member(root, "format_version", true, detail::read_integer, 1, 1000)) {
      if (*version != format_version)
        problems.add("format_version", fmt::format("unsupported format_version {}: this version of computedebt reads "
                                                   "format {}",
                                                   *version, format_version));
    }
    if (auto deal = root.required("deal")) file.deal = detail::read_deal(deal->value, deal->path, problems);

    // Replacement assumptions take the place of the file's own, which are then not read at all.
    std::optional<Json> chosen = assumptions;
    auto own = assumptions ? root.optional("assumptions") : root.required("assumptions");
    if (!chosen && own) chosen = own->value;
    if (chosen) {
      try {
        std::vector<Json> patches;
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
          const std::string name = i < scenario_names.size() ? scenario_names[i] : detail::element_path("scenarios", i);
          patches.push_back(scenarios[i].is_object() ? without_unknown_entries(scenarios[i], file.deal, name, problems)
                                                     : scenarios[i]);
        }
        const Json merged = apply_scenarios(*chosen, patches);
        file.assumptions = detail::read_assumptions(merged, "assumptions", problems);
        if (document.contains("deal") && document["deal"].is_object())
          detail::check_deal_against_assumptions(file.deal, file.assumptions, "assumptions", problems);
      } catch (const InputError& error) {
        for (const auto& problem : error.problems()) problems.add(problem.path, problem.message);
      }
    }
  }
  problems.throw_if_any();
  return file;
}

DealFile load_deal_string(std::string_view text, std::string_view source) {
  return load_deal_json(parse_json(text, source));
}

DealFile load_deal(const std::filesystem::path& path, const LoadOptions& options) {
  // Every file is read before anything is reported, so that one run lists all problems.
  Problems problems;
  const auto read = [&](const std::filesystem::path& file) -> std::optional<Json> {
    try {
      return read_json_file(file);
    } catch (const InputError& error) {
      for (const auto& problem : error.problems()) problems.add(problem.path, problem.message);
      return std::nullopt;
    }
  };
  auto document = read(path);
  std::optional<Json> assumptions;
  if (options.assumptions) assumptions = read(*options.assumptions);
  std::vector<Json> scenarios;
  std::vector<std::string> scenario_names;
  for (const auto& scenario : options.scenarios) {
    auto patch = read(scenario);
    if (patch && !patch->is_object())
      problems.add("", fmt::format("{}: expected a JSON object (a merge patch of the assumptions), got {}",
                                   scenario.string(), detail::describe(*patch)));
    else if (patch) {
      scenarios.push_back(std::move(*patch));
      scenario_names.push_back(scenario.string());
    }
  }
  problems.throw_if_any();
  return load_deal_json(*document, assumptions, scenarios, scenario_names);
}

}  // namespace computedebt::io
