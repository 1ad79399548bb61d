#include <computedebt/calibration/calibrate.hpp>
#include <computedebt/calibration/contract_schedule.hpp>
#include <computedebt/calibration/survival_curve.hpp>
#include <computedebt/calibration/thresholds.hpp>
#include <computedebt/calibration/warnings.hpp>
#include <computedebt/core/error.hpp>

#include <fmt/format.h>
#include <ql/errors.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string_view>
#include <unordered_map>

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

/// Groups names with identical thresholds, loadings and weight, in order of first appearance.
void group_names(CreditPlan& credit) {
  const std::size_t columns = credit.columns, factors = credit.factors;
  for (std::size_t i = 0; i < credit.names; ++i) {
    const auto thresholds = std::span(credit.thresholds).subspan(i * columns, columns);
    const auto loadings = std::span(credit.loadings).subspan(i * factors, factors);
    std::size_t g = 0;
    for (; g < credit.groups; ++g)
      if (credit.group_weights[g] == credit.idiosyncratic_weights[i] &&
          std::ranges::equal(thresholds, std::span(credit.group_thresholds).subspan(g * columns, columns)) &&
          std::ranges::equal(loadings, std::span(credit.group_loadings).subspan(g * factors, factors)))
        break;
    if (g == credit.groups) {
      ++credit.groups;
      credit.group_thresholds.insert(credit.group_thresholds.end(), thresholds.begin(), thresholds.end());
      credit.group_loadings.insert(credit.group_loadings.end(), loadings.begin(), loadings.end());
      credit.group_weights.push_back(credit.idiosyncratic_weights[i]);
    }
    credit.group_of.push_back(static_cast<std::uint32_t>(g));
  }
}

ContractPlan plan_contracts(const deal::Deal& deal, const MonthGrid& grid) {
  ContractPlan plan;
  plan.contracts = deal.contracts.size();
  plan.columns = grid.dates.size();
  // Ids are unique (checked on loading); the first wins otherwise. An unknown id maps one past the end.
  std::unordered_map<std::string_view, std::uint32_t> index_by_id;
  index_by_id.reserve(deal.counterparties.size());
  for (std::size_t i = 0; i < deal.counterparties.size(); ++i)
    index_by_id.emplace(deal.counterparties[i].id, static_cast<std::uint32_t>(i));
  const auto index_of = [&](const std::string& id) {
    const auto found = index_by_id.find(id);
    return found == index_by_id.end() ? static_cast<std::uint32_t>(deal.counterparties.size()) : found->second;
  };
  const int survive = grid.months() + 1;
  for (const auto& contract : deal.contracts) {
    plan.counterparty.push_back(index_of(contract.counterparty));
    plan.guarantor.push_back(contract.guarantee ? index_of(contract.guarantee->guarantor) : no_guarantor);
    plan.guarantee_end_month.push_back(contract.guarantee && contract.guarantee->expiry
                                           ? std::min(grid.month_containing(*contract.guarantee->expiry), survive)
                                           : survive);
    // Loss-tranche exposures: the notional, else the contracted payments (docs/methodology.md section 5.1).
    const bool by_notional = contract.notional && !std::holds_alternative<deal::Waterfall>(deal.structure);
    // A contract that ended on or before t0 is no exposure, whatever its notional.
    const bool ended = contract.end_date <= grid.dates.front();
    plan.exposure.push_back(ended         ? 0.0
                            : by_notional ? *contract.notional
                                          : promised_payments(contract, grid.dates.front(), contract.end_date));
    plan.guarantee_cap.push_back(contract.guarantee && contract.guarantee->cap
                                     ? *contract.guarantee->cap
                                     : std::numeric_limits<double>::infinity());
    double cumulative = 0.0;
    const auto schedule = promised_schedule(contract, grid);
    for (double payment : schedule) plan.promised_cumulative.push_back(cumulative += payment);
    plan.exposure_at_default.push_back(0.0);
    if (contract.capacity && !by_notional) {
      // The charges still to come, summed back from the grid's end: a capacity lease's charges add up by the day,
      // and each call of `promised_payments` walks every calendar month left.
      std::vector<double> remaining(grid.dates.size() + 1, 0.0);
      remaining[grid.dates.size()] = promised_payments(contract, grid.dates.back(), contract.end_date);
      for (std::size_t k = grid.dates.size() - 1; k >= 1; --k) remaining[k] = remaining[k + 1] + schedule[k];
      for (std::size_t k = 1; k < grid.dates.size(); ++k)
        plan.exposure_at_default.push_back(contract.end_date <= grid.dates[k - 1] ? 0.0 : remaining[k]);
    } else {
      for (std::size_t k = 1; k < grid.dates.size(); ++k) {
        const Date month_start = grid.dates[k - 1];
        if (contract.end_date <= month_start)
          plan.exposure_at_default.push_back(0.0);
        else
          plan.exposure_at_default.push_back(by_notional ? *contract.notional
                                                         : promised_payments(contract, month_start, contract.end_date));
      }
    }
  }
  for (double e : plan.exposure) plan.total_exposure += e;
  plan.contracts_of_start.assign(deal.counterparties.size() + 1, 0);
  for (std::uint32_t c : plan.counterparty) ++plan.contracts_of_start[c + 1];
  for (std::size_t i = 1; i < plan.contracts_of_start.size(); ++i)
    plan.contracts_of_start[i] += plan.contracts_of_start[i - 1];
  plan.contracts_of.resize(plan.contracts);
  std::vector<std::uint32_t> next(plan.contracts_of_start.begin(), plan.contracts_of_start.end() - 1);
  for (std::uint32_t j = 0; j < plan.contracts; ++j) plan.contracts_of[next[plan.counterparty[j]]++] = j;
  return plan;
}

