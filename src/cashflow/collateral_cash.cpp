#include <computedebt/cashflow/collateral_cash.hpp>
#include <computedebt/scenario/contract_default.hpp>

#include <algorithm>

namespace computedebt::cashflow {

CollateralCash::CollateralCash(const calibration::Plan& plan)
    : plan_(plan.collateral),
      gpu_(plan.gpu),
      contracts_(plan.contracts),
      recovery_rates_(plan.credit.recovery_rates),
      columns_(plan.collateral.columns),
      power_plan_(plan.power),
      payments_(columns_),
      recoveries_(columns_),
      revenue_(columns_),
      costs_(columns_),
      value_(columns_),
      occupancy_(plan.collateral.types * columns_),
      idle_(plan.collateral.types * columns_),
      needed_(plan.collateral.types * columns_),
      sold_(plan.collateral.types),
      facilities_(plan.facilities) {
  defaulted_.reserve(plan.collateral.contracts);
  cancelled_.reserve(plan.collateral.contracts);
  energy_.resize(columns_);
  if (power_plan_.ppas() > 0) ppa_.resize(columns_);
  // Each zone's contract power before any default: with one zone, the plan's total as it is.
  const std::size_t zones = power_plan_.zones();
  power_.resize(zones * columns_);
  if (zones == 1) {
    base_power_ = plan_.base_contract_power;
    base_rebill_ = plan_.base_contract_rebill;
  } else {
    base_power_.assign(zones * columns_, 0.0);
    base_rebill_.assign(zones * columns_, 0.0);
    for (std::size_t j = 0; j < plan_.contracts; ++j) {
      const std::size_t row = j * columns_, zone_row = power_plan_.contract_zone[j] * columns_;
      for (std::size_t k = 0; k < columns_; ++k) {
        base_power_[zone_row + k] += plan_.contract_power[row + k];
        if (!plan_.contract_rebill.empty()) base_rebill_[zone_row + k] += plan_.contract_rebill[row + k];
      }
    }
  }
  if (!plan_.contract_rebill.empty()) rebill_.resize(zones * columns_);
  for (const auto& market : power_plan_.markets)
    forward_factors_.insert(forward_factors_.end(), market.forward_factor.begin(), market.forward_factor.end());
  if (power_plan_.has_generation()) {
    demand_.resize(zones * columns_);
    month_demand_.resize(zones);
    generated_.resize(columns_);
    for (std::size_t k = 0; k < columns_; ++k)
      forward_gas_.push_back(power_plan_.gas_price_per_mmbtu * power_plan_.gas.forward_factor[k]);
  }
  if (facilities_.any()) {
    const std::size_t size = facilities_.facilities * columns_;
    no_market_.assign(columns_, 1.0);
    leased_mw_.resize(size);
    idle_mw_.resize(size);
    income_.resize(size);
    facility_needed_.resize(size);
    facility_sold_.resize(facilities_.facilities);
  }
  if (!plan_.deliveries.empty()) {
    owned_.resize(plan_.owned.size());
    value_per_gpu_.resize(plan_.value_per_gpu.size());
    delivery_month_.reserve(plan_.deliveries.size());
  }
}

void CollateralCash::start_path(std::span<const int> default_month, std::span<const std::uint32_t> defaulted,
                                std::span<const double> multipliers, std::span<const double> power_factor,
                                std::span<const double> capacity_multiplier,
                                std::span<const double> gas_price) noexcept {
  multipliers_ = multipliers;
  if (facilities_.any()) {
    capacity_multiplier_ = capacity_multiplier.empty() ? std::span<const double>(no_market_) : capacity_multiplier;
    std::copy(facilities_.base_leased.begin(), facilities_.base_leased.end(), leased_mw_.begin());
    std::copy(facilities_.base_income.begin(), facilities_.base_income.end(), income_.begin());
    std::fill(idle_mw_.begin(), idle_mw_.end(), 0.0);
    std::fill(facility_sold_.begin(), facility_sold_.end(), char{0});
  }
  default_month_ = default_month;
  power_factor_ = power_factor.empty() ? std::span<const double>(forward_factors_) : power_factor;
  gas_ = gas_price.empty() ? std::span<const double>(forward_gas_) : gas_price;
  if (!ppa_.empty()) {
    // Each PPA's volume settles against its zone's market until its counterparty's default.
    std::fill(ppa_.begin(), ppa_.end(), 0.0);
    for (std::size_t j = 0; j < power_plan_.ppas(); ++j) {
      const auto end = static_cast<std::size_t>(
          std::clamp(default_month[power_plan_.ppa_counterparty[j]], 0, static_cast<int>(columns_)));
      const double* factor = zone_factor(power_plan_.ppa_zone[j]);
      for (std::size_t k = 1; k < end; ++k)
        ppa_[k] += power_plan_.ppa_volume[j * columns_ + k] *
                   (power_plan_.ppa_price[j] - power_plan_.base_price_per_mwh * factor[k]);
    }
  }
  std::copy(plan_.base_payments.begin(), plan_.base_payments.end(), payments_.begin());
  std::copy(base_power_.begin(), base_power_.end(), power_.begin());
  if (!rebill_.empty()) std::copy(base_rebill_.begin(), base_rebill_.end(), rebill_.begin());
  std::copy(plan_.base_occupancy.begin(), plan_.base_occupancy.end(), occupancy_.begin());
  std::fill(recoveries_.begin(), recoveries_.end(), 0.0);
  std::fill(idle_.begin(), idle_.end(), 0.0);
  std::fill(sold_.begin(), sold_.end(), 0.0);
  sold_any_ = false;
  liquidation_month_ = -1;
  defaulted_.clear();
  cancelled_.clear();
  if (plan_.deliveries.empty()) {
    owned_view_ = plan_.owned;
    value_view_ = plan_.value_per_gpu;
  } else {
    std::copy(plan_.owned.begin(), plan_.owned.end(), owned_.begin());
    std::copy(plan_.value_per_gpu.begin(), plan_.value_per_gpu.end(), value_per_gpu_.begin());
    owned_view_ = owned_;
    value_view_ = value_per_gpu_;
    delivery_month_.clear();
    for (const auto& delivery : plan_.deliveries) delivery_month_.push_back(delivery.month);
  }
  const int last = static_cast<int>(columns_) - 1;
  for (const std::uint32_t name : defaulted) {
    for (std::uint32_t c = contracts_.contracts_of_start[name]; c < contracts_.contracts_of_start[name + 1]; ++c) {
      const std::uint32_t j = contracts_.contracts_of[c];
      // A lease that needs a delivery defaults only once the delivery is made (`deliver`).
      if (!plan_.contract_delivery.empty() && plan_.contract_delivery[j] != calibration::no_delivery) continue;
      const auto outcome = scenario::resolve_contract(contracts_, j, default_month);
      // A guaranteed capacity tenant draws no power from its own default: its guarantor pays the charges alone.
      if (plan_.contract_type[j] == calibration::no_gpu_type && default_month[name] < outcome.month)
        stop_power(j, static_cast<std::size_t>(default_month[name]),
                   std::min(columns_, static_cast<std::size_t>(outcome.month)));
      if (outcome.month > last) continue;
      apply_default(j, outcome, outcome.month);
    }
  }
  fill_months(1);
}

void CollateralCash::stop_power(std::uint32_t j, std::size_t from, std::size_t to) noexcept {
  const std::size_t row = j * columns_, zone = power_plan_.contract_zone[j], zone_row = zone * columns_;
  for (std::size_t k = from; k < to; ++k) power_[zone_row + k] -= plan_.contract_power[row + k];
  if (!rebill_.empty())
    for (std::size_t k = from; k < to; ++k) rebill_[zone_row + k] -= plan_.contract_rebill[row + k];
  // Its facility's contracted income keeps the charges alone.
  if (facilities_.any() && facilities_.contract_facility[j] != calibration::no_facility) {
    const std::size_t facility_row = facilities_.contract_facility[j] * columns_;
    for (std::size_t k = from; k < to; ++k) {
      const double rebill = plan_.contract_rebill.empty() ? 0.0 : plan_.contract_rebill[row + k];
      income_[facility_row + k] -= (rebill - plan_.contract_power[row + k]) * power_plan_.forward_factor(zone, k);
    }
  }
}

CollateralCash::FacilityMonth CollateralCash::facility_month(std::size_t f, std::size_t k) const noexcept {
  if (static_cast<int>(k) < facilities_.commissioned_month[f]) return {};
  const std::size_t at = f * columns_ + k;
  const double multiplier = capacity_multiplier_[k];
  FacilityMonth month;
  if (facilities_.re_lease) {
    const double vacant = std::max(0.0, facilities_.megawatts[f] - leased_mw_[at] - idle_mw_[at]);
    month.revenue = vacant * (facilities_.re_lease_income_per_mw[k] * multiplier);
  }
  month.costs = facilities_.opex[at];
  // On a cap rate: twelve times the month's net operating income (docs/methodology.md section 4.11).
  const double cap_rate = facilities_.cap_rate[f];
  month.value = cap_rate > 0.0 ? std::max(0.0, 12.0 * (income_[at] + month.revenue - month.costs) / cap_rate)
                               : facilities_.depreciated_cost[at] * multiplier;
  return month;
}

void CollateralCash::apply_default(std::uint32_t j, const scenario::ContractOutcome& outcome, int month) noexcept {
  defaulted_.push_back({j, month});
  const auto d = static_cast<std::size_t>(month);
  const std::size_t row = j * columns_, zone_row = power_plan_.contract_zone[j] * columns_;
  for (std::size_t k = d; k < columns_; ++k) {
    payments_[k] -= plan_.payments[row + k];
    power_[zone_row + k] -= plan_.contract_power[row + k];
  }
  if (!rebill_.empty())
    for (std::size_t k = d; k < columns_; ++k) rebill_[zone_row + k] -= plan_.contract_rebill[row + k];
  // A capacity lease's load in a facility stays vacant for the market's re-lease lag.
  if (facilities_.any() && facilities_.contract_facility[j] != calibration::no_facility) {
    const std::size_t facility_row = facilities_.contract_facility[j] * columns_;
    const std::size_t vacant_end = d + static_cast<std::size_t>(facilities_.re_lease_lag_months);
    for (std::size_t k = d; k < columns_; ++k) {
      leased_mw_[facility_row + k] -= facilities_.leased[row + k];
      income_[facility_row + k] -= facilities_.income[row + k];
      if (k < vacant_end) idle_mw_[facility_row + k] += facilities_.leased[row + k];
    }
  }
  // A GPU lease's GPUs idle for the re-lease lag.
  if (plan_.contract_type[j] != calibration::no_gpu_type) {
    const std::size_t type_row = plan_.contract_type[j] * columns_;
    const std::size_t idle_end = d + static_cast<std::size_t>(plan_.re_lease_lag_months);
    for (std::size_t k = d; k < columns_; ++k) {
      occupancy_[type_row + k] -= plan_.occupancy[row + k];
      if (k < idle_end) idle_[type_row + k] += plan_.occupancy[row + k];
    }
  }
  payments_[d] += outcome.final_guarantee;
  const std::size_t recovered = d + static_cast<std::size_t>(plan_.recovery_lag_months);
  // Recoveries that would fall after t_K are lost.
  if (recovered < columns_)
    recoveries_[recovered] +=
        recovery_rates_[outcome.recovering] * std::max(0.0, plan_.claim[row + d] - outcome.final_guarantee);
}

void CollateralCash::fill_months(std::size_t from) noexcept {
  // Until a sale, every month follows the same formulas as `month` with the whole fleet owned, so they run
  // here for all months at once, in loops the compiler vectorises; the operations and their order are those of
  // `month`, so the results are the same bits.
  std::copy(payments_.begin() + static_cast<std::ptrdiff_t>(from), payments_.end(),
            revenue_.begin() + static_cast<std::ptrdiff_t>(from));
  const std::size_t zones = power_plan_.zones();
  if (!rebill_.empty())
    for (std::size_t z = 0; z < zones; ++z) {
      const double* factor = zone_factor(z);
      for (std::size_t k = from; k < columns_; ++k) revenue_[k] += rebill_[z * columns_ + k] * factor[k];
    }
  // The contracts' power at each zone's price (a factor of exactly 1 without a power market), and the PPAs'.
  for (std::size_t k = from; k < columns_; ++k) energy_[k] = power_[k] * power_factor_[k];
  for (std::size_t z = 1; z < zones; ++z) {
    const double* factor = zone_factor(z);
    for (std::size_t k = from; k < columns_; ++k) energy_[k] += power_[z * columns_ + k] * factor[k];
  }
  if (!ppa_.empty())
    for (std::size_t k = from; k < columns_; ++k) energy_[k] += ppa_[k];
  const bool generating = power_plan_.has_generation();
  if (generating) std::copy(power_.begin(), power_.end(), demand_.begin());
  std::copy(energy_.begin() + static_cast<std::ptrdiff_t>(from), energy_.end(),
            costs_.begin() + static_cast<std::ptrdiff_t>(from));
  std::fill(value_.begin() + static_cast<std::ptrdiff_t>(from), value_.end(), 0.0);
  for (std::size_t g = 0; g < plan_.types; ++g) {
    const std::size_t row = g * columns_, zone = power_plan_.type_zone[g];
    const double* factor = zone_factor(zone);
    for (std::size_t k = from; k < columns_; ++k) {
      const double owned = owned_view_[row + k], opex = owned * plan_.fixed_opex_per_gpu_month;
      const double spot = spot_gpus(row + k, owned);
      const double multiplier = multipliers_[row + k];
      revenue_[k] += spot * plan_.spot_revenue_per_gpu[row + k] * multiplier;
      const double spot_power = spot * (plan_.spot_power_per_gpu[row + k] * factor[k]);
      costs_[k] += spot_power + opex;
      energy_[k] += spot_power;
      value_[k] += owned * (value_view_[row + k] * multiplier);
    }
    // Apart from the loop above, which stays free of branches.
    if (generating)
      for (std::size_t k = from; k < columns_; ++k)
        demand_[zone * columns_ + k] += spot_gpus(row + k, owned_view_[row + k]) * plan_.spot_power_per_gpu[row + k];
  }
  if (generating)
    for (std::size_t k = from; k < columns_; ++k) {
      const double adjustment = generation(k, demand_.data() + k, columns_);
      generated_[k] = adjustment;
      energy_[k] += adjustment;
      costs_[k] += adjustment;
    }
  for (std::size_t f = 0; f < facilities_.facilities; ++f)
    for (std::size_t k = from; k < columns_; ++k) {
      const auto facility = facility_month(f, k);
      revenue_[k] += facility.revenue;
      costs_[k] += facility.costs;
      value_[k] += facility.value;
    }
}

void CollateralCash::deliver(std::size_t d) noexcept {
  const int from = delivery_month_[d] + 1, last = static_cast<int>(columns_) - 1;
  bool changed = false;
  for (std::uint32_t i = plan_.tied_start[d]; i < plan_.tied_start[d + 1]; ++i) {
    const std::uint32_t j = plan_.tied[i];
    const auto outcome = scenario::resolve_contract(contracts_, j, default_month_);
    if (outcome.month > last) continue;
    // A counterparty that defaulted before the delivery defaults on the lease's first month.
    apply_default(j, outcome, std::max(outcome.month, from));
    changed = true;
  }
  if (changed && from <= last) fill_months(static_cast<std::size_t>(from));
}

void CollateralCash::cancel(std::size_t d) noexcept {
  const auto from = static_cast<std::size_t>(delivery_month_[d] + 1);
  if (from >= columns_) return;
  for (std::uint32_t i = plan_.tied_start[d]; i < plan_.tied_start[d + 1]; ++i)
    cancelled_.push_back({plan_.tied[i], static_cast<int>(from)});
  remove_delivery(d, from, columns_);
  fill_months(from);
}

void CollateralCash::postpone(std::size_t d, int month) noexcept {
  const auto from = static_cast<std::size_t>(delivery_month_[d] + 1);
  const auto to = std::min(columns_, static_cast<std::size_t>(month + 1));
  delivery_month_[d] = month;
  if (from >= to) return;
  remove_delivery(d, from, to);
  fill_months(from);
}

void CollateralCash::remove_delivery(std::size_t d, std::size_t from, std::size_t to) noexcept {
  const auto& delivery = plan_.deliveries[d];
  for (std::uint32_t i = plan_.tied_start[d]; i < plan_.tied_start[d + 1]; ++i) {
    const std::uint32_t j = plan_.tied[i];
    const std::size_t row = j * columns_, type_row = plan_.contract_type[j] * columns_;
    const std::size_t zone_row = power_plan_.contract_zone[j] * columns_;
    for (std::size_t k = from; k < to; ++k) {
      payments_[k] -= plan_.payments[row + k];
      power_[zone_row + k] -= plan_.contract_power[row + k];
      occupancy_[type_row + k] -= plan_.occupancy[row + k];
    }
  }
  // The type's average value per GPU without the cohort.
  const std::size_t row = delivery.type * columns_, cohort_row = delivery.cohort * columns_;
  for (std::size_t k = from; k < to; ++k) {
    const double owned = owned_[row + k], left = owned - delivery.count;
    const double total = value_per_gpu_[row + k] * owned - delivery.count * gpu_.cohort_value[cohort_row + k];
    owned_[row + k] = left;
    value_per_gpu_[row + k] = left > 0.0 ? total / left : 0.0;
  }
}

void CollateralCash::start_liquidation(int k) noexcept {
  liquidation_month_ = k;
  // The load a facility's performing leases hold from month n on.
  for (std::size_t f = 0; f < facilities_.facilities; ++f) {
    double most = 0.0;
    for (std::size_t n = columns_ - 1; n >= static_cast<std::size_t>(std::max(k, 1)); --n) {
      most = std::max(most, leased_mw_[f * columns_ + n]);
      facility_needed_[f * columns_ + n] = most;
    }
  }
  // GPUs needed from month n on: the most any later month's performing contracts lease.
  for (std::size_t g = 0; g < plan_.types; ++g) {
    double most = 0.0;
    for (std::size_t n = columns_ - 1; n >= static_cast<std::size_t>(std::max(k, 1)); --n) {
      most = std::max(most, occupancy_[g * columns_ + n]);
      needed_[g * columns_ + n] = most;
    }
  }
}

double CollateralCash::facility_market_value() const noexcept {
  double value = 0.0;
  for (std::size_t f = 0; f < facilities_.facilities; ++f)
    if (!facility_sold_[f]) value += facility_month(f, last_month_).value;
  return value;
}

void CollateralCash::type_market_values(std::span<double> value) const noexcept {
  for (std::size_t g = 0; g < plan_.types; ++g) {
    const std::size_t at = g * columns_ + last_month_;
    value[g] = (owned_view_[at] - sold_[g]) * (value_view_[at] * multipliers_[at]);
  }
}

MonthCash CollateralCash::month(int k, bool liquidating) noexcept {
  const auto m = static_cast<std::size_t>(k);
  const bool final = m == columns_ - 1;
  last_month_ = m;
  const double contract_power = contract_energy(m) + (ppa_.empty() ? 0.0 : ppa_[m]);
  const double revenue = rebill_.empty() ? payments_[m] + 0.0 : add_rebill(payments_[m], m);
  MonthCash cash{revenue, recoveries_[m], contract_power, 0.0, contract_power};
  market_value_ = 0.0;
  const int sale_from = k - plan_.liquidation_lag_months;
  const bool selling = liquidating && liquidation_month_ >= 0 && sale_from >= liquidation_month_;
  if (!sold_any_ && !selling && !final) {
    market_value_ = value_[m];
    return {revenue_[m], recoveries_[m], costs_[m], 0.0, energy_[m], generated_.empty() ? 0.0 : generated_[m]};
  }
  sold_any_ = true;
  const bool generating = power_plan_.has_generation();
  if (generating)
    for (std::size_t z = 0; z < power_plan_.zones(); ++z) month_demand_[z] = power_[z * columns_ + m];
  for (std::size_t g = 0; g < plan_.types; ++g) {
    const std::size_t at = g * columns_ + m, zone = power_plan_.type_zone[g];
    const double owned = owned_view_[at] - sold_[g];
    const double spot = spot_gpus(at, owned);
    const double multiplier = multipliers_[at];
    cash.revenue += spot * plan_.spot_revenue_per_gpu[at] * multiplier;
    const double spot_power = spot * (plan_.spot_power_per_gpu[at] * zone_factor(zone)[m]);
    cash.costs += spot_power + owned * plan_.fixed_opex_per_gpu_month;
    cash.energy += spot_power;
    if (generating) month_demand_[zone] += spot * plan_.spot_power_per_gpu[at];
    const double value = value_view_[at] * multiplier;  // one GPU's market value
    market_value_ += owned * value;
    double sell = 0.0;
    if (final)
      sell = owned;
    else if (selling)
      sell = std::max(0.0, owned_view_[at] - needed_[g * columns_ + static_cast<std::size_t>(sale_from)] - sold_[g]);
    cash.sales += sell * value * (1.0 - plan_.liquidation_haircut);
    sold_[g] += sell;
  }
  if (generating) {
    const double adjustment = generation(m, month_demand_.data(), 1);
    cash.costs += adjustment;
    cash.energy += adjustment;
    cash.generation = adjustment;
  }
  // A facility is sold whole: in a liquidation once no performing lease holds load in it, and at t_K.
  for (std::size_t f = 0; f < facilities_.facilities; ++f) {
    if (facility_sold_[f]) continue;
    const auto facility = facility_month(f, m);
    cash.revenue += facility.revenue;
    cash.costs += facility.costs;
    market_value_ += facility.value;
    // An unfinished facility is kept: it is worth something once commissioned.
    const bool vacant = selling && static_cast<int>(m) >= facilities_.commissioned_month[f] &&
                        facility_needed_[f * columns_ + static_cast<std::size_t>(sale_from)] < 1e-9;
    if (final || vacant) {
      cash.sales += facility.value * (1.0 - facilities_.haircut[f]);
      facility_sold_[f] = 1;
    }
  }
  return cash;
}

double CollateralCash::contract_energy(std::size_t m) const noexcept {
  double energy = power_[m] * power_factor_[m];
  for (std::size_t z = 1; z < power_plan_.zones(); ++z) energy += power_[z * columns_ + m] * zone_factor(z)[m];
  return energy;
}

double CollateralCash::add_rebill(double revenue, std::size_t m) const noexcept {
  // Zone by zone, in the order of `fill_months`.
  for (std::size_t z = 0; z < power_plan_.zones(); ++z) revenue += rebill_[z * columns_ + m] * zone_factor(z)[m];
  return revenue;
}

double CollateralCash::generation(std::size_t m, const double* demand, std::size_t stride) const noexcept {
  double adjustment = 0.0;
  for (std::size_t z = 1; z < power_plan_.zones(); ++z)
    if (power_plan_.generation_mwh[z * columns_ + m] > 0.0)
      adjustment +=
          calibration::generation_adjustment(power_plan_, z, m, demand[z * stride], zone_factor(z)[m], gas_[m]);
  return adjustment;
}

}  // namespace computedebt::cashflow
