#pragma once
/// \file
/// Writing deals back to the deal-file format; `load_deal_json(to_json(f)) == f`.

#include <computedebt/io/deal_file.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace computedebt::io {

/// The deal file as a JSON document.
nlohmann::ordered_json to_json(const DealFile& file);

/// The bare assumptions object, as an assumptions file holds it.
nlohmann::ordered_json to_json(const assumptions::Assumptions& assumptions);

/// Writes the deal file with 2-space indentation.
void save_deal(const DealFile& file, const std::filesystem::path& path);

}  // namespace computedebt::io
