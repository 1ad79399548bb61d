// QuantLib's own Monte Carlo on the standard homogeneous pool, as a peer for benchmarks/compare_peers.
//
// The pool is examples/deals/homogeneous_pool.json written with QuantLib's experimental credit classes:
// 125 issuers with flat hazard curves giving a 5% default probability at the 5-year date, a one-factor
// Gaussian latent model with loading sqrt(0.3) (rho = 0.3), recovery 0.4, equal notionals, and the six
// tranches 0-3, 3-7, 7-10, 10-15, 15-30 and 30-100%. RandomDefaultLM simulates default times; each tranche
// is a Basket on the same pool, and its expected loss comes from the basket's expectedTrancheLoss.
//
// Usage: quantlib_peer [--paths N] [--seed S] [--rng sobol|mt]
//   --rng sobol  QuantLib's default GaussianRandomDefaultLM (Sobol sequence, inverse-normal factors);
//   --rng mt     Mersenne Twister with Box-Muller, as in QuantLib's BasketLosses example.
// Prints one JSON line: {"paths", "seconds", "simulation_seconds", "rng", "tranche_el", "tranche_se", ...}.
// Expected losses are fractions of each tranche's notional (QuantLib returns currency amounts).

#include <CLI/CLI.hpp>
#include <ql/currencies/america.hpp>
#include <ql/experimental/credit/basket.hpp>
#include <ql/experimental/credit/defaultprobabilitykey.hpp>
#include <ql/experimental/credit/defaultprobabilitylatentmodel.hpp>
#include <ql/experimental/credit/issuer.hpp>
#include <ql/experimental/credit/pool.hpp>
#include <ql/experimental/credit/randomdefaultlatentmodel.hpp>
#include <ql/math/distributions/normaldistribution.hpp>
#include <ql/math/randomnumbers/boxmullergaussianrng.hpp>
#include <ql/math/randomnumbers/mt19937uniformrng.hpp>
#include <ql/math/randomnumbers/randomsequencegenerator.hpp>
#include <ql/math/randomnumbers/sobolrsg.hpp>
#include <ql/settings.hpp>
#include <ql/termstructures/credit/flathazardrate.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>
#include <ql/version.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace QuantLib;

constexpr Size names_count = 125;
constexpr Real default_probability = 0.05;  // by the 5-year date
constexpr Real rho = 0.3;                   // factor loading sqrt(rho)
constexpr Real recovery = 0.4;
constexpr Real notional = 1'000'000.0;
const std::vector<std::pair<Real, Real>> tranches = {{0.0, 0.03},  {0.03, 0.07}, {0.07, 0.10},
                                                     {0.10, 0.15}, {0.15, 0.30}, {0.30, 1.00}};

// RandomLM keeps expectedTrancheLossInterval (mean and a confidence half-width) protected; Basket only
// forwards the mean. This subclass changes nothing in the simulation and only exposes that statistic.
template <class USNG>
class TrancheLossModel final : public RandomDefaultLM<GaussianCopulaPolicy, USNG> {
 public:
  TrancheLossModel(const ext::shared_ptr<DefaultLatentModel<GaussianCopulaPolicy>>& model,
                   const std::vector<Real>& recoveries, Size paths, Real accuracy, BigNatural seed)
      : RandomDefaultLM<GaussianCopulaPolicy, USNG>(model, recoveries, paths, accuracy, seed) {}

  // Mean and standard error, in currency, of the loss of the basket currently attached to the model.
  std::pair<Real, Real> meanAndError(const Date& d) const {
    const auto [mean, half_width] = this->expectedTrancheLossInterval(d, 0.95);
    return {mean, half_width / InverseCumulativeNormal::standard_value(0.975)};
  }
};

struct Options {
  Size paths = 5000;
  BigNatural seed = 1;
  std::string rng = "sobol";
};

void add_options(CLI::App& app, Options& options) {
  app.add_option("--paths", options.paths, "Monte Carlo paths")->check(CLI::Range(2, 100000000));
  app.add_option("--seed", options.seed, "Seed");
  app.add_option("--rng", options.rng, "sobol or mt")->check(CLI::IsMember({"sobol", "mt"}));
}

