// The `computedebt` command line.

#include <computedebt/analytic/semi_analytic.hpp>
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/calibration/warnings.hpp>
#include <computedebt/core/error.hpp>
#include <computedebt/engine/auto_shift.hpp>
#include <computedebt/engine/explain.hpp>
#include <computedebt/engine/simulate.hpp>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>
#include <computedebt/pricing/provenance.hpp>
#include <computedebt/structuring/scenario_grid.hpp>
#include <computedebt/structuring/sculpt.hpp>
#include <computedebt/structuring/search.hpp>
#include <computedebt/structuring/sensitivities.hpp>
#include <computedebt/structuring/sizing.hpp>
#include <computedebt/version.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "price_table.hpp"
#include "printable.hpp"
#include "summary.hpp"
#include "trace_table.hpp"

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

  computedebt::io::LoadOptions load_options() const {
    computedebt::io::LoadOptions options;
    if (!assumptions_path.empty()) options.assumptions = assumptions_path;
    options.scenarios.assign(scenario_paths.begin(), scenario_paths.end());
    return options;
  }

  computedebt::io::DealFile load() const { return computedebt::io::load_deal(deal_path, load_options()); }

  /// The deal's name as the file gives it, for a document about a deal that was refused; empty if unreadable.
  std::string name_if_readable() const {
    try {
      const auto document = computedebt::io::read_json_file(deal_path);
      const auto deal = document.find("deal");
      if (deal != document.end() && deal->is_object()) {
        const auto name = deal->find("name");
        if (name != deal->end() && name->is_string()) return name->get<std::string>();
      }
    } catch (const computedebt::InputError&) {
    }
    return {};
  }
};

/// Options of `validate`.
struct ValidateOptions {
  bool json = false;

  void add_to(CLI::App& command) {
    command.add_flag("--json", json,
                     "Print {valid, problems, warnings} and the provenance as JSON; a refused deal still exits 2");
  }
};

/// Prints each warning as `warning: path: message` on `stream`.
void print_warnings(std::FILE* stream, const std::vector<computedebt::Problem>& warnings) {
  for (const auto& warning : warnings)
    fmt::print(stream, "warning: {}\n", computedebt::cli::printable(computedebt::to_string(warning)));
}

int validate(const DealOptions& deal_options, const ValidateOptions& options) {
  using Json = nlohmann::ordered_json;
  computedebt::pricing::Provenance provenance;
  provenance.options = computedebt::pricing::source_options(deal_options.load_options());
  std::optional<computedebt::io::DealFile> file;
  std::optional<computedebt::calibration::Plan> plan;
  std::vector<computedebt::Problem> problems;
  try {
    file = deal_options.load();
    plan = computedebt::calibration::calibrate(*file);
  } catch (const computedebt::InputError& error) {
    if (!options.json) throw;
    problems = error.problems();
  }
  if (plan) {
    provenance.deal = plan->deal_name;
    provenance.warnings = plan->warnings;
  } else {
    provenance.deal = deal_options.name_if_readable();
  }
  if (options.json) {
    const Json document{{"valid", plan.has_value()}, {"problems", computedebt::pricing::to_json(problems)}};
    fmt::print("{}\n", computedebt::pricing::with_provenance(provenance, document).dump(2));
    return plan ? 0 : 2;
  }
  fmt::print("{}", computedebt::cli::deal_summary(*file, *plan));
  if (!provenance.warnings.empty()) {
    fmt::print("\nWarnings\n");
    print_warnings(stdout, provenance.warnings);
  }
  return 0;
}

/// Options of `price`.
struct PriceOptions {
  computedebt::engine::SimulationConfig config;
  std::string method = "monte-carlo";
  computedebt::analytic::SemiAnalyticConfig semi_analytic;
  bool json = false;
  std::string output_path;
  std::optional<std::string> shift;  ///< A number in [-10, 10], or `auto`.
  std::string target;

