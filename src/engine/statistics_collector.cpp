#include "statistics_collector.hpp"

#include <cmath>

namespace computedebt::engine::detail {

namespace {

/// Reserves every histogram buffer's room for a leaf's values: one per path at most.
struct ReserveLeaf {
  void operator()(stats::HistogramBuffer& buffer) const { buffer.reserve(leaf_paths); }
  template <class T>
  void operator()(std::vector<T>& values) const {
    for (auto& value : values) (*this)(value);
  }
  template <HasFields T>
  void operator()(T& statistics) const {
    for_each_field(statistics, *this);
  }
  template <class T>
  void operator()(T&) const {}
};

}  // namespace

StatisticsCollector::StatisticsCollector(const calibration::Plan& plan, const SimulationConfig& config)
    : plan_(plan), waterfall_(plan.waterfall), tail_(config.contributions ? config.loss_tail : std::nullopt) {
  shape(statistics_, plan, {tail_.has_value(), config.control_variates});
  ReserveLeaf{}(statistics_);
  for (const double notional : waterfall_.notional) total_notional_ += notional;
  if (tail_) sector_loss_.resize(plan.credit.sectors.size());
}

void StatisticsCollector::add(const PathOutcome& outcome) noexcept {
  const double w = outcome.weight;
  auto& s = statistics_;
  s.weight_sum += w;
  s.weight_square_sum += w * w;
  s.weight.add(1.0, w);
  s.loss_distribution.add(outcome.portfolio_loss, w);
  s.default_counts[outcome.defaults] += w;
  s.portfolio_loss.add(outcome.portfolio_loss, w);
  s.defaults.add(outcome.defaults, w);
  for (std::size_t t = 0; t < s.tranche_loss.size(); ++t) {
    const double loss = outcome.tranche_loss[t];
    s.tranche_loss[t].add(loss, outcome.tranche_hit[t] ? 1.0 : 0.0, w);
    s.tranche_loss_square[t] += w * loss * loss;
  }
  if (outcome.waterfall) add_waterfall(*outcome.waterfall, w);
  if (tail_) add_contributions(outcome);
  if (!s.control_variates.empty()) add_controls(outcome);
  ++group_size_;
}

void StatisticsCollector::add_controls(const PathOutcome& outcome) noexcept {
  const double w = outcome.weight;
  const std::size_t tranches = outcome.tranche_loss.size();
  auto& c = statistics_.control_variates;
  c.add(0, outcome.portfolio_loss, w);
  for (std::size_t t = 0; t < tranches; ++t) {
    c.add(1 + t, outcome.tranche_loss[t], w);
    c.add(1 + tranches + t, outcome.tranche_hit[t] ? 1.0 : 0.0, w);
  }
}

void StatisticsCollector::add_contributions(const PathOutcome& outcome) noexcept {
  const double w = outcome.weight, loss = outcome.portfolio_loss;
  const std::uint32_t bin = stats::BinLayout{0.0, 1.0, loss_bins}.index(loss);
  const double var_factor = bin == tail_->var_bin ? tail_->var_factor : 0.0;
  const double es_factor =
      bin == tail_->var_bin ? tail_->es_bin_factor : (bin > tail_->var_bin ? tail_->es_above_factor : 0.0);
  auto& c = statistics_.contributions;
  const std::size_t names = plan_.credit.names, tranches = outcome.tranche_loss.size();
  // Each holder's share of every tranche's loss: pro rata to its share of the credit loss; all of it to the GPU
  // market on a path without credit loss.
  const auto add_holder = [&](std::size_t h, double holder_loss) {
    if (holder_loss == 0.0) return;  // A default without loss (guaranteed, or after its contracts): no share.
    c.expected_loss.add(h, holder_loss, w);
    if (var_factor != 0.0) c.value_at_risk.add(h, holder_loss * var_factor, w);
    if (es_factor != 0.0) c.expected_shortfall.add(h, holder_loss * es_factor, w);
    for (std::size_t t = 0; t < tranches; ++t)
      if (outcome.tranche_loss[t] != 0.0)
        c.tranche_loss.add(h * tranches + t, outcome.tranche_loss[t] * holder_loss / loss, w);
  };
  for (std::size_t i = 0; i < outcome.loss_names.size(); ++i) {
    const std::uint32_t name = outcome.loss_names[i];
    add_holder(name, outcome.name_loss[i]);
    sector_loss_[plan_.credit.sector_of[name]] += outcome.name_loss[i];
  }
  for (std::size_t s = 0; s < sector_loss_.size(); ++s) {
    add_holder(names + s, sector_loss_[s]);
    sector_loss_[s] = 0.0;
  }
  if (loss > 0.0) return;
  const std::size_t market = contribution_holders(plan_);
  for (std::size_t t = 0; t < tranches; ++t)
    if (outcome.tranche_loss[t] != 0.0) c.tranche_loss.add(market * tranches + t, outcome.tranche_loss[t], w);
}

void StatisticsCollector::add_waterfall(const WaterfallOutcome& outcome, double w) noexcept {
  const auto& path = *outcome.path;
  auto& s = statistics_.waterfall;
  const std::size_t columns = waterfall_.dates + 1;
  for (std::size_t t = 0; t < waterfall_.tranches; ++t) {
    for (std::size_t m = 1; m < columns; ++m) {
      const double principal = path.principal_paid[t * columns + m];
      s.principal[t * columns + m] += w * principal;
      s.received[t * columns + m] += w * (principal + path.interest_paid[t * columns + m]);
    }
    s.wal[t].add(outcome.wal_numerator[t], outcome.principal_total[t], w);
    s.received_value[t].add(outcome.received_value[t], w);
    s.coupon[t].add(outcome.coupon_accrued[t], outcome.balance_years[t], w);
  }
  for (std::size_t i = 0; i < outcome.promised.size(); ++i) s.promised[i] += w * outcome.promised[i];
  for (std::size_t h = 0; h < waterfall_.hedges.size(); ++h) {
    double net = 0.0;
    for (std::size_t m = 1; m < columns; ++m) {
      const double flow = path.hedge_flow[h * columns + m];
      s.hedge_flow[h * columns + m] += w * flow;
      net += flow;
    }
    s.hedge_net[h].add(net, w);
    const bool ended = path.hedge_end[h] != 0, by_counterparty = path.hedge_counterparty_default[h] != 0;
    s.hedge_counterparty_default[h].add(by_counterparty ? 1.0 : 0.0, w);
    s.hedge_event_of_default[h].add(ended && !by_counterparty ? 1.0 : 0.0, w);
    s.hedge_close_out[h].add(path.hedge_close_out[h], w);
  }
  for (std::size_t m = 1; m < columns; ++m) s.distributions[m] += w * (path.equity[m] + path.draw_proceeds[m]);
  s.irr_distribution.add(outcome.irr, w);
  s.irr.add(outcome.irr, w);
  s.money_multiple.add(outcome.money_multiple, w);
  s.negative_irr.add(outcome.irr < 0.0 ? 1.0 : 0.0, w);
  for (std::size_t m = 1; m < columns; ++m) {
    if (!std::isnan(path.dscr[m])) s.dscr[m].add(path.dscr[m], w);
    if (!std::isnan(path.ltv[m])) s.ltv[m].add(path.ltv[m], w);
  }
  for (std::size_t e = 0; e < outcome.first_date.size(); ++e) {
    const std::uint32_t first = outcome.first_date[e];
    s.occurred[e].add(first > 0 ? 1.0 : 0.0, w);
    if (first > 0) s.first_date[e * columns + first] += w;
  }
  for (std::size_t c = 0; c < waterfall_.covenants.size(); ++c) {
    s.months_in_breach[c].add(path.months_in_breach[c], w);
    s.cures_used[c].add(path.cures_used[c], w);
  }
  s.injected.add(outcome.injected, w);
  s.collateral_value.add(path.collateral_value, w);
  if (const auto& base = waterfall_.borrowing_base) {
    double prepaid = 0.0;
    for (std::size_t m = 1; m < columns; ++m) {
      if (!std::isnan(path.borrowing_base_headroom[m]))
        s.borrowing_base_headroom[m].add(path.borrowing_base_headroom[m] / base->initial_balance, w);
      s.mandatory_prepayment[m] += w * path.mandatory_prepayment[m];
      prepaid += path.mandatory_prepayment[m];
    }
    s.prepaid[0].add(prepaid, w);
    s.borrowing_base_default[0].add(path.borrowing_base_default ? 1.0 : 0.0, w);
  }
  if (!s.drawn_total.empty())
    for (std::size_t t = 0; t < waterfall_.tranches; ++t) {
      double total = 0.0;
      for (std::size_t m = 1; m < columns; ++m) {
        const double drawn = path.drawn[t * columns + m];
        s.drawn[t * columns + m] += w * drawn;
        total += drawn;
      }
      bool refused = false;
      for (std::size_t j = 0; j < waterfall_.draws.size(); ++j)
        refused |= waterfall_.draws[j].tranche == t && path.draw_refused[j] != 0;
      s.drawn_total[t].add(total, w);
      s.draw_refused[t].add(refused ? 1.0 : 0.0, w);
      s.commitment_fees[t].add(path.commitment_fees[t], w);
    }
  double energy = 0.0;
  for (std::size_t m = 1; m < columns; ++m) energy += path.energy_cost[m];
  s.energy_cost.add(energy, w);
  s.other_cost.add(path.costs - energy, w);
  s.energy_share.add(path.costs > 0.0 ? energy / path.costs : 0.0, w);
  s.generation.add(path.generation, w);
  if (!s.power_cost.empty()) {
    const auto& scale = plan_.power.fleet_power_cost;
    for (std::size_t m = 1; m < columns; ++m) {
      double full = 0.0;
      for (int k = waterfall_.date_month[m - 1] + 1; k <= waterfall_.date_month[m]; ++k)
        full += scale[static_cast<std::size_t>(k)];
      if (full > 0.0) s.power_cost[m].add(path.energy_cost[m] / full, w);
    }
  }
  for (std::size_t d = 0; d < s.delivery_cancelled.size(); ++d) {
    s.delivery_cancelled[d].add(path.delivery_cancelled[d] ? 1.0 : 0.0, w);
    s.delivery_delay[d].add(path.delivery_delay[d], w);
    s.delivery_late[d].add(path.delivery_delay[d] > 0 ? 1.0 : 0.0, w);
  }
  std::size_t trap = 0;
  for (std::size_t a = 0; a < waterfall_.accounts.size(); ++a) {
    for (std::size_t m = 1; m < columns; ++m)
      s.account_balance[a * columns + m] += w * path.account_balance[a * columns + m];
    if (!waterfall_.accounts[a].trap) continue;
    for (std::size_t m = 1; m < columns; ++m)
      s.trap_balance[trap * columns + m].add(path.account_balance[a * columns + m] / total_notional_, w);
    ++trap;
  }
}

namespace {

/// Closes the open group of every grouped statistic.
struct EndGroup {
  double scale;
  bool waterfall;  ///< Whether the deal has a waterfall: without one, its statistics stay empty and are skipped.
  void operator()(GroupedMean& mean) const noexcept { mean.end_group(scale); }
  void operator()(GroupedRatio& ratio) const noexcept { ratio.end_group(scale); }
  void operator()(GroupedSums& sums) const noexcept { sums.end_group(scale); }
  void operator()(GroupedCoMoments& moments) const noexcept { moments.end_group(scale); }
  // A loss-tranche deal's waterfall statistics take no values, but their nine means would still close a group on
  // every path, over a third of the divisions here.
  void operator()(BasicWaterfallStatistics<Collecting>& statistics) const noexcept {
    if (waterfall) for_each_field(statistics, *this);
  }
  template <class T>
  void operator()(std::vector<T>& values) const noexcept {
    for (auto& value : values) (*this)(value);
  }
  template <HasFields T>
  void operator()(T& statistics) const noexcept {
    for_each_field(statistics, *this);
  }
  template <class T>
  void operator()(T&) const noexcept {}
};

/// Moves each collected statistic into its merged form in `to`, an empty partial's, and leaves the collector's
/// empty for the next leaf: they swap buffers, so that neither side allocates.
struct Take {
  void operator()(GroupedMean& from, stats::Mean& to) const noexcept { to = from.take(); }
  void operator()(GroupedRatio& from, stats::Ratio& to) const noexcept { to = from.take(); }
  void operator()(GroupedSums& from, stats::MomentSums& to) const noexcept { from.take(to); }
  void operator()(GroupedCoMoments& from, stats::CoMoments& to) const noexcept { from.take(to); }
  void operator()(stats::HistogramBuffer& from, stats::SparseHistogram& to) const { from.flush_into(to); }
  void operator()(stats::Histogram& from, stats::Histogram& to) const noexcept { std::swap(from, to); }
  void operator()(double& from, double& to) const noexcept { to = std::exchange(from, 0.0); }
  template <class From, class To>
  void operator()(std::vector<From>& from, std::vector<To>& to) const {
    for (std::size_t i = 0; i < from.size(); ++i) (*this)(from[i], to[i]);
  }
  template <HasFields From, HasFields To>
  void operator()(From& from, To& to) const {
    for_each_field_pair(from, to, *this);
  }
};

}  // namespace

void StatisticsCollector::end_group() noexcept {
  if (group_size_ == 0) return;
  EndGroup{1.0 / static_cast<double>(group_size_), plan_.is_waterfall()}(statistics_);
  group_size_ = 0;
}

void StatisticsCollector::end_leaf(Partial& partial) {
  end_group();
  for_each_field_pair(statistics_, partial, Take{});
}

}  // namespace computedebt::engine::detail
