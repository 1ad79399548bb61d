#pragma once
// Small deals built in code for tests: a homogeneous pool and a pool of named credits.

#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace computedebt::test_support {

/// `n` equal names with default probability `pd` at 5 years, one factor with `rho = beta^2`, recovery `r`,
/// each with a notional of 1, and `tranches` as (attachment, detachment) pairs.
inline nlohmann::ordered_json homogeneous_pool(int n, double pd, double rho, double recovery,
                                               const std::vector<std::pair<double, double>>& tranches,
                                               const std::string& copula = "gaussian", double nu = 0.0) {
  nlohmann::ordered_json counterparties = nlohmann::ordered_json::array(), contracts = nlohmann::ordered_json::array(),
                         credit = nlohmann::ordered_json::object(), tranche_list = nlohmann::ordered_json::array();
  for (int i = 0; i < n; ++i) {
    const std::string id = "name_" + std::to_string(i);
    counterparties.push_back({{"id", id}, {"sector", "pool"}});
    contracts.push_back({{"id", "loan_" + std::to_string(i)},
                         {"counterparty", id},
                         {"notional", 1.0},
                         {"start_date", "2026-01-01"},
                         {"end_date", "2036-01-01"}});
    credit[id] = {{"default_probability", pd}, {"horizon_years", 5}};
  }
  for (std::size_t t = 0; t < tranches.size(); ++t)
    tranche_list.push_back(
        {{"name", "t" + std::to_string(t)}, {"attachment", tranches[t].first}, {"detachment", tranches[t].second}});
  nlohmann::ordered_json copula_json{{"type", copula}};
  if (copula == "student_t") copula_json["degrees_of_freedom"] = nu;
  return {{"format_version", 1},
          {"deal",
           {{"name", "pool"},
            {"valuation_date", "2026-01-01"},
            {"counterparties", counterparties},
            {"contracts", contracts},
            {"structure", {{"type", "loss_tranches"}, {"horizon_years", 5}, {"tranches", tranche_list}}}}},
          {"assumptions",
           {{"discount_curve", {{"type", "flat"}, {"rate", 0.04}}},
            {"factors", {{"names", {"market"}}, {"correlation", {{1.0}}}}},
            {"copula", copula_json},
            {"sectors", {{"pool", {{"factor_loadings", {{"market", std::sqrt(rho)}}}, {"recovery_rate", recovery}}}}},
            {"credit", credit}}}};
}

inline calibration::Plan calibrate_json(const nlohmann::ordered_json& document) {
  return calibration::calibrate(io::load_deal_json(document));
}

}  // namespace computedebt::test_support
