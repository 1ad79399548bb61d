// Risk contributions: Euler allocations of a two-sector pool against the exact conditional binomial integral, and
// the identities every allocation must satisfy (docs/methodology.md section 6.7).

#include <computedebt/engine/simulate.hpp>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>

#include "test_deals.hpp"
#include "validation/statistical.hpp"

#include <filesystem>

using namespace computedebt;

namespace {

struct Sector {
  int names;
  double pd, rho;
};

/// Two sectors on one factor, each name with a notional of 1 and recovery 0.4: the pool of the test deals with its
/// names split, the second sector's loading and default probability replaced.
nlohmann::ordered_json two_sector_pool(const Sector& a, const Sector& b) {
  auto deal = test_support::homogeneous_pool(a.names + b.names, a.pd, a.rho, 0.4, {{0.0, 0.05}, {0.05, 1.0}});
  auto& assumptions = deal["assumptions"];
  assumptions["sectors"]["second"] = {{"factor_loadings", {{"market", std::sqrt(b.rho)}}}, {"recovery_rate", 0.4}};
  for (int i = a.names; i < a.names + b.names; ++i) {
    const std::string id = "name_" + std::to_string(i);
    deal["deal"]["counterparties"][static_cast<std::size_t>(i)]["sector"] = "second";
    assumptions["credit"][id]["default_probability"] = b.pd;
  }
  return deal;
}

/// The exact joint law of the two sectors' default counts, integrated over the factor with Simpson's rule:
/// `P(K = k)` and `E[D_a 1{K = k}]` for the total count `K = D_a + D_b`.
struct ExactPool {
  std::vector<double> probability, first_sector_defaults;

  ExactPool(const Sector& a, const Sector& b, int intervals = 4000)
      : probability(a.names + b.names + 1), first_sector_defaults(a.names + b.names + 1) {
    const boost::math::normal standard;
    const double low = -9.0, h = 18.0 / intervals;
    for (int i = 0; i <= intervals; ++i) {
      const double z = low + i * h;
      const double weight = ((i == 0 || i == intervals) ? 1.0 : (i % 2 ? 4.0 : 2.0)) * h / 3.0 * pdf(standard, z);
      const auto conditional = [&](const Sector& s) {
        return cdf(standard, (quantile(standard, s.pd) - std::sqrt(s.rho) * z) / std::sqrt(1 - s.rho));
      };
      const boost::math::binomial first(a.names, conditional(a)), second(b.names, conditional(b));
      for (int d_a = 0; d_a <= a.names; ++d_a)
        for (int d_b = 0; d_b <= b.names; ++d_b) {
          const double p = weight * pdf(first, d_a) * pdf(second, d_b);
          probability[d_a + d_b] += p;
          first_sector_defaults[d_a + d_b] += p * d_a;
        }
    }
  }
};

engine::SimulationConfig contributions_config(std::uint64_t paths, std::uint32_t seed) {
  engine::SimulationConfig config;
  config.paths = paths;
  config.seed = seed;
  config.contributions = true;
  return config;
}

}  // namespace

TEST(contributions, two_sector_euler_allocations_match_the_conditional_binomial_integral) {
  const Sector a{30, 0.08, 0.35}, b{30, 0.02, 0.15};
  const auto plan = test_support::calibrate_json(two_sector_pool(a, b));
  const auto config = contributions_config(200000, 5);
  const auto results = engine::simulate(plan, config);
  ASSERT_TRUE(results.contributions);
  const auto& sectors = results.contributions->sectors;
  ASSERT_EQ(sectors.size(), 2u);
  EXPECT_EQ(sectors[0].id, "pool");
  EXPECT_EQ(sectors[1].id, "second");

  const ExactPool exact(a, b);
  const double unit = 0.6 / (a.names + b.names), level = engine::contribution_level;
  std::size_t var = 0;
  for (double cumulative = exact.probability[0]; cumulative < level;) cumulative += exact.probability[++var];
  ASSERT_DOUBLE_EQ(results.portfolio.loss_var_99, unit * static_cast<double>(var))
      << "the run's VaR is the exact one, so both allocate around the same count";
  double tail_sum = 0.0, at_or_below = 0.0;
  for (std::size_t k = 0; k < exact.probability.size(); ++k) {
    if (k > var) tail_sum += unit * exact.first_sector_defaults[k];
    if (k <= var) at_or_below += exact.probability[k];
  }
  const double var_share = unit * exact.first_sector_defaults[var] / exact.probability[var];
  const double es_share = (tail_sum + var_share * (at_or_below - level)) / (1.0 - level);
  const double el_share = unit * a.names * a.pd;

  const auto& first = sectors[0];
  test_support::expect_within("first sector's expected loss", first.expected_loss, el_share, first.expected_loss_stderr,
                              config.seed);
  test_support::expect_within("first sector's VaR contribution", first.var_99, var_share, first.var_99_stderr,
                              config.seed);
  test_support::expect_within("first sector's ES contribution", first.es_99, es_share, first.es_99_stderr, config.seed);
  // The second sector holds the rest of each total.
  const double total_el = unit * (a.names * a.pd + b.names * b.pd);
  test_support::expect_within("second sector's expected loss", sectors[1].expected_loss, total_el - el_share,
                              sectors[1].expected_loss_stderr, config.seed);
  test_support::expect_within("second sector's VaR contribution", sectors[1].var_99,
                              unit * static_cast<double>(var) - var_share, sectors[1].var_99_stderr, config.seed);
}

