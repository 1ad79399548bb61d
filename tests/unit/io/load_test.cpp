#include <gtest/gtest.h>
#include <computedebt/io/load.hpp>
#include <computedebt/io/save.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace computedebt;
using nlohmann::ordered_json;

namespace {

const std::filesystem::path valid_dir = std::filesystem::path(COMPUTEDEBT_TEST_DATA) / "valid";
const std::filesystem::path example_dir = COMPUTEDEBT_EXAMPLE_DEALS;

ordered_json every_field() { return io::read_json_file(valid_dir / "every_field.json"); }

std::vector<std::string> problem_paths(const std::function<void()>& load) {
  try {
    load();
  } catch (const InputError& error) {
    std::vector<std::string> paths;
    for (const auto& problem : error.problems()) paths.push_back(problem.path);
    return paths;
  }
  ADD_FAILURE() << "expected an InputError";
  return {};
}

}  // namespace

TEST(load, reads_the_bundled_examples) {
  const auto blended = io::load_deal(example_dir / "blended_2026.json");
  EXPECT_TRUE(std::holds_alternative<deal::Waterfall>(blended.deal.structure));
  EXPECT_GE(blended.deal.contracts.size(), 34u);
  const auto pool = io::load_deal(example_dir / "homogeneous_pool.json");
  const auto& tranches = std::get<deal::LossTranches>(pool.deal.structure);
  EXPECT_EQ(pool.deal.counterparties.size(), 125u);
  EXPECT_EQ(tranches.horizon_years, 5.0);
}

TEST(load, reads_every_field_of_the_format) {
  const auto file = io::load_deal(valid_dir / "every_field.json");
  const auto& deal = file.deal;
  EXPECT_EQ(deal.currency, "EUR");
  EXPECT_EQ(deal.counterparties[1].rating, deal::Rating::CCC_C);  // CCC+ maps to CCC/C
  EXPECT_FALSE(deal.counterparties[2].rating.has_value());
  ASSERT_TRUE(deal.contracts[1].guarantee.has_value());
  EXPECT_EQ(deal.contracts[1].guarantee->cap, 5e6);
  EXPECT_FALSE(deal.contracts[2].guarantee->cap.has_value());
  EXPECT_FALSE(deal.contracts[0].power_pass_through);
  EXPECT_EQ(deal.contracts[0].annual_escalator, 0.02);
  EXPECT_EQ(deal.contracts[2].notional, 1e6);
  ASSERT_TRUE(deal.contracts[4].capacity.has_value());
  EXPECT_FALSE(deal.contracts[4].lease.has_value());
  EXPECT_EQ(deal.contracts[4].capacity->megawatts, 2.5);
  EXPECT_EQ(deal.contracts[4].capacity->power, deal::CapacityPower::cost_plus);
  EXPECT_EQ(deal.contracts[4].capacity->power_margin, 0.08);
  EXPECT_EQ(deal.contracts[4].capacity->load_factor, 0.85);
  EXPECT_EQ(deal.contracts[5].capacity->power, deal::CapacityPower::included);
  EXPECT_EQ(deal.contracts[5].capacity->load_factor, 1.0);  // default
  EXPECT_EQ(deal.contracts[5].capacity->facility, "annex");
  ASSERT_EQ(deal.facilities.size(), 2u);
  EXPECT_EQ(std::get<deal::DepreciatedCost>(deal.facilities[0].value).residual_fraction, 0.15);
  EXPECT_EQ(deal.facilities[0].liquidation_haircut, 0.35);
  EXPECT_EQ(std::get<deal::CapRate>(deal.facilities[1].value).cap_rate, 0.075);
  EXPECT_EQ(deal.facilities[1].opex_per_mw_month, 0.0);  // default
  const auto& waterfall = std::get<deal::Waterfall>(deal.structure);
  EXPECT_EQ(std::get<deal::Level>(waterfall.tranches[0].amortization).term_months, 48);
  EXPECT_EQ(std::get<deal::Schedule>(waterfall.tranches[1].amortization).balances.size(), 6u);
  EXPECT_TRUE(std::holds_alternative<deal::Bullet>(waterfall.tranches[2].amortization));
  EXPECT_EQ(waterfall.triggers.dscr_cash_sweep, 1.2);
  EXPECT_FALSE(waterfall.triggers.ltv_cash_sweep.has_value());

  const auto& a = file.assumptions;
  EXPECT_EQ(std::get<assumptions::StudentTCopula>(a.copula).degrees_of_freedom, 6.0);
  const auto& cds = std::get<assumptions::CdsSpreads>(*a.credit.at("cds_name").curve);
  ASSERT_EQ(cds.quotes.size(), 4u);  // sorted by maturity, whatever the key order
  EXPECT_EQ(cds.quotes.front().tenor, (assumptions::Tenor{6, false}));
  EXPECT_EQ(cds.quotes.back().tenor, (assumptions::Tenor{5, true}));
  EXPECT_EQ(cds.cds_recovery, 0.35);
  EXPECT_EQ(a.sectors.at("ai startup").pd_multiplier, 1.5);
  EXPECT_EQ(a.sectors.at("hyperscaler").pd_multiplier, 1.0);  // sector default
  EXPECT_EQ(a.credit.at("start up").factor_loadings, (assumptions::FactorLoadings{{"ai", 0.6}}));
  EXPECT_EQ(a.gpu_market.at("H100").obsolescence.launches.size(), 1u);
  EXPECT_EQ(a.gpu_market.at("B200").initial_multiplier, 1.0);
  // Operations: given keys replace defaults at any depth, the rest keep theirs.
  EXPECT_EQ(a.operations.pue, 1.2);
  EXPECT_EQ(a.operations.power_price_per_mwh, 70.0);
  EXPECT_EQ(a.operations.re_lease.utilisation, 0.6);
  EXPECT_TRUE(a.operations.re_lease.enabled);
  EXPECT_EQ(a.operations.liquidation.lag_months, 6);
  EXPECT_EQ(a.operations.liquidation.haircut, 0.25);
  ASSERT_TRUE(a.capacity_market.has_value());
  EXPECT_EQ(a.capacity_market->re_lease.lag_months, 9);
  EXPECT_EQ(a.capacity_market->factor_loadings, (assumptions::FactorLoadings{{"global", 0.3}}));
}

