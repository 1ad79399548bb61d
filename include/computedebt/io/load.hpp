#pragma once
/// \file
/// Loading and validating deal files, assumption files and merge-patch scenarios.

#include <computedebt/core/error.hpp>
#include <computedebt/io/deal_file.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace computedebt::io {

/// Where a deal's parts come from on disk.
struct LoadOptions {
  /// Replaces the deal file's `assumptions` (a bare assumptions object).
  std::optional<std::filesystem::path> assumptions;
  /// JSON Merge Patches (RFC 7396) applied to the assumptions, in order.
  std::vector<std::filesystem::path> scenarios;
};

/// Loads and validates a deal file. Throws `InputError` listing every problem; never returns a half-loaded deal.
DealFile load_deal(const std::filesystem::path& path, const LoadOptions& options = {});

/// Loads and validates a deal from JSON text. `source` names it in messages about the text itself.
DealFile load_deal_string(std::string_view text, std::string_view source = "deal");

/// Loads and validates a parsed deal document, with optional replacement assumptions and scenario patches.
/// A patch entry under `credit`, `sectors` or `gpu_market` must name a counterparty, a sector some counterparty
/// belongs to, or a GPU type of the deal: anything else would change nothing, and is refused. `scenario_names`
/// (e.g. the patches' files) name the patches in messages; by default they are `scenarios[i]`.
DealFile load_deal_json(const nlohmann::ordered_json& document,
                        const std::optional<nlohmann::ordered_json>& assumptions = {},
                        std::span<const nlohmann::ordered_json> scenarios = {},
                        std::span<const std::string> scenario_names = {});

/// The largest JSON file read: 256 MiB, far beyond any deal, assumptions or scenario file (docs/deal_format.md
/// section 7). A larger file, or a stream such as `/dev/zero` that goes on past it, is refused without being read
/// whole.
inline constexpr std::uintmax_t max_file_bytes = std::uintmax_t{256} << 20;

/// Parses JSON text, reporting a syntax error with the JSON path where it occurred (as `InputError`).
/// Also refuses duplicate keys, nesting deeper than 64 levels and text that is not UTF-8 (reported at the
/// path being read, its bytes written as `\xNN`, so that every message is itself valid UTF-8).
nlohmann::ordered_json parse_json(std::string_view text, std::string_view source);

/// Reads and parses a JSON file (`InputError` if it cannot be read, is larger than `max_file_bytes`, or cannot
/// be parsed).
nlohmann::ordered_json read_json_file(const std::filesystem::path& path);

/// Applies merge patches to an assumptions object, in order. Each patch must be a JSON object.
nlohmann::ordered_json apply_scenarios(nlohmann::ordered_json assumptions,
                                       std::span<const nlohmann::ordered_json> patches);

}  // namespace computedebt::io
