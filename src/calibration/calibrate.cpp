#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/calibration/survival_curve.hpp>
#include <computedebt/calibration/thresholds.hpp>
#include <computedebt/core/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace computedebt::calibration {

namespace {

using assumptions::Assumptions;
using assumptions::CreditAssumptions;
using assumptions::SectorAssumptions;

/// A counterparty's credit inputs after sector defaults and overrides are resolved.
struct ResolvedCredit {
  assumptions::CurveSource curve;
  assumptions::FactorLoadings loadings;
  double recovery_rate;
  double pd_multiplier;
};

ResolvedCredit resolve(const deal::Counterparty& counterparty, const Assumptions& assumptions) {
  static const SectorAssumptions no_sector{};
  static const CreditAssumptions no_override{};
  const auto sector_entry = assumptions.sectors.find(counterparty.sector);
  const auto& sector = sector_entry != assumptions.sectors.end() ? sector_entry->second : no_sector;
  const auto credit_entry = assumptions.credit.find(counterparty.id);
  const auto& credit = credit_entry != assumptions.credit.end() ? credit_entry->second : no_override;
  // Validation guarantees a curve source or a deal rating for every counterparty.
  return {credit.curve ? *credit.curve : assumptions::CurveSource{assumptions::RatingCurve{*counterparty.rating}},
          credit.factor_loadings.value_or(sector.factor_loadings), credit.recovery_rate.value_or(sector.recovery_rate),
          credit.pd_multiplier.value_or(sector.pd_multiplier)};
}

std::vector<double> discount_factors(const MonthGrid& grid, const assumptions::DiscountCurve& curve) {
  std::vector<double> factors;
  factors.reserve(grid.times.size());
  for (double t : grid.times) factors.push_back(std::exp(-assumptions::zero_rate(curve, t) * t));
  return factors;
}

}  // namespace

int last_month(const deal::Deal& deal) {
  if (const auto* loss = std::get_if<deal::LossTranches>(&deal.structure)) return horizon_month(loss->horizon_years);
  const auto& waterfall = std::get<deal::Waterfall>(deal.structure);
  int last = 0;
  for (const auto& tranche : waterfall.tranches)
    last = std::max(last, deal::last_payment_month(deal.valuation_date, waterfall.payment_frequency_months,
                                                   tranche.legal_maturity));
  return last;
}

Plan calibrate(const io::DealFile& file) {
  const auto& deal = file.deal;
  const auto& assumptions = file.assumptions;
  Plan plan;
  plan.source = file;
  plan.grid = make_month_grid(deal.valuation_date, last_month(deal));
  plan.discount_factors = discount_factors(plan.grid, assumptions.discount_curve);
  plan.factor_root = factor_root(assumptions.factors);
  plan.copula = assumptions.copula;

  auto& credit = plan.credit;
  credit.names = deal.counterparties.size();
  credit.columns = plan.grid.dates.size();
  std::vector<Problem> problems;
  for (const auto& counterparty : deal.counterparties) {
    const ResolvedCredit resolved = resolve(counterparty, assumptions);
    std::vector<double> survival;
    try {
      survival = survival_curve(plan.grid, resolved.curve, assumptions.discount_curve);
    } catch (const std::exception& error) {
      // Only a CDS curve can fail: QuantLib's bootstrap finds no hazard rate that reprices a quote.
      problems.push_back({fmt::format("assumptions.credit.{}.cds_spreads_bp", counterparty.id),
                          fmt::format("the CDS curve cannot be bootstrapped: {}", error.what())});
      survival.assign(credit.columns, 1.0);
    }
    apply_pd_multiplier(survival, resolved.pd_multiplier);
    const auto thresholds = default_thresholds(survival, assumptions.copula);
    credit.ids.push_back(counterparty.id);
    credit.survival.insert(credit.survival.end(), survival.begin(), survival.end());
    credit.thresholds.insert(credit.thresholds.end(), thresholds.begin(), thresholds.end());
    const auto loadings = assumptions::dense_loadings(assumptions.factors, resolved.loadings);
    credit.loadings.insert(credit.loadings.end(), loadings.begin(), loadings.end());
    credit.idiosyncratic_weights.push_back(
        std::sqrt(1.0 - assumptions::systematic_variance(assumptions.factors, resolved.loadings)));
    credit.recovery_rates.push_back(resolved.recovery_rate);
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return plan;
}

}  // namespace computedebt::calibration
