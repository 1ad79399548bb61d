// libFuzzer target: a JSON Merge Patch (as `--scenario`) applied to a valid deal's assumptions, then loaded,
// validated and calibrated. Every input must either give a plan or be refused with `InputError`.

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>

#include <cstdint>
#include <string_view>

#include "json_mutator.hpp"
#include "valid_deal.hpp"

COMPUTEDEBT_FUZZ_JSON_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& deal = computedebt::fuzz::valid_deal();
  try {
    const nlohmann::ordered_json patches[] = {
        computedebt::io::parse_json(std::string_view(reinterpret_cast<const char*>(data), size), "scenario")};
    (void)computedebt::calibration::calibrate(computedebt::io::load_deal_json(deal, {}, patches));
  } catch (const computedebt::InputError&) {
  }
  return 0;
}
