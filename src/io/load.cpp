#include <computedebt/io/load.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <unordered_set>

#include "readers.hpp"

namespace computedebt::io {

namespace {

using detail::Json;
using detail::Problems;

constexpr int max_depth = 64;

/// Builds the document from the parser's SAX events, following the JSON path of the value being read so that a
/// syntax error, a duplicate key or excessive nesting can be reported where it is. Members are appended to their
/// object in document order without the linear search `ordered_json` does on every insert (which made loading
/// quadratic in the number of members); duplicate keys are found with a hash set per object and refused.
class DocumentBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  struct TooDeep {};

  explicit DocumentBuilder(Problems& problems) : problems_(problems) {}

  bool null() { return add(Json(nullptr)); }
  bool boolean(bool value) { return add(Json(value)); }
  bool number_integer(number_integer_t value) { return add(Json(value)); }
  bool number_unsigned(number_unsigned_t value) { return add(Json(value)); }
  bool number_float(number_float_t value, const string_t&) { return add(Json(value)); }
  bool string(string_t& value) { return add(Json(std::move(value))); }
  bool binary(binary_t& value) { return add(Json::binary(std::move(value))); }

  bool start_object(std::size_t) { return open(Json::object(), false); }
  bool start_array(std::size_t) { return open(Json::array(), true); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(string_t& key) {
    auto& frame = frames_.back();
    frame.key = key;
    if (!frame.keys.insert(key).second)
      problems_.add(path(), fmt::format("duplicate key \"{}\" in the same object", key));
    // The document is refused when a key repeats, so appending a second member with the same key is harmless.
    auto& members = frame.container->get_ref<Json::object_t&>();
    members.Container::emplace_back(std::move(key), nullptr);
    slot_ = &members.Container::back().second;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) {
    error_ = error.what();
    return false;
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
  const std::string& error() const { return error_; }
  Json& document() { return document_; }

 private:
  struct Frame {
    bool is_array;
    std::size_t index;
    std::string key;
    std::unordered_set<std::string> keys;
    Json* container;
  };

  /// Where the next value goes: the document, the array's next element, or the member whose key was just read.
  Json* place(Json value) {
    if (frames_.empty()) {
      document_ = std::move(value);
      return &document_;
    }
    if (frames_.back().is_array) {
      auto& elements = frames_.back().container->get_ref<Json::array_t&>();
      elements.push_back(std::move(value));
      return &elements.back();
    }
    *slot_ = std::move(value);
    return slot_;
  }

  bool add(Json value) {
    place(std::move(value));
    next_element();
    return true;
  }

  bool open(Json container, bool is_array) {
    if (frames_.size() >= static_cast<std::size_t>(max_depth)) {
      too_deep_path_ = path();
      throw TooDeep{};
    }
    Json* placed = place(std::move(container));
    frames_.push_back({is_array, 0, {}, {}, placed});
    return true;
  }

  bool close() {
    frames_.pop_back();
    next_element();
    return true;
  }

  /// A value is complete: the next one is the array's next element, or an object's next key.
  void next_element() {
    if (frames_.empty()) return;
    if (frames_.back().is_array)
      ++frames_.back().index;
    else
      frames_.back().key.clear();
  }

  Problems& problems_;
  Json document_;
  Json* slot_ = nullptr;
  std::vector<Frame> frames_;
  std::string too_deep_path_;
  std::string error_;
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

/// The patch without its entries under `credit`, `sectors`, `gpu_market` and `site_power_markets` that name nothing
/// of `deal` (no counterparty, no sector a counterparty belongs to, no GPU type, no site): each is reported, naming
/// the patch, since it would add an entry that changes nothing. Lists of the deal that were themselves refused are
/// not judged.
Json without_unknown_entries(Json patch, const deal::Deal& deal, const std::string& name, Problems& problems) {
  const bool counterparties_valid = !problems.any_at_or_under("deal.counterparties");
  const bool gpu_types_valid = !problems.any_at_or_under("deal.gpu_types");
  std::unordered_set<std::string_view> counterparties;
  std::unordered_set<std::string_view> sectors;
  std::unordered_set<std::string_view> gpu_types;
  for (const auto& counterparty : deal.counterparties) {
    counterparties.insert(counterparty.id);
    sectors.insert(counterparty.sector);
  }
  for (const auto& type : deal.gpu_types) gpu_types.insert(type.id);
  std::unordered_set<std::string_view> sites;
  for (const auto& site : deal.sites) sites.insert(site.id);
  const auto is_site = [&](const std::string& key) { return sites.contains(key); };
  const auto is_counterparty = [&](const std::string& key) { return counterparties.contains(key); };
  const auto is_used_sector = [&](const std::string& key) { return sectors.contains(key); };
  const auto is_gpu_type = [&](const std::string& key) { return gpu_types.contains(key); };
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
      {"site_power_markets", detail::sites_known(deal, "deal.sites", problems), is_site, "a site of the deal"},
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
  DocumentBuilder builder(problems);
  bool parsed = false;
  try {
    parsed = Json::sax_parse(text, &builder);
  } catch (const DocumentBuilder::TooDeep&) {
    throw InputError(
        {{builder.too_deep_path(), escape_invalid_utf8(fmt::format(
                                       "{} nests objects and arrays more than {} levels deep", source, max_depth))}});
  }
  if (!parsed) {
    // The parser quotes the bytes it last read, which may be the invalid ones: escape them.
    const std::string raw = strip_exception_id(builder.error());
    const std::string detail = escape_invalid_utf8(raw);
    const bool bad_utf8 = detail != raw || detail.find("UTF-8") != std::string::npos;
    throw InputError(
        {{builder.path(), bad_utf8 ? fmt::format("{} is not valid UTF-8 text (JSON must be UTF-8): {}",
                                                 escape_invalid_utf8(source), detail)
                                   : fmt::format("{} is not valid JSON: {}", escape_invalid_utf8(source), detail)}});
  }
  problems.throw_if_any();
  return std::move(builder.document());
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
