#pragma once
/// \file
/// Loading and validating deal files, assumption files and merge-patch scenarios.

#include <computedebt/core/error.hpp>
#include <computedebt/io/deal_file.hpp>

#include <nlohmann/json.hpp>

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

/// Parses JSON text, reporting a syntax error with the JSON path where it occurred (as `InputError`).
/// Also refuses duplicate keys and nesting deeper than 64 levels.
nlohmann::ordered_json parse_json(std::string_view text, std::string_view source);

/// Reads and parses a JSON file (`InputError` if it cannot be read or parsed).
nlohmann::ordered_json read_json_file(const std::filesystem::path& path);

/// Applies merge patches to an assumptions object, in order. Each patch must be a JSON object.
nlohmann::ordered_json apply_scenarios(nlohmann::ordered_json assumptions,
                                       std::span<const nlohmann::ordered_json> patches);

}  // namespace computedebt::io