TEST(load, string_file_and_json_entry_points_agree) {
  const auto from_file = io::load_deal(valid_dir / "every_field.json");
  EXPECT_EQ(io::load_deal_json(every_field()), from_file);
  EXPECT_EQ(io::load_deal_string(every_field().dump()), from_file);
}

TEST(load, reports_every_problem_at_once) {
  auto document = every_field();
  document["deal"]["contracts"][0]["gpu_count"] = -5;
  document["deal"]["contracts"][3]["end_date"] = "2026-01-01";
  document["assumptions"]["sectors"]["hyperscaler"]["recovery_rate"] = 1.5;
  document["assumptions"]["operations"]["pue"] = "high";
  const auto paths = problem_paths([&] { io::load_deal_json(document); });
  EXPECT_EQ(paths,
            (std::vector<std::string>{"deal.contracts[0].gpu_count", "deal.contracts[3].end_date",
                                      "assumptions.sectors.hyperscaler.recovery_rate", "assumptions.operations.pue"}));
}

TEST(load, messages_say_what_was_expected) {
  auto document = every_field();
  document["deal"]["contracts"][3]["end_date"] = "2026-01-01";
  try {
    io::load_deal_json(document);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.problems().at(0).message, "expected a date after start_date 2026-02-15, got 2026-01-01");
  }
}

TEST(load, replacement_assumptions_take_the_place_of_the_files_own) {
  io::LoadOptions options;
  options.assumptions = valid_dir / "flat_assumptions.json";
  const auto file = io::load_deal(valid_dir / "every_field.json", options);
  EXPECT_EQ(std::get<assumptions::FlatCurve>(file.assumptions.discount_curve).rate, 0.03);
  EXPECT_TRUE(file.assumptions.factors.names.empty());
  EXPECT_TRUE(std::holds_alternative<assumptions::GaussianCopula>(file.assumptions.copula));
}

TEST(load, a_deal_file_without_assumptions_needs_them_given_separately) {
  auto document = every_field();
  document.erase("assumptions");
  EXPECT_EQ(problem_paths([&] { io::load_deal_json(document); }), std::vector<std::string>{"assumptions"});
  const auto replacement = io::read_json_file(valid_dir / "flat_assumptions.json");
  EXPECT_NO_THROW(io::load_deal_json(document, replacement));
}

TEST(scenario, patches_merge_into_the_assumptions_in_order) {
  io::LoadOptions options;
  options.scenarios = {valid_dir / "stress_scenario.json", valid_dir / "second_scenario.json"};
  const auto base = io::load_deal(valid_dir / "every_field.json");
  const auto stressed = io::load_deal(valid_dir / "every_field.json", options);
  EXPECT_EQ(stressed.deal, base.deal);
  EXPECT_EQ(stressed.assumptions.sectors.at("ai startup").pd_multiplier, 3.0);
  // Merge patch keeps siblings: the sector's loadings and recovery are untouched.
  EXPECT_EQ(stressed.assumptions.sectors.at("ai startup").factor_loadings,
            base.assumptions.sectors.at("ai startup").factor_loadings);
  EXPECT_EQ(stressed.assumptions.gpu_market.at("H100").initial_multiplier, 0.7);
  // The second patch re-enables re-leasing after the first turned it off, and null deletes keys.
  EXPECT_TRUE(stressed.assumptions.operations.re_lease.enabled);
  EXPECT_EQ(stressed.assumptions.operations.re_lease.lag_months, 6);
  EXPECT_TRUE(std::holds_alternative<assumptions::GaussianCopula>(stressed.assumptions.copula));
  EXPECT_FALSE(stressed.assumptions.credit.at("hyper").recovery_rate.has_value());
}

