// Every file in tests/data/invalid/ must be refused with exactly the JSON paths that
// tests/data/invalid/expected.json lists for it: never a crash, never a half-loaded deal.
// An entry may name an assumptions file and scenario patches (under parts/) to load with the deal.

#include <gtest/gtest.h>
#include <computedebt/io/load.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

namespace {

const std::filesystem::path invalid_dir = std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "invalid";

nlohmann::json expectations() {
  std::ifstream file(invalid_dir / "expected.json");
  return nlohmann::json::parse(file);
}

std::vector<std::string> corpus_files() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(invalid_dir))
    if (entry.is_regular_file() && entry.path().filename() != "expected.json")
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class InvalidDeal : public testing::TestWithParam<std::string> {};

TEST_P(InvalidDeal, is_refused_with_the_expected_paths) {
  const auto expected_all = expectations();
  const std::string name = GetParam();
  ASSERT_TRUE(expected_all.contains(name)) << name << " has no entry in expected.json";
  const auto& entry = expected_all.at(name);
  std::vector<std::string> expected_paths = entry.at("paths").get<std::vector<std::string>>();
  std::sort(expected_paths.begin(), expected_paths.end());

  computedebt::io::LoadOptions options;
  if (entry.contains("assumptions")) options.assumptions = invalid_dir / entry.at("assumptions").get<std::string>();
  for (const auto& scenario : entry.value("scenarios", std::vector<std::string>{}))
    options.scenarios.push_back(invalid_dir / scenario);
  try {
    computedebt::io::load_deal(invalid_dir / name, options);
    FAIL() << name << " loaded, but it should be refused at " << testing::PrintToString(expected_paths);
  } catch (const computedebt::InputError& error) {
    std::vector<std::string> paths;
    for (const auto& problem : error.problems()) paths.push_back(problem.path);
    std::sort(paths.begin(), paths.end());
    EXPECT_EQ(paths, expected_paths) << name << " was refused with:\n" << error.what();
    for (const auto& problem : error.problems()) EXPECT_FALSE(problem.message.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(corpus, InvalidDeal, testing::ValuesIn(corpus_files()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.rfind('.'));
                           std::replace_if(
                               name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
                           return name;
                         });

TEST(invalid_corpus, has_at_least_forty_files) { EXPECT_GE(corpus_files().size(), 40u); }

TEST(invalid_corpus, every_expectation_has_a_file) {
  const auto files = corpus_files();
  const auto all = expectations();
  for (const auto& [name, entry] : all.items())
    EXPECT_TRUE(std::find(files.begin(), files.end(), name) != files.end()) << name;
}

}  // namespace