  void add_to(CLI::App& command) {
    command.add_option("--paths", config.paths, "Number of Monte Carlo paths")
        ->check(CLI::Range(std::uint64_t{1}, computedebt::engine::max_paths));
    command.add_option("--seed", config.seed, "Random seed (unsigned 32-bit)");
    command.add_option("--threads", config.threads, "Threads (default: all cores)")
        ->check(CLI::Range(1u, computedebt::engine::max_threads));
    command
        .add_option("--importance-shift", shift,
                    "Importance sampling: draw every independent factor normal from N(MU, 1) and reweight; a "
                    "negative MU samples the senior tail more often. auto (price and explain): choose the shift of "
                    "each factor for the tranche of --importance-target")
        ->check(CLI::Range(-10.0, 10.0) | CLI::IsMember({"auto"}));
    command.add_option("--importance-target", target,
                       "With --importance-shift auto: the tranche whose losses the shift aims at (default: the most "
                       "senior)");
    command.add_flag("--antithetic", config.antithetic,
                     "Antithetic pairs: every second path reflects the one before (needs an even --paths)");
    command.add_flag("--quasi-random", config.quasi_random,
                     "Randomised quasi-Monte Carlo factors (Sobol, a random digital shift per leaf of 1024 paths)");
    command.add_flag("--json", json, "Print the results document as JSON instead of a table");
    command.add_option("--output", output_path, "Also write the results document (JSON) to this file");
  }

  /// `price` alone can integrate instead of simulating, and allocate its risk.
  void add_price_only_to(CLI::App& command) {
    command.add_flag("--contributions", config.contributions,
                     "Risk contributions per counterparty and sector (EL, VaR and ES at 99%, and each tranche's EL); "
                     "runs the paths twice");
    command.add_flag("--control-variates", config.control_variates,
                     "Control variates for every tranche's expected loss: the horizon portfolio loss (and, for loss "
                     "tranches, the other tranches' losses), whose exact means come from the semi-analytic engine");
    command
        .add_option("--method", method,
                    "monte-carlo, or semi-analytic: the exact loss distribution by recursion and adaptive quadrature "
                    "(loss-tranche deals only; the path and variance-reduction options are then unused)")
        ->check(CLI::IsMember({"monte-carlo", "semi-analytic"}))
        ->capture_default_str();
    command
        .add_option("--tolerance", semi_analytic.tolerance,
                    "semi-analytic: bound on the quadrature's error estimate (L1 error of the loss distribution)")
        ->capture_default_str();
  }
};

/// A progress bar on stderr, drawn only when stderr is a terminal.
computedebt::engine::Progress progress_bar() {
  if (!isatty(fileno(stderr))) return {};
  return [](std::uint64_t done, std::uint64_t total) {
    const int width = 40;
    const auto filled =
        static_cast<int>(static_cast<double>(width) * static_cast<double>(done) / static_cast<double>(total));
    fmt::print(stderr, "\r[{:<{}}] {:>3}%", std::string(static_cast<std::size_t>(filled), '#'), width,
               100 * done / total);
    if (done == total) fmt::print(stderr, "\r{:<{}}\r", "", width + 8);
    return true;
  };
}

/// Writes all of `text` to `descriptor`; false on any failure.
bool write_all(int descriptor, const std::string& text) {
  for (std::size_t offset = 0; offset < text.size();) {
    const auto count = write(descriptor, text.data() + offset, text.size() - offset);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    offset += static_cast<std::size_t>(count);
  }
  return true;
}

