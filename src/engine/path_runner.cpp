#include "path_runner.hpp"

#include <computedebt/pricing/flat_spread.hpp>
#include <computedebt/waterfall/loss_tranches.hpp>

#include <cmath>

namespace computedebt::engine::detail {

PathRunner::PathRunner(const calibration::Plan& plan, const SimulationConfig& config)
    : plan_(plan),
      credit_(plan, config.importance_shift, config.antithetic, config.quasi_random),
      market_(plan, config.antithetic),
      rates_(plan, config.antithetic),
      delays_(plan, config.antithetic),
      power_(plan, config.antithetic),
      capacity_(plan, config.antithetic),
      collateral_(plan),
      waterfall_(plan.waterfall, plan.rates),
      collector_(plan, config),
      antithetic_(config.antithetic),
      quasi_random_(config.quasi_random),
      default_month_(plan.credit.names),
      multipliers_(plan.gpu.types * plan.gpu.columns),
      tranche_loss_(plan.tranche_count()),
      tranche_hit_(plan.tranche_count()),
      irr_(std::span(plan.waterfall.date_time).subspan(plan.waterfall.date_time.empty() ? 0 : 1)) {
  if (config.contributions) name_loss_.resize(plan.credit.names);
  outcome_.tranche_loss = tranche_loss_;
  outcome_.tranche_hit = tranche_hit_;
  if (!plan.is_waterfall()) return;
  const auto& w = plan.waterfall;
  // Received flows are valued at the promised flows' spread, for the fair spread's standard error.
  for (std::size_t t = 0; t < w.tranches; ++t) {
    const auto promised = std::span(w.promised_flow).subspan(t * (w.dates + 1), w.dates + 1);
    const double spread = pricing::flat_spread(promised, w.date_time, w.date_discount, w.notional[t]);
    for (std::size_t m = 0; m <= w.dates; ++m)
      promised_discount_.push_back(w.date_discount[m] *
                                   std::exp(-(std::isnan(spread) ? 0.0 : spread) * w.date_time[m]));
  }
  if (w.path_rates) {
    coupons_.resize(w.coupon.size());
    coupon_discount_.resize(w.coupon.size());
  }
  if (w.path_coupons()) {
    promised_.resize(w.coupon.size());
    waterfall_outcome_.promised = promised_;
  }
  margin_grid_of_.assign(w.tranches, 0);
  for (const auto& grid : w.margin_grids) margin_grid_of_[grid.tranche] = 1;
  distributions_.resize(w.dates);
  wal_numerator_.resize(w.tranches);
  principal_total_.resize(w.tranches);
  received_value_.resize(w.tranches);
  coupon_accrued_.resize(w.tranches);
  balance_years_.resize(w.tranches);
  waterfall_outcome_.coupon_accrued = coupon_accrued_;
  waterfall_outcome_.balance_years = balance_years_;
  first_date_.resize(event_count(w));
  waterfall_outcome_.wal_numerator = wal_numerator_;
  waterfall_outcome_.principal_total = principal_total_;
  waterfall_outcome_.received_value = received_value_;
  waterfall_outcome_.first_date = first_date_;
}

void PathRunner::run(std::uint32_t seed, std::uint64_t path, pricing::PathValues* store) noexcept {
  collector_.add(simulate_path(seed, path, store && !store->gpu_months.empty(), nullptr));
  if (store) store_path(path, *store);
  if (quasi_random_ || (antithetic_ && path % 2 == 0)) return;
  collector_.end_group();
}

const PathOutcome& PathRunner::replay(std::uint32_t seed, std::uint64_t path, waterfall::WaterfallTrace* trace) {
  return simulate_path(seed, path, true, trace);
}

const PathOutcome& PathRunner::simulate_path(std::uint32_t seed, std::uint64_t path, bool gpu,
                                             waterfall::WaterfallTrace* trace) {
  credit_.sample(seed, path, default_month_);
  // GPU paths feed only the waterfall; for loss tranches they are drawn only when asked for.
  const bool path_rates = plan_.is_waterfall() && plan_.waterfall.path_rates;
  if (((plan_.is_waterfall() || gpu) && plan_.gpu.types > 0) || (path_rates && plan_.rates.needs_factor_paths) ||
      (plan_.is_waterfall() && (plan_.power.loaded() || (plan_.facilities.stochastic && plan_.facilities.loaded))))
    market_.sample(seed, path, credit_.normals(), multipliers_);
  const waterfall::WaterfallPath* cash = nullptr;
  if (plan_.is_waterfall()) {
    if (path_rates) {
      rates_.sample(seed, path, market_.factor_increments());
      plan_.waterfall.fix_coupons(rates_.fixings(), coupons_, coupon_discount_);
    }
    power_.sample(seed, path, market_.factor_increments());
    capacity_.sample(seed, path, market_.factor_increments());
    collateral_.start_path(default_month_, credit_.defaulted(), multipliers_, power_.price_factors(),
                           capacity_.multipliers(), power_.gas_price());
    delays_.sample(seed, path);
    waterfall::PathRates rates{coupons_, {}, {}, default_month_, credit_.defaulted(), delays_.outcomes()};
    if (path_rates) {
      rates.fixings = rates_.fixings();
      rates.states = rates_.states();
    }
    cash = &waterfall_.run(collateral_, rates, trace);
  }
  return read_outcome(cash);
}

const PathOutcome& PathRunner::read_outcome(const waterfall::WaterfallPath* cash) noexcept {
  auto& o = outcome_;
  o.weight = credit_.weight();
  const auto defaulted = credit_.defaulted();
  const auto name_loss = std::span(name_loss_).first(name_loss_.empty() ? 0 : defaulted.size());
  o.portfolio_loss =
      waterfall::portfolio_loss(plan_.contracts, plan_.credit.recovery_rates, default_month_, defaulted, name_loss);
  o.defaults = static_cast<std::uint32_t>(defaulted.size());
  o.loss_names = name_loss.empty() ? std::span<const std::uint32_t>{} : defaulted;
  o.name_loss = name_loss;
  o.waterfall = cash ? &read_waterfall(*cash) : nullptr;
  if (cash) return o;
  for (std::size_t t = 0; t < plan_.loss_tranches.size(); ++t) {
    const auto& tranche = plan_.loss_tranches[t];
    tranche_loss_[t] = waterfall::tranche_loss(o.portfolio_loss, tranche.attachment, tranche.detachment);
    tranche_hit_[t] = o.portfolio_loss > tranche.attachment;
  }
  return o;
}

const WaterfallOutcome& PathRunner::read_waterfall(const waterfall::WaterfallPath& path) noexcept {
  const auto& plan = plan_.waterfall;
  const std::size_t columns = plan.dates + 1;
  for (std::size_t t = 0; t < plan.tranches; ++t) {
    // Discounted at the tranche's coupons on the path, the unpaid balance after the final date is the PV of what
    // was lost (docs/methodology.md section 5.5).
    const double* coupon = path.coupon.data() + t * columns;
    double discount = coupon_discount_.empty() ? plan.at(plan.coupon_discount, t, plan.dates)
                                               : coupon_discount_[t * columns + plan.dates];
    if (margin_grid_of_[t]) {
      // The waterfall set this tranche's coupons from the path's metrics, so only now are they known.
      discount = 1.0;
      for (std::size_t m = 1; m < columns; ++m) discount /= 1.0 + coupon[m] * plan.accrual[m];
    }
    // A delayed-draw tranche lent its notional and each draw: the loss is a share of their value at its coupons, so
    // that `sum DF_m X_m + DF_M B_M = N + sum DF_m D_m` extends the identity (docs/methodology.md section 5.8).
    double lent = plan.notional[t];
    if (plan.commitment[t] > 0.0) {
      double factor = 1.0;
      for (std::size_t m = 1; m < columns; ++m) {
        factor /= 1.0 + coupon[m] * plan.accrual[m];
        lent += path.drawn[t * columns + m] * factor;
      }
    }
    tranche_loss_[t] = path.balance[t] * discount / lent;
    tranche_hit_[t] = path.balance[t] > 0.01;
    double wal_numerator = 0.0, principal_total = 0.0, received_value = 0.0;
    for (std::size_t m = 1; m < columns; ++m) {
      const double principal = path.principal_paid[t * columns + m];
      wal_numerator += plan.date_time[m] * principal;
      principal_total += principal;
      received_value += (principal + path.interest_paid[t * columns + m]) * promised_discount_[t * columns + m];
    }
    // The coupons the opening balances bore: capitalised interest included, step-ups not.
    double accrued = 0.0, balance_years = 0.0, opening = plan.notional[t];
    for (std::size_t m = 1; m < columns; ++m) {
      accrued += opening * coupon[m] * plan.accrual[m];
      balance_years += opening * plan.accrual[m];
      opening = path.balance_after[t * columns + m];
    }
    coupon_accrued_[t] = accrued;
    balance_years_[t] = balance_years;
    // The promised flows at the path's coupons: interest on the scheduled balance plus its scheduled reduction.
    for (std::size_t m = 1; m < columns && !promised_.empty(); ++m) {
      const double scheduled = plan.at(plan.target, t, m - 1);
      promised_[t * columns + m] = scheduled * coupon[m] * plan.accrual[m] + scheduled - plan.at(plan.target, t, m);
    }
    wal_numerator_[t] = wal_numerator;
    principal_total_[t] = principal_total;
    received_value_[t] = received_value;
  }

  // Equity cures are the equity's outflows: the IRR nets them from the distributions of their date.
  auto& o = waterfall_outcome_;
  o.path = &path;
  double distributed = 0.0;
  o.injected = 0.0;
  double funded = 0.0;  // the equity's share of the deliveries
  for (std::size_t m = 1; m < columns; ++m) {
    distributions_[m - 1] = path.equity[m] + path.draw_proceeds[m] - path.injected[m] - path.delivery_equity[m];
    distributed += path.equity[m] + path.draw_proceeds[m];
    o.injected += path.injected[m];
    funded += path.delivery_equity[m];
  }
  o.irr = irr_.solve(distributions_, plan.equity_investment);
  o.money_multiple = distributed / (plan.equity_investment + o.injected + funded);

  // First dates of each covenant's breaches and of the event of default.
  const std::size_t covenants = plan.covenants.size();
  for (std::size_t e = 0; e < covenants; ++e) {
    std::uint32_t first = 0;
    for (std::size_t m = 1; m < columns && first == 0; ++m)
      if (path.breached[e * columns + m]) first = static_cast<std::uint32_t>(m);
    first_date_[e] = first;
  }
  first_date_[covenants] = static_cast<std::uint32_t>(path.event_of_default);
  return o;
}

void PathRunner::store_path(std::uint64_t path, pricing::PathValues& store) const noexcept {
  if (!store.gpu_months.empty() && plan_.gpu.types > 0) {
    const std::size_t dates = store.gpu_months.size();
    for (std::size_t g = 0; g < plan_.gpu.types; ++g)
      for (std::size_t d = 0; d < dates; ++d)
        store.gpu_multiplier[(path * plan_.gpu.types + g) * dates + d] =
            multipliers_[g * plan_.gpu.columns + static_cast<std::size_t>(store.gpu_months[d])];
  }
  const auto& o = outcome_;
  if (!store.weight.empty()) store.weight[path] = o.weight;
  store.portfolio_loss[path] = o.portfolio_loss;
  store.default_count[path] = o.defaults;
  for (std::size_t t = 0; t < tranche_loss_.size(); ++t)
    store.tranche_loss[path * tranche_loss_.size() + t] = tranche_loss_[t];
  if (!o.waterfall) return;
  store.equity_irr[path] = o.waterfall->irr;
  store.money_multiple[path] = o.waterfall->money_multiple;
  store.event_of_default[path] = static_cast<std::uint32_t>(o.waterfall->path->event_of_default);
  store.collateral_value[path] = o.waterfall->path->collateral_value;
  if (store.interest.empty()) return;
  const auto& cash = *o.waterfall->path;
  const std::size_t dates = plan_.waterfall.dates, tranches = plan_.waterfall.tranches;
  for (std::size_t t = 0; t < tranches; ++t)
    for (std::size_t m = 1; m <= dates; ++m) {
      const std::size_t at = (path * tranches + t) * dates + m - 1, from = t * (dates + 1) + m;
      store.interest[at] = cash.interest_paid[from];
      store.principal[at] = cash.principal_paid[from];
      store.balance[at] = cash.balance_after[from];
    }
}

}  // namespace computedebt::engine::detail