TEST(scenario, a_patch_that_breaks_the_assumptions_is_refused) {
  const ordered_json patch = {{"sectors", {{"hyperscaler", {{"recovery_rate", 2.0}}}}}, {"discount_curve", nullptr}};
  const std::vector<ordered_json> patches{patch};
  const auto paths = problem_paths([&] { io::load_deal_json(every_field(), std::nullopt, patches); });
  EXPECT_EQ(paths,
            (std::vector<std::string>{"assumptions.discount_curve", "assumptions.sectors.hyperscaler.recovery_rate"}));
}

TEST(scenario, a_patch_must_be_an_object) {
  const std::vector<ordered_json> patches{ordered_json::array({1, 2})};
  EXPECT_EQ(problem_paths([&] { io::load_deal_json(every_field(), std::nullopt, patches); }),
            std::vector<std::string>{"scenarios[0]"});
}

TEST(parse_json, reports_syntax_errors_where_they_happen) {
  try {
    io::parse_json(R"({"deal": {"contracts": [{"id": "a"}, {"id": tru}]}})", "deal.json");
    FAIL();
  } catch (const InputError& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].path, "deal.contracts[1].id");
    EXPECT_NE(error.problems()[0].message.find("deal.json is not valid JSON"), std::string::npos);
  }
}

TEST(parse_json, refuses_duplicate_keys_empty_text_and_deep_nesting) {
  EXPECT_EQ(problem_paths([] { io::parse_json(R"({"a": {"b": 1, "b": 2}})", "x"); }), std::vector<std::string>{"a.b"});
  EXPECT_EQ(problem_paths([] { io::parse_json(" \n\t", "x"); }), std::vector<std::string>{""});
  const std::string deep = "{\"junk\": " + std::string(5000, '[') + std::string(5000, ']') + "}";
  const auto paths = problem_paths([&] { io::parse_json(deep, "x"); });
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(paths[0].rfind("junk[0][0]", 0), 0u) << paths[0];
}

TEST(parse_json, reports_a_missing_file) {
  EXPECT_EQ(problem_paths([] { io::read_json_file("/nonexistent/deal.json"); }), std::vector<std::string>{""});
}

TEST(sector, is_optional_and_round_trips_when_absent) {
  auto document = every_field();
  document["deal"]["counterparties"][0].erase("sector");
  const auto file = io::load_deal_json(document);
  EXPECT_TRUE(file.deal.counterparties[0].sector.empty());
  EXPECT_FALSE(io::to_json(file)["deal"]["counterparties"][0].contains("sector"));
  EXPECT_EQ(io::load_deal_json(io::to_json(file)), file);
}

TEST(sector, a_sector_the_assumptions_do_not_define_is_refused_with_the_other_problems) {
  auto document = every_field();
  document["deal"]["counterparties"][1]["sector"] = "ai start-up";
  document["deal"]["name"] = nullptr;
  try {
    io::load_deal_json(document);
    FAIL() << "an undefined sector loaded";
  } catch (const InputError& error) {
    ASSERT_EQ(error.problems().size(), 2u);
    EXPECT_EQ(error.problems()[0].path, "deal.name");
    EXPECT_EQ(error.problems()[1].path, "deal.counterparties[1].sector");
    EXPECT_NE(error.problems()[1].message.find("\"ai start-up\" is not defined in assumptions.sectors"),
              std::string::npos)
        << error.problems()[1].message;
  }
}

TEST(scenario, a_patch_that_names_nothing_of_the_deal_is_refused_and_named) {
  const ordered_json patch = {{"credit", {{"hyper", {{"pd_multiplier", 2.0}}}, {"hyperr", {{"pd_multiplier", 2.0}}}}},
                              {"sectors", {{"energy", {{"pd_multiplier", 3.0}}}}},
                              {"gpu_market", {{"A100", {{"volatility", 0.5}}}}}};
  const std::vector<ordered_json> patches{patch};
  const std::vector<std::string> names{"stress.json"};
  try {
    io::load_deal_json(every_field(), std::nullopt, patches, names);
    FAIL() << "the patch was applied";
  } catch (const InputError& error) {
    std::vector<std::string> paths;
    for (const auto& problem : error.problems()) {
      paths.push_back(problem.path);
      EXPECT_NE(problem.message.find("scenario stress.json"), std::string::npos) << problem.message;
    }
    EXPECT_EQ(paths, (std::vector<std::string>{"assumptions.credit.hyperr", "assumptions.sectors.energy",
                                               "assumptions.gpu_market.A100"}));
  }
  // Without names the patches are numbered.
  const auto paths = problem_paths([&] { io::load_deal_json(every_field(), std::nullopt, patches); });
  EXPECT_EQ(paths.size(), 3u);
}