/// Writes a results document to `--output`, when one is given. A regular file (or a new one) is replaced
/// atomically: the document goes to a temporary file in the same directory, flushed to disk, then renamed over
/// it, so a run killed at any moment leaves either the previous file or the whole new one, never half a document.
/// A symbolic link is followed, so the file it points to is replaced. Anything else (a device such as /dev/stdout,
/// a pipe) is written in place: renaming over it would replace it.
void write_output(const nlohmann::ordered_json& document, const std::string& path) {
  if (path.empty()) return;
  const std::string text = document.dump(2) + '\n';
  std::error_code error_code;
  const auto status = std::filesystem::status(path, error_code);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    const int descriptor = open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (descriptor < 0) throw computedebt::Error("cannot write " + path + ": " + std::strerror(errno));
    bool written = write_all(descriptor, text);
    int error = errno;
    if (close(descriptor) != 0 && written) {
      written = false;
      error = errno;
    }
    if (!written) throw computedebt::Error("cannot write " + path + ": " + std::strerror(error));
    return;
  }
  const auto target = std::filesystem::weakly_canonical(path, error_code).string();
  const auto& final_path = error_code ? path : target;
  std::string temporary = final_path + ".XXXXXX";
  const int descriptor = mkstemp(temporary.data());
  if (descriptor < 0) throw computedebt::Error("cannot write " + path + ": " + std::strerror(errno));
  // mkstemp creates the file 0600; give it the permissions a plain open would (0666 less the umask).
  const mode_t mask = umask(0);
  umask(mask);
  bool written = fchmod(descriptor, 0666 & ~mask) == 0 && write_all(descriptor, text) && fsync(descriptor) == 0;
  written = close(descriptor) == 0 && written;
  if (!written || std::rename(temporary.c_str(), final_path.c_str()) != 0) {
    const int error = errno;
    std::remove(temporary.c_str());
    throw computedebt::Error("cannot write " + path + ": " + std::strerror(error));
  }
}

/// The run's settings with `--importance-shift` applied to every factor of `plan`, or chosen for
/// `--importance-target` when it is `auto` (docs/methodology.md section 7.4).
computedebt::engine::SimulationConfig shifted(const computedebt::calibration::Plan& plan, const PriceOptions& options) {
  const bool automatic = options.shift == "auto";
  computedebt::require_input(automatic || options.target.empty(), "importance_target",
                             "names the tranche of --importance-shift auto; add --importance-shift auto or drop it");
  if (automatic) return computedebt::engine::with_auto_shift(plan, options.config, options.target);
  auto config = options.config;
  if (options.shift) config.importance_shift.assign(plan.credit.factors, std::stod(*options.shift));
  return config;
}

/// The provenance of a run of `config` on the deal of `plan`, with the command's own `options` added.
computedebt::pricing::Provenance run_provenance(
    const computedebt::calibration::Plan& plan, const computedebt::engine::SimulationConfig& config,
    const DealOptions& deal_options, const nlohmann::ordered_json& options = nlohmann::ordered_json::object()) {
  auto provenance = computedebt::pricing::run_provenance(plan, config, deal_options.load_options());
  provenance.options.update(options);
  return provenance;
}

int price(const DealOptions& deal_options, PriceOptions options) {
  const auto plan = computedebt::calibration::calibrate(deal_options.load());
  computedebt::pricing::Results results;
  computedebt::pricing::Provenance provenance;
  if (options.method == "semi-analytic") {
    computedebt::require_input(!options.config.contributions, "contributions",
                               "risk contributions come from the Monte Carlo: drop --method semi-analytic");
    computedebt::require_input(options.shift != "auto", "importance_shift",
                               "auto chooses a shift for the Monte Carlo's paths, and --method semi-analytic has "
                               "none: drop one of them");
    computedebt::require_input(!options.config.control_variates, "control_variates",
                               "control variates reduce the Monte Carlo's variance; the semi-analytic method has "
                               "none: drop --control-variates or --method semi-analytic");
    results = computedebt::analytic::price(plan, options.semi_analytic);
    provenance = computedebt::pricing::semi_analytic_provenance(plan, options.semi_analytic.tolerance,
                                                                deal_options.load_options());
  } else {
    options.config = shifted(plan, options);
    options.config.progress = progress_bar();
    results = computedebt::engine::simulate(plan, options.config);
    provenance = run_provenance(plan, options.config, deal_options);
  }
  provenance.warnings.insert(provenance.warnings.end(), results.warnings.begin(), results.warnings.end());
  const auto document = computedebt::pricing::with_provenance(provenance, computedebt::pricing::to_json(results));
  write_output(document, options.output_path);
  if (options.json)
    fmt::print("{}\n", document.dump(2));
  else
    fmt::print("{}", computedebt::cli::price_table(results));
  print_warnings(stderr, provenance.warnings);
  return 0;
}