GpuMarketPlan plan_gpu_market(const deal::Deal& deal, const Assumptions& assumptions, const MonthGrid& grid,
                              const std::vector<double>& month_lengths) {
  GpuMarketPlan plan;
  plan.types = deal.gpu_types.size();
  plan.columns = grid.dates.size();
  for (const auto& type : deal.gpu_types) {
    const auto& market = assumptions.gpu_market.at(type.id);
    plan.ids.push_back(type.id);
    plan.initial_multiplier.push_back(market.initial_multiplier);
    plan.volatility.push_back(market.volatility);
    const auto loadings = assumptions::dense_loadings(assumptions.factors, market.factor_loadings);
    plan.loadings.insert(plan.loadings.end(), loadings.begin(), loadings.end());
    plan.independent_weight.push_back(
        std::sqrt(std::max(0.0, 1.0 - assumptions::systematic_variance(assumptions.factors, market.factor_loadings))));
    const auto& jumps = market.obsolescence;
    plan.jump_intensity.push_back(jumps.jump_intensity);
    plan.jump_factor.push_back(1.0 - jumps.jump_size);
    const double sigma = market.volatility;
    for (std::size_t k = 0; k < plan.columns; ++k) {
      const double dt = month_lengths[k];
      // The compensator lambda J dt keeps E[M] on the fitted curves: E[(1 - J)^N] = exp(-lambda J dt).
      plan.drift.push_back(k == 0 ? 0.0 : -0.5 * sigma * sigma * dt + jumps.jump_intensity * jumps.jump_size * dt);
      plan.rent.push_back(assumptions::rent_index(market.rent, grid.times[k]));
    }
    const std::size_t offset = plan.launch_factor.size();
    plan.launch_factor.resize(offset + plan.columns, 1.0);
    for (const auto& launch : jumps.launches) {
      // Launches on or before t0 are already in today's prices; those after the grid are outside the model.
      const int month = grid.month_containing(launch.date);
      if (month >= 1 && month <= grid.months())
        plan.launch_factor[offset + static_cast<std::size_t>(month)] *= 1.0 - launch.jump_size;
    }
  }
  // Fleet cohorts: the value of one GPU on the grid before the multiplier, price x D(age).
  const auto fleet = deal::effective_fleet(deal);
  plan.cohorts = fleet.size();
  for (const auto& cohort : fleet) {
    const auto type = std::find_if(deal.gpu_types.begin(), deal.gpu_types.end(),
                                   [&](const deal::GpuType& g) { return g.id == cohort.gpu_type; });
    plan.cohort_type.push_back(static_cast<std::uint32_t>(type - deal.gpu_types.begin()));
    plan.cohort_count.push_back(cohort.count);
    plan.cohort_price.push_back(type->purchase_price);
    // A delivery is owned in the months after its funding date (docs/methodology.md section 5.8).
    const auto* waterfall = std::get_if<deal::Waterfall>(&deal.structure);
    const int funded =
        waterfall && cohort.acquired > deal.valuation_date
            ? deal::funding_month(deal.valuation_date, waterfall->payment_frequency_months, cohort.acquired)
            : 0;
    plan.cohort_month.push_back(funded);
    const auto& residual = assumptions.gpu_market.at(cohort.gpu_type).residual_value;
    plan.cohort_funding_value.push_back(
        type->purchase_price *
        assumptions::residual_fraction(
            residual,
            year_fraction(cohort.acquired, grid.dates[static_cast<std::size_t>(std::min(funded, grid.months()))])));
    for (std::size_t k = 0; k < grid.dates.size(); ++k)
      plan.cohort_value.push_back(
          funded > 0 && static_cast<int>(k) <= funded
              ? 0.0
              : type->purchase_price *
                    assumptions::residual_fraction(residual, year_fraction(cohort.acquired, grid.dates[k])));
  }
  return plan;
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

namespace {

Plan calibrate_plan(const io::DealFile& file) {
  const auto& deal = file.deal;
  const auto& assumptions = file.assumptions;
  Plan plan;
  plan.deal_name = deal.name;
  plan.waterfall_structure = std::holds_alternative<deal::Waterfall>(deal.structure);
  plan.grid = make_month_grid(deal.valuation_date, last_month(deal));
  plan.discount_factors = discount_factors(plan.grid, assumptions.discount_curve);
  plan.factor_root = factor_root(assumptions.factors);
  plan.copula = assumptions.copula;

  auto& credit = plan.credit;
  credit.names = deal.counterparties.size();
  credit.columns = plan.grid.dates.size();
  std::vector<Problem> problems;
  std::unordered_map<std::string, std::uint32_t> sector_index;
  for (const auto& counterparty : deal.counterparties) {
    const ResolvedCredit resolved = resolve(counterparty, assumptions);
    std::vector<double> survival;
    try {
      survival = survival_curve(plan.grid, resolved.curve, assumptions.discount_curve);
    } catch (const QuantLib::Error& error) {
      // Only a CDS curve can fail: QuantLib's bootstrap finds no hazard rate that reprices a quote.
      problems.push_back({fmt::format("assumptions.credit.{}.cds_spreads_bp", counterparty.id),
                          fmt::format("the CDS curve cannot be bootstrapped: {}", error.what())});
      survival.assign(credit.columns, 1.0);
    }
    apply_pd_multiplier(survival, resolved.pd_multiplier);
    const auto thresholds = default_thresholds(survival, assumptions.copula);
    credit.ids.push_back(counterparty.id);
    const auto [sector, added] = sector_index.try_emplace(counterparty.sector, credit.sectors.size());
    if (added) credit.sectors.push_back(counterparty.sector);
    credit.sector_of.push_back(sector->second);
    credit.survival.insert(credit.survival.end(), survival.begin(), survival.end());
    credit.thresholds.insert(credit.thresholds.end(), thresholds.begin(), thresholds.end());
    const auto loadings = assumptions::dense_loadings(assumptions.factors, resolved.loadings);
    credit.loadings.insert(credit.loadings.end(), loadings.begin(), loadings.end());
    credit.idiosyncratic_weights.push_back(
        std::sqrt(1.0 - assumptions::systematic_variance(assumptions.factors, resolved.loadings)));
    credit.recovery_rates.push_back(resolved.recovery_rate);
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  credit.factors = assumptions.factors.names.size();
  group_names(credit);
  plan.contracts = plan_contracts(deal, plan.grid);
  plan.month_lengths.assign(plan.grid.dates.size(), 0.0);
  for (std::size_t k = 1; k < plan.grid.dates.size(); ++k)
    plan.month_lengths[k] = year_fraction(plan.grid.dates[k - 1], plan.grid.dates[k]);
  plan.gpu = plan_gpu_market(deal, assumptions, plan.grid, plan.month_lengths);
  if (const auto* waterfall = std::get_if<deal::Waterfall>(&deal.structure)) {
    plan.collateral = plan_collateral(file, plan);
    plan.power = plan_power(deal, assumptions, plan.grid, plan.month_lengths);
    plan.facilities = plan_facilities(file, plan);
    std::vector<std::string> indices, hedged;
    for (const auto& tranche : waterfall->tranches)
      if (tranche.floating) indices.push_back(tranche.floating->index);
    for (const auto& hedge : waterfall->hedges) hedged.push_back(hedge.index);
    indices.insert(indices.end(), hedged.begin(), hedged.end());
    plan.rates = plan_rates(plan.grid, waterfall->payment_frequency_months, indices, hedged, assumptions);
    plan.waterfall = plan_waterfall(deal, *waterfall, plan);
    if (assumptions.delivery_delay && !plan.collateral.deliveries.empty())
      plan.waterfall.delivery_delay = plan_delivery_delay(deal, *assumptions.delivery_delay, plan.waterfall, plan);
  }
  if (const auto* loss = std::get_if<deal::LossTranches>(&deal.structure)) plan.loss_tranches = loss->tranches;
  plan.warnings = warnings(file, plan);
  return plan;
}

}  // namespace

Plan calibrate(const io::DealFile& file) {
  // The calibration boundary: no QuantLib exception leaves it (docs/methodology.md section 8).
  try {
    return calibrate_plan(file);
  } catch (const QuantLib::Error& error) {
    throw ModelError(fmt::format("calibration failed in QuantLib: {}", error.what()));
  }
}

}  // namespace computedebt::calibration