TEST(contributions, add_up_to_their_totals_and_to_each_tranche) {
  const auto plan = test_support::calibrate_json(two_sector_pool({30, 0.08, 0.35}, {30, 0.02, 0.15}));
  const auto results = engine::simulate(plan, contributions_config(20000, 3));
  const auto& c = *results.contributions;
  // Every loss value is its own bin here, so the VaR bin's mean loss is the VaR and the totals are exact.
  EXPECT_NEAR(c.expected_loss, results.portfolio.expected_loss, 1e-15);
  EXPECT_NEAR(c.var, results.portfolio.loss_var_99, 1e-14);
  EXPECT_NEAR(c.es, results.portfolio.loss_es_99, 1e-14);
  double sector_el = 0.0, sector_var = 0.0, sector_es = 0.0;
  for (const auto& s : c.sectors) {
    sector_el += s.expected_loss;
    sector_var += s.var_99;
    sector_es += s.es_99;
  }
  EXPECT_NEAR(sector_el, c.expected_loss, 1e-15);
  EXPECT_NEAR(sector_var, c.var, 1e-14);
  EXPECT_NEAR(sector_es, c.es, 1e-14);
  for (std::size_t t = 0; t < results.tranches.size(); ++t) {
    double by_name = c.gpu_market[t].expected_loss, by_sector = c.gpu_market[t].expected_loss;
    for (const auto& h : c.counterparties) by_name += h.tranches[t].expected_loss;
    for (const auto& s : c.sectors) by_sector += s.tranches[t].expected_loss;
    EXPECT_NEAR(by_name, results.tranches[t].expected_loss, 1e-14) << results.tranches[t].name;
    EXPECT_NEAR(by_sector, results.tranches[t].expected_loss, 1e-14) << results.tranches[t].name;
    EXPECT_EQ(c.gpu_market[t].expected_loss, 0.0) << "a loss tranche loses only on credit loss";
  }
}

TEST(contributions, waterfall_tranches_split_between_counterparties_and_the_gpu_market) {
  const auto plan = test_support::calibrate_example("blended_2026.json");
  auto config = contributions_config(8192, 9);
  const auto with = engine::simulate(plan, config);
  config.contributions = false;
  const auto without = engine::simulate(plan, config);
  auto document = pricing::to_json(with), plain = pricing::to_json(without);
  document.erase("contributions");
  document.erase("elapsed_seconds");
  plain.erase("elapsed_seconds");
  EXPECT_EQ(document, plain) << "contributions change no other result";
  const auto& c = *with.contributions;
  EXPECT_EQ(c.counterparties.size(), plan.credit.names);
  for (std::size_t t = 0; t < with.tranches.size(); ++t) {
    double total = c.gpu_market[t].expected_loss;
    for (const auto& h : c.counterparties) total += h.tranches[t].expected_loss;
    EXPECT_NEAR(total, with.tranches[t].expected_loss, 1e-12 * std::max(1.0, with.tranches[t].expected_loss))
        << with.tranches[t].name;
  }
}

TEST(contributions, are_bit_identical_across_threads_and_over_blocks) {
  const auto plan = test_support::calibrate_json(two_sector_pool({30, 0.08, 0.35}, {30, 0.02, 0.15}));
  auto config = contributions_config(6 * engine::leaf_paths, 4);
  config.threads = 1;
  auto one = pricing::to_json(engine::simulate(plan, config));
  config.threads = 3;
  config.block_leaves = 1;
  auto three = pricing::to_json(engine::simulate(plan, config));
  one.erase("elapsed_seconds");
  one.erase("threads");
  three.erase("elapsed_seconds");
  three.erase("threads");
  EXPECT_EQ(one, three);

  // A distributed run: a first round over blocks gives the tail, a second round the contributions.
  auto first = config;
  first.contributions = false;
  std::vector<engine::Partial> round;
  for (std::uint64_t leaf = 0; leaf < 6; leaf += 2)
    round.push_back(engine::simulate_blocks(plan, first, leaf, leaf + 2));
  config.loss_tail = engine::loss_tail(engine::merge_blocks(round), config.paths);
  round.clear();
  EXPECT_THROW(engine::simulate_blocks(plan, contributions_config(config.paths, 4), 0, 2), InputError);
  for (std::uint64_t leaf = 0; leaf < 6; leaf += 2) {
    const auto block = engine::simulate_blocks(plan, config, leaf, leaf + 2);
    round.push_back(engine::partial_from_bytes(engine::partial_to_bytes(block)));
  }
  auto distributed = pricing::to_json(engine::finish(plan, config, engine::merge_blocks(round)));
  distributed.erase("elapsed_seconds");
  distributed.erase("threads");
  EXPECT_EQ(distributed, one);
}