/// Options of `size` and `break-even`.
struct SearchOptions {
  std::string tranche, target_rating;
  std::vector<std::string> sectors;

  void add_to(CLI::App& command, bool with_sectors, bool required) {
    command.add_option("--tranche", tranche, "Name of the waterfall tranche")->required(required);
    command.add_option("--target-rating", target_rating, "Moody's rating to meet, Aaa to Caa3")->required(required);
    if (with_sectors)
      command.add_option("--sector", sectors, "Sector whose default probabilities are multiplied (repeatable)")
          ->required()
          ->take_all();
  }
};

/// Prints a structuring search's document with its provenance, and writes it to `--output` when asked.
int print_search(const nlohmann::ordered_json& search, const computedebt::pricing::Provenance& provenance,
                 const PriceOptions& options) {
  const auto document = computedebt::pricing::with_provenance(provenance, search);
  write_output(document, options.output_path);
  fmt::print("{}\n", document.dump(2));
  print_warnings(stderr, provenance.warnings);
  return 0;
}

/// The run's settings with `--importance-shift` applied to every factor of `file`. The structuring commands
/// re-run the same paths on changed deals and take a shift given by hand, not `auto`.
computedebt::engine::SimulationConfig search_config(const computedebt::io::DealFile& file,
                                                    const PriceOptions& options) {
  computedebt::require_input(options.shift != "auto", "importance_shift",
                             "auto is chosen by price and explain only; this command re-runs the same paths on "
                             "changed deals: give a number");
  computedebt::require_input(options.target.empty(), "importance_target",
                             "names the tranche of --importance-shift auto, which this command does not take");
  auto config = options.config;
  if (options.shift) config.importance_shift.assign(file.assumptions.factors.names.size(), std::stod(*options.shift));
  return config;
}

/// Options of `size` beyond a search's: the constraints of a sizing request, or a request file.
struct SizingOptions {
  std::optional<double> dscr, max_ltv;
  bool borrowing_base = false;
  std::string request_path, deal_output;

  void add_to(CLI::App& command) {
    command.add_option("--dscr", dscr, "Sculpt the tranche to this DSCR on the base case, and size it no larger");
    command.add_option("--max-ltv", max_ltv,
                       "Size the tranche no larger than this LTV at t0, with the tranches before it");
    command.add_flag("--borrowing-base", borrowing_base,
                     "Size the tranche within the borrowing base at t0, with the facility's other tranches");
    command.add_option("--request", request_path,
                       "A sizing request (JSON): tranches sized in order to their constraints; replaces --tranche");
    command.add_option("--write-deal", deal_output, "With a sizing request: write the sized deal file here");
  }

  bool requested() const { return dscr || max_ltv || borrowing_base || !request_path.empty(); }
};

/// A sizing request from `--request`, or from `--tranche` and its constraints.
computedebt::structuring::SizingRequest sizing_request(const SearchOptions& search, const SizingOptions& sizing) {
  if (!sizing.request_path.empty()) {
    computedebt::require_input(search.tranche.empty() && search.target_rating.empty() && !sizing.dscr &&
                                   !sizing.max_ltv && !sizing.borrowing_base,
                               "request",
                               "the request names the tranches and their constraints: drop --tranche, "
                               "--target-rating, --dscr, --max-ltv and --borrowing-base");
    return computedebt::structuring::read_sizing_request(computedebt::io::read_json_file(sizing.request_path));
  }
  nlohmann::json entry{{"tranche", search.tranche}};
  if (!search.target_rating.empty()) entry["target_rating"] = search.target_rating;
  if (sizing.dscr) entry["dscr"] = *sizing.dscr;
  if (sizing.max_ltv) entry["max_ltv"] = *sizing.max_ltv;
  if (sizing.borrowing_base) entry["borrowing_base"] = true;
  try {
    return computedebt::structuring::read_sizing_request({{"tranches", {entry}}});
  } catch (const computedebt::InputError& error) {
    // The request was built from the options: name them, not the request's paths.
    std::vector<computedebt::Problem> problems;
    for (auto problem : error.problems()) {
      const std::string prefix = "tranches[0].";
      if (problem.path.starts_with(prefix)) problem.path = problem.path.substr(prefix.size());
      if (problem.path == "tranches[0]") problem.path = "tranche";
      problems.push_back(std::move(problem));
    }
    throw computedebt::InputError(std::move(problems));
  }
}

