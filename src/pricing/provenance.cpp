#include <computedebt/calibration/warnings.hpp>
#include <computedebt/pricing/provenance.hpp>
#include <computedebt/version.hpp>

#include <fmt/format.h>

namespace computedebt::pricing {

using Json = nlohmann::ordered_json;

Json source_options(const io::LoadOptions& sources) {
  Json options = Json::object();
  if (sources.assumptions) options["assumptions"] = sources.assumptions->string();
  if (!sources.scenarios.empty()) {
    Json scenarios = Json::array();
    for (const auto& scenario : sources.scenarios) scenarios.push_back(scenario.string());
    options["scenarios"] = scenarios;
  }
  return options;
}

Json run_options(const engine::SimulationConfig& config, const io::LoadOptions& sources) {
  Json options = Json::object();
  if (!config.importance_shift.empty()) options["importance_shift"] = config.importance_shift;
  options["antithetic"] = config.antithetic;
  options["quasi_random"] = config.quasi_random;
  if (config.contributions) options["contributions"] = true;
  if (config.control_variates) options["control_variates"] = true;
  options.update(source_options(sources));
  return options;
}

Provenance run_provenance(const calibration::Plan& plan, const engine::SimulationConfig& config,
                          const io::LoadOptions& sources) {
  auto warnings = plan.warnings;
  // Standard errors are taken over independent groups: paths, antithetic pairs or quasi-random leaves
  // (docs/methodology.md section 7.4). Below two groups they are undefined, and reported as null.
  const std::uint64_t group = config.quasi_random ? engine::leaf_paths : (config.antithetic ? 2 : 1);
  if (config.paths / group < 2)
    warnings.push_back({"paths", fmt::format("{} path{} make{} fewer than 2 independent {}: every standard error is "
                                             "undefined and reported as null; run at least {} paths",
                                             config.paths, config.paths == 1 ? "" : "s", config.paths == 1 ? "s" : "",
                                             config.quasi_random ? "leaves"
                                             : config.antithetic ? "antithetic pairs"
                                                                 : "paths",
                                             2 * group)});
  return {plan.deal_name, config.paths, config.seed, run_options(config, sources), std::move(warnings)};
}

Provenance semi_analytic_provenance(const calibration::Plan& plan, double tolerance, const io::LoadOptions& sources) {
  Json options{{"method", "semi-analytic"}, {"tolerance", tolerance}};
  options.update(source_options(sources));
  return {plan.deal_name, std::nullopt, std::nullopt, std::move(options), plan.warnings};
}

Json to_json(const std::vector<Problem>& problems) {
  Json list = Json::array();
  for (const auto& problem : problems) list.push_back({{"path", problem.path}, {"message", problem.message}});
  return list;
}

Json with_provenance(const Provenance& provenance, const Json& document) {
  Json result{{"computedebt_version", COMPUTEDEBT_VERSION_STRING},
              {"format_version", io::format_version},
              {"deal", provenance.deal},
              {"paths", provenance.paths ? Json(*provenance.paths) : Json(nullptr)},
              {"seed", provenance.seed ? Json(*provenance.seed) : Json(nullptr)},
              {"options", provenance.options},
              {"warnings", to_json(provenance.warnings)}};
  for (const auto& [key, value] : document.items())
    if (!result.contains(key)) result[key] = value;
  return result;
}

}  // namespace computedebt::pricing
