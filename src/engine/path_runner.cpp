#include "path_runner.hpp"

#include <computedebt/pricing/equity_irr.hpp>
#include <computedebt/pricing/flat_spread.hpp>
#include <computedebt/waterfall/loss_tranches.hpp>

#include <cmath>

namespace computedebt::engine::detail {

PathRunner::PathRunner(const calibration::Plan& plan, const SimulationConfig& config)
    : plan_(plan),
      credit_(plan, config.importance_shift, config.antithetic, config.quasi_random),
      market_(plan, config.antithetic),
      collateral_(plan),
      waterfall_(plan),
      antithetic_(config.antithetic),
      quasi_random_(config.quasi_random),
      default_month_(plan.credit.names),
      multipliers_(plan.gpu.types * plan.gpu.columns),
      irr_(std::span(plan.waterfall.date_time).subspan(plan.waterfall.date_time.empty() ? 0 : 1)),
      irr_buffer_(irr_bins),
      dscr_buffers_(plan.waterfall.dates + 1, stats::HistogramBuffer(dscr_bins)),
      ltv_buffers_(plan.waterfall.dates + 1, stats::HistogramBuffer(ltv_bins)),
      trap_buffers_(plan.waterfall.trap_accounts() * (plan.waterfall.dates + 1), stats::HistogramBuffer(account_bins)) {
  if (const auto* loss = std::get_if<deal::LossTranches>(&plan.source.deal.structure)) {
    loss_tranches_ = &loss->tranches;
    tranches_ = loss->tranches.size();
  }
  const auto& w = plan.waterfall;
  if (plan.is_waterfall()) {
    tranches_ = w.tranches;
    // Received flows are valued at the promised flows' spread, for the fair spread's standard error.
    for (std::size_t t = 0; t < w.tranches; ++t) {
      const auto promised = std::span(w.promised_flow).subspan(t * (w.dates + 1), w.dates + 1);
      const double spread = pricing::flat_spread(promised, w.date_time, w.date_discount, w.notional[t]);
      for (std::size_t m = 0; m <= w.dates; ++m)
        promised_discount_.push_back(w.date_discount[m] *
                                     std::exp(-(std::isnan(spread) ? 0.0 : spread) * w.date_time[m]));
    }
    distributions_.resize(w.dates);
    for (const double notional : w.notional) total_notional_ += notional;
  }
  waterfall_slot_ = 2 + 2 * tranches_;
  equity_slot_ = waterfall_slot_ + (plan.is_waterfall() ? 3 * tranches_ : 0);
  events_ = plan.is_waterfall() ? event_count(w) : 0;
  covenant_slot_ = equity_slot_ + 4 + events_;
  group_sum_.assign(plan.is_waterfall() ? covenant_slot_ + 2 * w.covenants.size() + 1 : equity_slot_, 0.0);
}

void PathRunner::run(std::uint32_t seed, std::uint64_t path, Partial& partial, pricing::PathValues* store) noexcept {
  credit_.sample(seed, path, default_month_);
  const bool keep_multipliers = store && !store->gpu_months.empty();
  // GPU paths feed only the waterfall; for loss tranches they are drawn only when asked for.
  if ((plan_.is_waterfall() || keep_multipliers) && plan_.gpu.types > 0)
    market_.sample(seed, path, credit_.normals(), multipliers_);
  if (keep_multipliers && plan_.gpu.types > 0) {
    const std::size_t dates = store->gpu_months.size();
    for (std::size_t g = 0; g < plan_.gpu.types; ++g)
      for (std::size_t d = 0; d < dates; ++d)
        store->gpu_multiplier[(path * plan_.gpu.types + g) * dates + d] =
            multipliers_[g * plan_.gpu.columns + static_cast<std::size_t>(store->gpu_months[d])];
  }
  const double loss = waterfall::portfolio_loss(plan_, default_month_, credit_.defaulted());
  const auto defaults = static_cast<std::uint32_t>(credit_.defaulted().size());

  const double w = credit_.weight();
  partial.weight_sum += w;
  partial.weight_square_sum += w * w;
  group_weight_ += w;
  partial.loss_distribution.add(loss, w);
  partial.default_counts[defaults] += w;
  group_sum_[0] += w * loss;
  group_sum_[1] += w * defaults;
  if (store) {
    if (!store->weight.empty()) store->weight[path] = w;
    store->portfolio_loss[path] = loss;
    store->default_count[path] = defaults;
  }
  if (loss_tranches_) {
    for (std::size_t t = 0; t < tranches_; ++t) {
      const auto& tranche = (*loss_tranches_)[t];
      const double tranche_loss = waterfall::tranche_loss(loss, tranche.attachment, tranche.detachment);
      group_sum_[2 + 2 * t] += w * tranche_loss;
      group_sum_[3 + 2 * t] += loss > tranche.attachment ? w : 0.0;
      if (store) store->tranche_loss[path * tranches_ + t] = tranche_loss;
    }
  } else {
    collateral_.start_path(default_month_, credit_.defaulted(), multipliers_);
    record_waterfall(waterfall_.run(collateral_), w, path, partial, store);
  }
  ++group_size_;
  if (quasi_random_ || (antithetic_ && path % 2 == 0)) return;
  flush_group(partial);
}

void PathRunner::record_waterfall(const waterfall::WaterfallPath& outcome, double w, std::uint64_t path,
                                  Partial& partial, pricing::PathValues* store) noexcept {
  const auto& plan = plan_.waterfall;
  auto& stats = partial.waterfall;
  const std::size_t columns = plan.dates + 1;
  for (std::size_t t = 0; t < tranches_; ++t) {
    // Discounted at the tranche's coupon, the unpaid balance after the final date is the PV of what was lost.
    const double lost = outcome.balance[t] * plan.at(plan.coupon_discount, t, plan.dates) / plan.notional[t];
    group_sum_[2 + 2 * t] += w * lost;
    group_sum_[3 + 2 * t] += outcome.balance[t] > 0.01 ? w : 0.0;
    if (store) store->tranche_loss[path * tranches_ + t] = lost;
    double wal_numerator = 0.0, wal_denominator = 0.0, received_value = 0.0;
    for (std::size_t m = 1; m < columns; ++m) {
      const double principal = outcome.principal_paid[t * columns + m];
      const double received = principal + outcome.interest_paid[t * columns + m];
      stats.principal[t * columns + m] += w * principal;
      stats.received[t * columns + m] += w * received;
      wal_numerator += plan.date_time[m] * principal;
      wal_denominator += principal;
      received_value += received * promised_discount_[t * columns + m];
    }
    group_sum_[waterfall_slot_ + 3 * t] += w * wal_numerator;
    group_sum_[waterfall_slot_ + 3 * t + 1] += w * wal_denominator;
    group_sum_[waterfall_slot_ + 3 * t + 2] += w * received_value;
  }

  // Equity cures are the equity's outflows: the IRR nets them from the distributions of their date.
  double distributed = 0.0, injected = 0.0;
  for (std::size_t m = 1; m < columns; ++m) {
    distributions_[m - 1] = outcome.equity[m] - outcome.injected[m];
    distributed += outcome.equity[m];
    injected += outcome.injected[m];
    stats.distributions[m] += w * outcome.equity[m];
  }
  const double irr = irr_.solve(distributions_, plan.equity_investment);
  const double multiple = distributed / (plan.equity_investment + injected);
  irr_buffer_.add(irr, w);
  group_sum_[equity_slot_] += w * irr;
  group_sum_[equity_slot_ + 1] += w * multiple;
  group_sum_[equity_slot_ + 2] += irr < 0.0 ? w : 0.0;

  for (std::size_t m = 1; m < columns; ++m) {
    if (!std::isnan(outcome.dscr[m])) dscr_buffers_[m].add(outcome.dscr[m], w);
    if (!std::isnan(outcome.ltv[m])) ltv_buffers_[m].add(outcome.ltv[m], w);
  }
  // First dates of each covenant's breaches and of the event of default.
  const std::size_t covenants = events_ - 1;
  for (std::size_t e = 0; e < events_; ++e) {
    std::size_t first = outcome.event_of_default;
    if (e < covenants) {
      first = 0;
      for (std::size_t m = 1; m < columns && first == 0; ++m)
        if (outcome.breached[e * columns + m]) first = m;
      group_sum_[covenant_slot_ + e] += w * outcome.months_in_breach[e];
      group_sum_[covenant_slot_ + covenants + e] += w * outcome.cures_used[e];
    }
    group_sum_[equity_slot_ + 3 + e] += first > 0 ? w : 0.0;
    if (first > 0) stats.first_date[e * columns + first] += w;
  }
  group_sum_[equity_slot_ + 3 + events_] += w * outcome.collateral_value;
  group_sum_[covenant_slot_ + 2 * covenants] += w * injected;
  std::size_t trap = 0;
  for (std::size_t a = 0; a < plan.accounts.size(); ++a) {
    for (std::size_t m = 1; m < columns; ++m)
      stats.account_balance[a * columns + m] += w * outcome.account_balance[a * columns + m];
    if (!plan.accounts[a].trap) continue;
    for (std::size_t m = 1; m < columns; ++m)
      trap_buffers_[trap * columns + m].add(outcome.account_balance[a * columns + m] / total_notional_, w);
    ++trap;
  }
  if (store) {
    store->equity_irr[path] = irr;
    store->money_multiple[path] = multiple;
    store->event_of_default[path] = static_cast<std::uint32_t>(outcome.event_of_default);
    store->collateral_value[path] = outcome.collateral_value;
  }
}

void PathRunner::flush_group(Partial& partial) noexcept {
  if (group_size_ == 0) return;
  const double scale = 1.0 / static_cast<double>(group_size_);
  for (double& sum : group_sum_) sum *= scale;
  partial.portfolio_loss.add(group_sum_[0]);
  partial.weight.add(group_weight_ * scale);
  group_weight_ = 0.0;
  partial.defaults.add(group_sum_[1]);
  for (std::size_t t = 0; t < tranches_; ++t) partial.tranche_loss[t].add(group_sum_[2 + 2 * t], group_sum_[3 + 2 * t]);
  if (plan_.is_waterfall()) {
    auto& stats = partial.waterfall;
    for (std::size_t t = 0; t < tranches_; ++t) {
      stats.wal[t].add(group_sum_[waterfall_slot_ + 3 * t], group_sum_[waterfall_slot_ + 3 * t + 1]);
      stats.received_value[t].add(group_sum_[waterfall_slot_ + 3 * t + 2]);
    }
    stats.irr.add(group_sum_[equity_slot_]);
    stats.money_multiple.add(group_sum_[equity_slot_ + 1]);
    stats.negative_irr.add(group_sum_[equity_slot_ + 2]);
    for (std::size_t e = 0; e < events_; ++e) stats.occurred[e].add(group_sum_[equity_slot_ + 3 + e]);
    stats.collateral_value.add(group_sum_[equity_slot_ + 3 + events_]);
    const std::size_t covenants = events_ - 1;
    for (std::size_t c = 0; c < covenants; ++c) {
      stats.months_in_breach[c].add(group_sum_[covenant_slot_ + c]);
      stats.cures_used[c].add(group_sum_[covenant_slot_ + covenants + c]);
    }
    stats.injected.add(group_sum_[covenant_slot_ + 2 * covenants]);
  }
  std::fill(group_sum_.begin(), group_sum_.end(), 0.0);
  group_size_ = 0;
}

void PathRunner::finish_leaf(Partial& partial) {
  flush_group(partial);
  if (!plan_.is_waterfall()) return;
  auto& stats = partial.waterfall;
  irr_buffer_.flush_into(stats.irr_distribution);
  for (std::size_t m = 1; m < dscr_buffers_.size(); ++m) {
    dscr_buffers_[m].flush_into(stats.dscr[m]);
    ltv_buffers_[m].flush_into(stats.ltv[m]);
  }
  for (std::size_t i = 0; i < stats.trap_balance.size(); ++i)
    if (i % (plan_.waterfall.dates + 1) != 0) trap_buffers_[i].flush_into(stats.trap_balance[i]);
}

}  // namespace computedebt::engine::detail