int size(const DealOptions& deal_options, const PriceOptions& options, const SearchOptions& search,
         const SizingOptions& sizing) {
  const auto file = deal_options.load();
  const auto config = search_config(file, options);
  if (sizing.requested()) {
    const auto request = sizing_request(search, sizing);
    const auto result = computedebt::structuring::size_deal(file, request, config);
    nlohmann::ordered_json given = nlohmann::ordered_json::object();
    if (!sizing.request_path.empty()) given["request"] = sizing.request_path;
    if (!search.tranche.empty()) given["tranche"] = search.tranche;
    if (!search.target_rating.empty()) given["target_rating"] = search.target_rating;
    if (sizing.dscr) given["dscr"] = *sizing.dscr;
    if (sizing.max_ltv) given["max_ltv"] = *sizing.max_ltv;
    if (sizing.borrowing_base) given["borrowing_base"] = true;
    const auto provenance = run_provenance(computedebt::calibration::calibrate(file), config, deal_options, given);
    if (result.complete)
      write_output(computedebt::io::to_json(result.deal), sizing.deal_output);
    else if (!sizing.deal_output.empty())
      fmt::print(stderr, "computedebt: {} was not written: a tranche meets its rating at no notional\n",
                 computedebt::cli::printable(sizing.deal_output));
    return print_search(computedebt::structuring::to_json(result), provenance, options);
  }
  computedebt::require_input(!search.tranche.empty() && !search.target_rating.empty(), "tranche",
                             "size needs --tranche and --target-rating, or a constraint (--dscr, --max-ltv, "
                             "--borrowing-base), or --request");
  computedebt::require_input(sizing.deal_output.empty(), "write_deal",
                             "--write-deal writes the deal of a sizing request or constraint (--request, --dscr, "
                             "--max-ltv, --borrowing-base); a rating search alone leaves the deal as it is");
  const auto result = computedebt::structuring::size_tranche(file, search.tranche, search.target_rating, config);
  const auto provenance = run_provenance(computedebt::calibration::calibrate(file), config, deal_options,
                                         {{"tranche", search.tranche}, {"target_rating", search.target_rating}});
  return print_search(computedebt::structuring::to_json(result), provenance, options);
}

int break_even(const DealOptions& deal_options, const PriceOptions& options, const SearchOptions& search) {
  const auto file = deal_options.load();
  const auto config = search_config(file, options);
  const double max_multiplier = 100.0;
  const auto result = computedebt::structuring::break_even_multiplier(file, search.tranche, search.target_rating,
                                                                      search.sectors, config, max_multiplier);
  auto document = computedebt::structuring::to_json(result, "multiplier");
  document["sectors"] = search.sectors;
  const auto provenance = run_provenance(computedebt::calibration::calibrate(file), config, deal_options,
                                         {{"tranche", search.tranche},
                                          {"target_rating", search.target_rating},
                                          {"sectors", search.sectors},
                                          {"max_multiplier", max_multiplier}});
  return print_search(document, provenance, options);
}

int explain(const DealOptions& deal_options, const PriceOptions& options, std::uint64_t path) {
  const auto plan = computedebt::calibration::calibrate(deal_options.load());
  const auto config = shifted(plan, options);
  const auto trace = computedebt::engine::explain_path(plan, config, path);
  auto provenance = run_provenance(plan, config, deal_options, {{"path", path}});
  const auto document = computedebt::pricing::with_provenance(provenance, computedebt::engine::to_json(trace));
  write_output(document, options.output_path);
  if (options.json)
    fmt::print("{}\n", document.dump(2));
  else
    fmt::print("{}", computedebt::cli::trace_table(trace));
  print_warnings(stderr, provenance.warnings);
  return 0;
}

