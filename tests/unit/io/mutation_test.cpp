// Random mutations of valid deals: loading, calibrating and simulating either succeed or refuse with an
// InputError that names paths. Never another exception, never a crash, never a half-loaded deal.

#include <gtest/gtest.h>
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>

using namespace computedebt;
using Json = nlohmann::ordered_json;

namespace {

const std::filesystem::path valid_dir = std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid";
const std::filesystem::path example_dir = COMPUTEDEBT_EXAMPLE_DEALS;

/// Every value in the document, as pointers, in document order.
void collect(Json& value, std::vector<Json*>& out) {
  out.push_back(&value);
  if (value.is_object())
    for (auto& [key, child] : value.items()) collect(child, out);
  if (value.is_array())
    for (auto& child : value) collect(child, out);
}

/// Replaces one value by something a careless hand or a broken generator might write.
void mutate(Json& document, std::mt19937_64& rng) {
  std::vector<Json*> values;
  collect(document, values);
  Json& target = *values[std::uniform_int_distribution<std::size_t>(1, values.size() - 1)(rng)];
  const Json replacements[] = {
      nullptr,       "NaN",          -1,   0,   1e308,  -1e308, 1.5, 2147483648.0, "", "2026-02-30", "1800-01-01",
      Json::array(), Json::object(), true, "x", 1e-300, 12,     -0.0};
  switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
    case 0:
      target = replacements[std::uniform_int_distribution<std::size_t>(0, std::size(replacements) - 1)(rng)];
      break;
    case 1:  // drop a member or an element
      if (target.is_object() && !target.empty())
        target.erase(target.begin());
      else if (target.is_array() && !target.empty())
        target.erase(target.begin());
      else
        target = nullptr;
      break;
    case 2:  // scale a number
      if (target.is_number())
        target = target.get<double>() * std::uniform_real_distribution<double>(-3, 3)(rng);
      else
        target = 7;
      break;
    default:  // duplicate an array element or add an unknown member
      if (target.is_array() && !target.empty())
        target.push_back(target.front());
      else if (target.is_object())
        target["surprise"] = 1;
      else
        target = Json::array({target});
  }
}

void load_and_calibrate_or_refuse(const Json& document, std::uint64_t trial) {
  try {
    const auto file = io::load_deal_json(document);
    const auto plan = calibration::calibrate(file);
    // And what calibrates must simulate.
    engine::SimulationConfig config;
    config.paths = 64;
    config.threads = 1;
    const auto results = engine::simulate(plan, config);
    EXPECT_TRUE(std::isfinite(results.portfolio.expected_loss)) << "trial " << trial;
    // What loads must round-trip.
    EXPECT_EQ(io::load_deal_json(io::to_json(file)), file) << "trial " << trial;
  } catch (const InputError& error) {
    EXPECT_FALSE(error.problems().empty());
    for (const auto& problem : error.problems()) EXPECT_FALSE(problem.message.empty()) << "trial " << trial;
  } catch (const std::exception& error) {
    ADD_FAILURE() << "trial " << trial << ": unexpected " << typeid(error).name() << ": " << error.what() << "\n"
                  << document.dump();
  }
}

}  // namespace

class MutatedDeal : public testing::TestWithParam<std::filesystem::path> {};

TEST_P(MutatedDeal, is_loaded_or_refused_but_never_crashes) {
  const Json original = io::read_json_file(GetParam());
  // COMPUTEDEBT_MUTATION_TRIALS runs a longer search than the default 300 trials a file.
  const char* override_trials = std::getenv("COMPUTEDEBT_MUTATION_TRIALS");
  const std::uint64_t trials = override_trials ? std::stoull(override_trials) : 300;
  std::mt19937_64 rng(20261122);
  for (std::uint64_t trial = 0; trial < trials; ++trial) {
    Json document = original;
    const int mutations = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int m = 0; m < mutations; ++m) mutate(document, rng);
    load_and_calibrate_or_refuse(document, trial);
  }
}

INSTANTIATE_TEST_SUITE_P(files, MutatedDeal,
                         testing::Values(valid_dir / "every_field.json", example_dir / "homogeneous_pool.json",
                                         example_dir / "blended_2026.json"),
                         [](const auto& info) { return info.param.stem().string(); });
