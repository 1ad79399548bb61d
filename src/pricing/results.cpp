#include <computedebt/pricing/results.hpp>

namespace computedebt::pricing {

nlohmann::ordered_json to_json(const Results& results) {
  using Json = nlohmann::ordered_json;
  const auto& p = results.portfolio;
  Json document{{"deal", results.deal},
                {"paths", results.paths},
                {"seed", results.seed},
                {"threads", results.threads},
                {"elapsed_seconds", results.elapsed_seconds}};
  if (!results.importance_shift.empty()) document["importance_shift"] = results.importance_shift;
  if (results.antithetic) document["antithetic"] = true;
  if (results.quasi_random) document["quasi_random"] = true;
  document["portfolio"] = {{"expected_loss", p.expected_loss},
                           {"expected_loss_stderr", p.expected_loss_stderr},
                           {"loss_var_99", p.loss_var_99},
                           {"loss_es_99", p.loss_es_99},
                           {"loss_var_999", p.loss_var_999},
                           {"loss_es_999", p.loss_es_999},
                           {"expected_defaults", p.expected_defaults},
                           {"expected_defaults_stderr", p.expected_defaults_stderr},
                           {"default_count_distribution", p.default_count_distribution}};
  Json tranches = Json::array();
  for (const auto& t : results.tranches)
    tranches.push_back({{"name", t.name},
                        {"attachment", t.attachment},
                        {"detachment", t.detachment},
                        {"expected_loss", t.expected_loss},
                        {"expected_loss_stderr", t.expected_loss_stderr},
                        {"default_probability", t.default_probability},
                        {"loss_given_default", t.loss_given_default}});
  document["tranches"] = tranches;
  return document;
}

}  // namespace computedebt::pricing