int sensitivities(const DealOptions& deal_options, const PriceOptions& options) {
  const auto file = deal_options.load();
  const auto config = search_config(file, options);
  const auto bumps = computedebt::structuring::standard_bumps(file);
  const auto result = computedebt::structuring::sensitivities(file, bumps, config);
  const auto provenance = run_provenance(computedebt::calibration::calibrate(file), config, deal_options);
  return print_search(computedebt::structuring::to_json(result), provenance, options);
}

/// Options of `sculpt`.
struct SculptOptions {
  std::string tranche, deal_output;
  double dscr = 0.0;
  std::string output_path;

  void add_to(CLI::App& command) {
    command.add_option("--tranche", tranche, "Name of the waterfall tranche to sculpt")->required();
    command.add_option("--dscr", dscr, "Target DSCR on the base case, e.g. 1.35")->required();
    command.add_option("--write-deal", deal_output, "Write the sculpted deal file here");
    command.add_option("--output", output_path, "Also write the JSON document to this file");
  }
};

int sculpt(const DealOptions& deal_options, const SculptOptions& options) {
  const auto file = deal_options.load();
  const auto result = computedebt::structuring::sculpt_tranche(file, options.tranche, options.dscr);
  const auto plan = computedebt::calibration::calibrate(result.deal);
  computedebt::pricing::Provenance provenance;
  provenance.options = computedebt::pricing::source_options(deal_options.load_options());
  provenance.options.update({{"tranche", options.tranche}, {"dscr", options.dscr}});
  provenance.deal = plan.deal_name;
  provenance.warnings = plan.warnings;
  const auto document = computedebt::pricing::with_provenance(provenance, computedebt::structuring::to_json(result));
  write_output(document, options.output_path);
  write_output(computedebt::io::to_json(result.deal), options.deal_output);
  fmt::print("{}\n", document.dump(2));
  print_warnings(stderr, provenance.warnings);
  return 0;
}

/// Options of `grid`.
struct GridOptions {
  std::string grid_path;
  bool csv = false;

  void add_to(CLI::App& command) {
    command.add_option("GRID", grid_path, "Grid file (JSON): {\"axes\": {\"assumptions.dotted.path\": [values]}}")
        ->required();
    command.add_flag("--csv", csv, "Print the grid as CSV, a row per point and tranche, instead of JSON");
  }
};

