// The semi-analytic engine (docs/methodology.md section 6.6) on the 125-name pool's six tranches, and QuantLib's
// semi-analytic loss models on the same pool (ql/experimental/credit): time per capital structure, and each
// model's largest tranche expected-loss difference from computedebt's as the counter `max_error`.

#include <computedebt/analytic/semi_analytic.hpp>
#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/io/load.hpp>

#include <benchmark/benchmark.h>
#include <ql/currencies/america.hpp>
#include <ql/experimental/credit/basket.hpp>
#include <ql/experimental/credit/binomiallossmodel.hpp>
#include <ql/experimental/credit/constantlosslatentmodel.hpp>
#include <ql/experimental/credit/defaultprobabilitykey.hpp>
#include <ql/experimental/credit/issuer.hpp>
#include <ql/experimental/credit/pool.hpp>
#include <ql/experimental/credit/recursivelossmodel.hpp>
#include <ql/experimental/credit/saddlepointlossmodel.hpp>
#include <ql/settings.hpp>
#include <ql/termstructures/credit/flathazardrate.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

namespace {

using namespace computedebt;

const calibration::Plan& pool_plan() {
  static const auto plan = calibration::calibrate(io::load_deal(COMPUTEDEBT_EXAMPLE_DEALS "/homogeneous_pool.json"));
  return plan;
}

const pricing::Results& exact() {
  static const auto results = analytic::price(pool_plan());
  return results;
}

void semi_analytic_homogeneous_pool(benchmark::State& state) {
  const auto& plan = pool_plan();
  std::uint64_t nodes = 0;
  for (auto _ : state) {
    const auto results = analytic::price(plan);
    nodes = results.semi_analytic->nodes;
    benchmark::DoNotOptimize(results.tranches.data());
  }
  state.counters["nodes"] = static_cast<double>(nodes);
  state.counters["achieved_error"] = exact().semi_analytic->achieved_error;
}
BENCHMARK(semi_analytic_homogeneous_pool)->Unit(benchmark::kMillisecond);

// The same pool written with QuantLib's classes, as benchmarks/quantlib_peer.cpp writes it.
namespace ql = QuantLib;
constexpr ql::Size names_count = 125;
constexpr ql::Real rho = 0.3, recovery = 0.4;

struct QuantLibPool {
  ql::Date today{1, ql::January, 2026}, horizon{1, ql::January, 2031};
  std::vector<ql::ext::shared_ptr<ql::Basket>> baskets;

  QuantLibPool() {
    ql::Settings::instance().evaluationDate() = today;
    const ql::DayCounter day_counter = ql::Actual365Fixed();
    const ql::Real hazard = -std::log(0.95) / day_counter.yearFraction(today, horizon);
    const ql::Handle<ql::DefaultProbabilityTermStructure> curve(
        ql::ext::make_shared<ql::FlatHazardRate>(today, hazard, day_counter));
    const ql::NorthAmericaCorpDefaultKey key(ql::USDCurrency(), ql::SeniorSec, ql::Period(), 1.0);
    auto pool = ql::ext::make_shared<ql::Pool>();
    std::vector<std::string> names;
    for (ql::Size i = 0; i < names_count; ++i) {
      names.push_back("name_" + std::to_string(i));
      pool->add(names.back(), ql::Issuer(std::vector<ql::Issuer::key_curve_pair>{{key, curve}}), key);
    }
    const std::vector<ql::Real> notionals(names_count, 1e6);
    for (const auto& tranche : exact().tranches)
      baskets.push_back(
          ql::ext::make_shared<ql::Basket>(today, names, notionals, pool, tranche.attachment, tranche.detachment));
  }

  /// Prices every tranche with `model`; returns the largest difference from computedebt's expected losses.
  double price(const ql::ext::shared_ptr<ql::DefaultLossModel>& model) {
    double error = 0.0;
    for (std::size_t t = 0; t < baskets.size(); ++t) {
      baskets[t]->setLossModel(model);
      const double el = baskets[t]->expectedTrancheLoss(horizon) / baskets[t]->trancheNotional();
      error = std::max(error, std::abs(el - exact().tranches[t].expected_loss));
    }
    return error;
  }
};

ql::ext::shared_ptr<ql::GaussianConstantLossLM> latent_model() {
  return ql::ext::make_shared<ql::GaussianConstantLossLM>(
      std::vector<std::vector<ql::Real>>(names_count, std::vector<ql::Real>(1, std::sqrt(rho))),
      std::vector<ql::Real>(names_count, recovery), ql::LatentModelIntegrationType::GaussianQuadrature,
      ql::GaussianCopulaPolicy::initTraits());
}

template <class Model, class... Args>
void quantlib_model(benchmark::State& state, Args... args) {
  QuantLibPool pool;
  double error = 0.0;
  for (auto _ : state) error = pool.price(ql::ext::make_shared<Model>(latent_model(), args...));
  state.counters["max_error"] = error;
}
BENCHMARK_TEMPLATE(quantlib_model, ql::GaussianBinomialLossModel)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(quantlib_model, ql::RecursiveGaussLossModel)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(quantlib_model, ql::SaddlePointLossModel<ql::GaussianCopulaPolicy>)->Unit(benchmark::kMillisecond);

}  // namespace