TEST(scenario, a_sector_defined_but_used_by_no_counterparty_cannot_be_patched) {
  auto document = every_field();
  document["assumptions"]["sectors"]["energy"] = {{"recovery_rate", 0.3}};
  EXPECT_NO_THROW(io::load_deal_json(document));  // defined and unused: allowed
  const std::vector<ordered_json> patches{{{"sectors", {{"energy", {{"pd_multiplier", 3.0}}}}}}};
  EXPECT_EQ(problem_paths([&] { io::load_deal_json(document, std::nullopt, patches); }),
            std::vector<std::string>{"assumptions.sectors.energy"});
}

TEST(load, positive_amounts_are_at_least_a_hundredth_of_the_currency_unit) {
  // 5e-324 made the money multiple NaN and the IRR 5e23 % (issue 15): refused at its path.
  for (double tiny : {5e-324, 1e-9, 0.009}) {
    auto document = every_field();
    document["deal"]["structure"]["equity"]["investment"] = tiny;
    document["deal"]["gpu_types"][0]["purchase_price"] = tiny;
    try {
      io::load_deal_json(document);
      ADD_FAILURE() << tiny << " was accepted";
    } catch (const InputError& error) {
      ASSERT_EQ(error.problems().size(), 2u);
      std::vector<std::string> paths;
      for (const auto& problem : error.problems()) {
        paths.push_back(problem.path);
        EXPECT_EQ(problem.message.rfind("expected a positive amount in [0.01, 1e15], got ", 0), 0u) << problem.message;
      }
      std::sort(paths.begin(), paths.end());
      EXPECT_EQ(paths,
                (std::vector<std::string>{"deal.gpu_types[0].purchase_price", "deal.structure.equity.investment"}));
    }
  }
  auto document = every_field();
  document["deal"]["structure"]["equity"]["investment"] = 0.01;  // the bound itself
  EXPECT_EQ(std::get<deal::Waterfall>(io::load_deal_json(document).deal.structure).equity.investment, 0.01);
}

TEST(parse_json, reports_invalid_utf8_at_the_path_being_read_in_a_valid_utf8_message) {
  for (const std::string& text : {std::string("{\"deal\": {\"name\": \"GPU \xff fund\"}}"),
                                  std::string("{\"deal\": {\"name\": \"\xc3\x28\"}}"),      // a bad continuation byte
                                  std::string("{\"deal\": {\"name\": \"\xed\xa0\x80\"}}"),  // a UTF-16 surrogate
                                  std::string("{\"deal\": {\"name\": \xfe}}")}) {           // outside a string
    try {
      io::parse_json(text, "deal.json");
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      ASSERT_EQ(error.problems().size(), 1u);
      EXPECT_EQ(error.problems()[0].path, "deal.name");
      const auto& message = error.problems()[0].message;
      EXPECT_NE(message.find("deal.json is not valid UTF-8"), std::string::npos) << message;
      // The message is itself valid UTF-8: the offending bytes are written \xNN (so it can be dumped as JSON).
      EXPECT_NO_THROW((void)nlohmann::json(message).dump()) << message;
      EXPECT_NE(message.find("\\x"), std::string::npos) << message;
    }
  }
  // Valid multi-byte UTF-8 is of course accepted.
  EXPECT_EQ(io::parse_json("{\"name\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x96\xa5\"}", "x")["name"],
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x96\xa5");
}

TEST(parse_json, refuses_a_file_larger_than_the_bound_without_reading_it_whole) {
  const auto directory = std::filesystem::temp_directory_path() / "computedebt_load_test_large";
  std::filesystem::create_directories(directory);
  const auto large = directory / "large.json";
  { std::ofstream(large) << "{}"; }
  std::filesystem::resize_file(large, io::max_file_bytes + 1);  // sparse: nothing is written
  try {
    io::read_json_file(large);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].path, "");
    EXPECT_NE(error.problems()[0].message.find("is larger than 268435456 bytes (256 MiB)"), std::string::npos)
        << error.problems()[0].message;
  }
  std::filesystem::remove_all(directory);
  // A stream with no size goes on forever: it is refused once it passes the bound.
  if (std::filesystem::exists("/dev/zero")) {
    try {
      io::read_json_file("/dev/zero");
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      EXPECT_NE(error.problems()[0].message.find("/dev/zero is larger than"), std::string::npos)
          << error.problems()[0].message;
    }
  }
}