int grid(const DealOptions& deal_options, const PriceOptions& options, const GridOptions& grid_options) {
  const auto file = deal_options.load();
  const auto axes = computedebt::structuring::read_grid(computedebt::io::read_json_file(grid_options.grid_path));
  const auto config = search_config(file, options);
  const auto result = computedebt::structuring::scenario_grid(file, axes, config);
  const auto provenance = run_provenance(computedebt::calibration::calibrate(file), config, deal_options,
                                         {{"grid", grid_options.grid_path}});
  if (!grid_options.csv) return print_search(computedebt::structuring::to_json(result), provenance, options);
  write_output(computedebt::pricing::with_provenance(provenance, computedebt::structuring::to_json(result)),
               options.output_path);
  fmt::print("{}", computedebt::structuring::to_csv(result));
  print_warnings(stderr, provenance.warnings);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"computedebt: compute-backed debt, correlated defaults and GPU depreciation"};
  app.require_subcommand(1);
  app.set_version_flag("--version", fmt::format("computedebt {}", COMPUTEDEBT_VERSION_STRING),
                       "Print the version and exit");
  DealOptions validate_deal_options;
  ValidateOptions validate_options;
  auto* validate_command =
      app.add_subcommand("validate", "Check a deal file and print a one-screen summary and any warnings");
  validate_deal_options.add_to(*validate_command);
  validate_options.add_to(*validate_command);
  DealOptions price_deal_options;
  PriceOptions price_options;
  auto* price_command =
      app.add_subcommand("price", "Price the deal's tranches by Monte Carlo, or loss tranches semi-analytically");
  price_deal_options.add_to(*price_command);
  price_options.add_to(*price_command);
  price_options.add_price_only_to(*price_command);

  DealOptions size_deal_options;
  PriceOptions size_options;
  SearchOptions size_search;
  auto* size_command = app.add_subcommand(
      "size", "Find the largest notional of a tranche that meets a target rating, re-running the same paths");
  size_deal_options.add_to(*size_command);
  size_options.add_to(*size_command);
  size_search.add_to(*size_command, false, false);
  SizingOptions size_sizing;
  size_sizing.add_to(*size_command);
  DealOptions break_even_deal_options;
  PriceOptions break_even_options;
  SearchOptions break_even_search;
  auto* break_even_command =
      app.add_subcommand("break-even",
                         "Find the largest multiplier on some sectors' default probabilities at which a tranche still "
                         "meets a target rating");
  break_even_deal_options.add_to(*break_even_command);
  break_even_options.add_to(*break_even_command);
  break_even_search.add_to(*break_even_command, true, true);

  DealOptions explain_deal_options;
  PriceOptions explain_options;
  std::uint64_t explain_path = 0;
  auto* explain_command = app.add_subcommand(
      "explain", "Replay one path of a run alone, from its counter, and print its date-by-date trace");
  explain_deal_options.add_to(*explain_command);
  explain_options.add_to(*explain_command);
  explain_command->add_option("--path", explain_path, "The path to replay, 0 to paths - 1")->required();
  DealOptions sensitivities_deal_options;
  PriceOptions sensitivities_options;
  auto* sensitivities_command = app.add_subcommand(
      "sensitivities",
      "Central differences of each tranche's EL, the equity IRR and the event of default under standard bumps of "
      "the assumptions, on the same paths");
  sensitivities_deal_options.add_to(*sensitivities_command);
  sensitivities_options.add_to(*sensitivities_command);
  DealOptions grid_deal_options;
  PriceOptions grid_price_options;
  GridOptions grid_options;
  auto* grid_command = app.add_subcommand(
      "grid", "Price the Cartesian grid of values of dotted paths into the assumptions, on the same paths");
  grid_deal_options.add_to(*grid_command);
  grid_options.add_to(*grid_command);
  grid_price_options.add_to(*grid_command);

  DealOptions sculpt_deal_options;
  SculptOptions sculpt_options;
  auto* sculpt_command = app.add_subcommand(
      "sculpt",
      "Sculpt a tranche's amortisation to a target DSCR on the base case (contracted cash, no defaults) and size it "
      "to what that debt service repays");
  sculpt_deal_options.add_to(*sculpt_command);
  sculpt_options.add_to(*sculpt_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 1;
  }

  try {
    int status = 1;
    if (*validate_command) status = validate(validate_deal_options, validate_options);
    if (*price_command) status = price(price_deal_options, price_options);
    if (*size_command) status = size(size_deal_options, size_options, size_search, size_sizing);
    if (*break_even_command) status = break_even(break_even_deal_options, break_even_options, break_even_search);
    if (*explain_command) status = explain(explain_deal_options, explain_options, explain_path);
    if (*sensitivities_command) status = sensitivities(sensitivities_deal_options, sensitivities_options);
    if (*grid_command) status = grid(grid_deal_options, grid_price_options, grid_options);
    if (*sculpt_command) status = sculpt(sculpt_deal_options, sculpt_options);
    // A full disk or closed pipe must not pass for success: the document was not delivered.
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) throw computedebt::Error("cannot write standard output");
    return status;
  } catch (const computedebt::InputError& error) {
    for (const auto& problem : error.problems())
      fmt::print(stderr, "{}\n", computedebt::cli::printable(computedebt::to_string(problem)));
    return 2;
  } catch (const std::exception& error) {
    fmt::print(stderr, "computedebt: {}\n", computedebt::cli::printable(error.what()));
    return 1;
  }
}