template <class USNG>
int run(const Options& options) {
  const Date today(1, January, 2026);    // the deal's valuation date
  const Date horizon(1, January, 2031);  // t_60, the 5-year grid date
  Settings::instance().evaluationDate() = today;

  // A flat hazard with S(horizon) = 1 - p exactly, on Actual/365 Fixed docs/methodology.md section 1.1.
  const DayCounter day_counter = Actual365Fixed();
  const Real hazard = -std::log(1.0 - default_probability) / day_counter.yearFraction(today, horizon);
  const Handle<DefaultProbabilityTermStructure> curve(ext::make_shared<FlatHazardRate>(today, hazard, day_counter));
  curve->enableExtrapolation();

  const NorthAmericaCorpDefaultKey key(USDCurrency(), SeniorSec, Period(), 1.0);
  auto pool = ext::make_shared<Pool>();
  std::vector<std::string> names;
  for (Size i = 0; i < names_count; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "name_%03zu", i + 1);
    names.emplace_back(name);
    pool->add(names.back(), Issuer(std::vector<Issuer::key_curve_pair>{{key, curve}}), key);
  }
  const std::vector<Real> notionals(names_count, notional);

  std::vector<ext::shared_ptr<Basket>> baskets;
  for (const auto& [attachment, detachment] : tranches)
    baskets.push_back(ext::make_shared<Basket>(today, names, notionals, pool, attachment, detachment));

  const std::vector<std::vector<Real>> loadings(names_count, std::vector<Real>(1, std::sqrt(rho)));
  const auto latent = ext::make_shared<DefaultLatentModel<GaussianCopulaPolicy>>(
      loadings, LatentModelIntegrationType::GaussianQuadrature, GaussianCopulaPolicy::initTraits());
  const std::vector<Real> recoveries(names_count, recovery);

  const auto start = std::chrono::steady_clock::now();
  const auto model = ext::make_shared<TrancheLossModel<USNG>>(latent, recoveries, options.paths, 1.0e-6, options.seed);

  std::vector<Real> el, se;
  double simulation_seconds = 0.0;
  for (Size t = 0; t < baskets.size(); ++t) {
    baskets[t]->setLossModel(model);
    // The first tranche triggers the simulation. A basket re-attaching the model would normally make it
    // simulate again; freezing it after the first run prices every tranche from the same paths, which is
    // what a QuantLib user pricing a capital structure would do and is the fairest timing for QuantLib.
    const Real currency_el = baskets[t]->expectedTrancheLoss(horizon);
    if (t == 0) {
      simulation_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      model->freeze();
    }
    const auto [mean, error] = model->meanAndError(horizon);
    if (std::abs(mean - currency_el) > 1e-9 * (1.0 + std::abs(currency_el)))
      throw std::runtime_error("basket and model disagree on the tranche loss");
    const Real tranche_notional = baskets[t]->trancheNotional();
    el.push_back(currency_el / tranche_notional);
    se.push_back(error / tranche_notional);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const auto list = [](const std::vector<Real>& values) {
    std::ostringstream out;
    out.precision(17);
    out << '[';
    for (Size i = 0; i < values.size(); ++i) out << (i ? ", " : "") << values[i];
    out << ']';
    return out.str();
  };
  std::ostringstream out;
  out.precision(17);
  out << "{\"paths\": " << options.paths << ", \"seconds\": " << seconds
      << ", \"simulation_seconds\": " << simulation_seconds << ", \"rng\": \"" << options.rng
      << "\", \"seed\": " << options.seed << ", \"quantlib_version\": \"" << QL_VERSION
      << "\", \"tranche_el\": " << list(el) << ", \"tranche_se\": " << list(se) << "}";
  std::cout << out.str() << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"quantlib_peer: QuantLib's Monte Carlo on the pool"};
  add_options(app, options);
  CLI11_PARSE(app, argc, argv);
  try {
    if (options.rng == "mt")
      return run<RandomSequenceGenerator<BoxMullerGaussianRng<MersenneTwisterUniformRng>>>(options);
    return run<SobolRsg>(options);
  } catch (const std::exception& e) {
    std::cerr << "quantlib_peer: " << e.what() << '\n';
    return 1;
  }
}
