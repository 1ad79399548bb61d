// The `computedebt` command line.

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/io/load.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "summary.hpp"

namespace {

/// Options shared by every subcommand that reads a deal.
struct DealOptions {
  std::string deal_path;
  std::string assumptions_path;
  std::vector<std::string> scenario_paths;

  void add_to(CLI::App& command) {
    command.add_option("DEAL", deal_path, "Deal file (JSON)")->required();
    command.add_option("--assumptions", assumptions_path, "Assumptions file replacing the deal file's assumptions");
    command
        .add_option("--scenario", scenario_paths, "JSON merge patch applied to the assumptions (repeatable, in order)")
        ->take_all();
  }

  computedebt::io::DealFile load() const {
    computedebt::io::LoadOptions options;
    if (!assumptions_path.empty()) options.assumptions = assumptions_path;
    options.scenarios.assign(scenario_paths.begin(), scenario_paths.end());
    return computedebt::io::load_deal(deal_path, options);
  }
};

int validate(const DealOptions& options) {
  const auto plan = computedebt::calibration::calibrate(options.load());
  fmt::print("{}", computedebt::cli::deal_summary(plan));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"computedebt: compute-backed debt, correlated defaults and GPU depreciation"};
  app.require_subcommand(1);
  DealOptions validate_options;
  auto* validate_command = app.add_subcommand("validate", "Check a deal file and print a one-screen summary");
  validate_options.add_to(*validate_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 1;
  }

  try {
    if (*validate_command) return validate(validate_options);
  } catch (const computedebt::InputError& error) {
    for (const auto& problem : error.problems()) fmt::print(stderr, "{}\n", computedebt::to_string(problem));
    return 2;
  } catch (const std::exception& error) {
    fmt::print(stderr, "computedebt: {}\n", error.what());
    return 1;
  }
  return 1;
}
