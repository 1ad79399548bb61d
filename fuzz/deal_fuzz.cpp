// libFuzzer target: a deal file's text, loaded, validated and calibrated as `computedebt validate` does. Every
// input must either give a plan or be refused with `InputError`; anything else (a crash, another exception, a
// sanitizer report, a leak, a hang) is a defect.

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>

#include <cstdint>
#include <string_view>

#include "json_mutator.hpp"

COMPUTEDEBT_FUZZ_JSON_MUTATOR

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto file = computedebt::io::load_deal_string(std::string_view(reinterpret_cast<const char*>(data), size));
    (void)computedebt::calibration::calibrate(file);
  } catch (const computedebt::InputError&) {
  }
  return 0;
}
