#pragma once
/// \file
/// The statistics of a run, declared once: each is a field of `BasicStatistics`, listed in its `fields`, from
/// which merging, serialising and handing a leaf over to a partial all follow.

#include <computedebt/calibration/plan.hpp>
#include <computedebt/engine/accumulators.hpp>
#include <computedebt/engine/simulation_config.hpp>
#include <computedebt/stats/histogram.hpp>

#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

namespace computedebt::engine {

/// The events whose probability and timing a waterfall run reports: a breach of each covenant, in the plan's
/// order, then the event of default.
inline std::size_t event_count(const calibration::WaterfallPlan& plan) { return plan.covenants.size() + 1; }

/// Bins of the waterfall's distributions: 1e-3 wide (docs/methodology.md section 6), with overflow bins on both sides.
inline constexpr stats::BinLayout irr_bins{-1.0, 9.0, 10000};
inline constexpr stats::BinLayout dscr_bins{0.0, 10.0, 10000};
inline constexpr stats::BinLayout ltv_bins{0.0, 5.0, 5000};
/// Borrowing-base headroom as a fraction of the facility's balance at `t0`, 1e-3 wide.
inline constexpr stats::BinLayout headroom_bins{-1.0, 4.0, 5000};
/// A period's power cost as a fraction of the whole fleet's at full draw and the forward price, 1e-3 wide; PPAs
/// settled in the SPV's favour make it negative.
inline constexpr stats::BinLayout power_cost_bins{-2.0, 6.0, 8000};
/// Trap balances as fractions of the tranches' total notional, 1e-4 wide.
inline constexpr stats::BinLayout account_bins{0.0, 1.0, 10000};
/// Portfolio loss, bins of 1e-4 over [0, 1].
inline constexpr std::size_t loss_bins = 10000;

/// The statistics of a cash-flow waterfall's paths, in form `Form` (`Collecting` or `Merged`). Per-tranche-and-date
/// arrays are `tranches x (dates + 1)`, per-event arrays `events x (dates + 1)`.
template <class Form>
struct BasicWaterfallStatistics {
  using Mean = typename Form::Mean;
  using Distribution = typename Form::Distribution;

  std::vector<typename Form::Ratio> wal;  ///< Per tranche: `(sum_m tau_m P_m, sum_m P_m)` per path.
  std::vector<double> principal;          ///< Weighted sums of principal paid per date.
  std::vector<double> received;           ///< Weighted sums of interest and principal paid per date.
  std::vector<double> distributions;      ///< Weighted sums of equity distributions per date.
  std::vector<Mean> received_value;       ///< Per tranche: received flows discounted at the promised spread.
  Mean irr, money_multiple, negative_irr;
  Distribution irr_distribution;
  std::vector<Mean> occurred;              ///< Per event: whether it happened on the path.
  std::vector<double> first_date;          ///< Weight of paths whose first occurrence is on each date.
  std::vector<Distribution> dscr, ltv;     ///< Per date, while no event of default has occurred.
  std::vector<Mean> months_in_breach;      ///< Per covenant: months breached and not cured.
  std::vector<Mean> cures_used;            ///< Per covenant: equity cures used.
  Mean injected;                           ///< Equity cures paid in, undiscounted.
  std::vector<double> account_balance;     ///< Weighted sums of each account's balance per date.
  std::vector<Distribution> trap_balance;  ///< Per trap account and date, over all paths.
  Mean collateral_value;                   ///< Fleet market value at `t_K`, before the sale.
  /// Per tranche: `(sum_m B_{m-1} c_m alpha_m, sum_m B_{m-1} alpha_m)` per path, the coupons its balance bore.
  std::vector<typename Form::Ratio> coupon;
  /// Weighted sums of the promised flows per tranche and date at each path's coupons; empty unless coupons differ
  /// by path (Hull-White indices).
  std::vector<double> promised;
  std::vector<double> hedge_flow;                ///< Per hedge and date: weighted sums of the payment due to the SPV.
  std::vector<Mean> hedge_net;                   ///< Per hedge: the sum of its payments due to the SPV, undiscounted.
  std::vector<Mean> hedge_counterparty_default;  ///< Per hedge: ended by its counterparty's default.
  std::vector<Mean> hedge_event_of_default;      ///< Per hedge: ended by the SPV's event of default.
  std::vector<Mean> hedge_close_out;             ///< Per hedge: its close-out value to the SPV, 0 if none.
  /// Per date, the borrowing-base headroom at its test; empty without a borrowing base.
  std::vector<Distribution> borrowing_base_headroom;
  std::vector<double> mandatory_prepayment;  ///< Weighted sums of the borrowing base's prepayments per date.
  /// Per path: the borrowing base's prepayments, undiscounted, and whether its deficiency was the event of default;
  /// sized 1 with a borrowing base, else empty.
  std::vector<Mean> prepaid, borrowing_base_default;
  /// Delayed draws, empty without them: per tranche and date, weighted sums of the amounts drawn; per tranche, the
  /// drawn total, whether a draw was refused and the commitment fees. Deliveries, empty without them: per delivery,
  /// whether it was cancelled, its delay in months and whether it was late.
  std::vector<double> drawn;
  std::vector<Mean> drawn_total, draw_refused, commitment_fees, delivery_cancelled, delivery_delay, delivery_late;
  /// Per path: its operating costs' power (PPAs included) and the rest, undiscounted, power's share of them, and what
  /// generation behind the meter changed in its power.
  Mean energy_cost, other_cost, energy_share, generation;
  /// Per date, the period's power cost over `PowerPlan::fleet_power_cost`; empty without a power market, PPAs or sites.
  std::vector<Distribution> power_cost;

  /// Every statistic, in serialisation order.
  static constexpr auto fields = std::tuple{&BasicWaterfallStatistics::wal,
                                            &BasicWaterfallStatistics::principal,
                                            &BasicWaterfallStatistics::received,
                                            &BasicWaterfallStatistics::distributions,
                                            &BasicWaterfallStatistics::received_value,
                                            &BasicWaterfallStatistics::irr,
                                            &BasicWaterfallStatistics::money_multiple,
                                            &BasicWaterfallStatistics::negative_irr,
                                            &BasicWaterfallStatistics::irr_distribution,
                                            &BasicWaterfallStatistics::occurred,
                                            &BasicWaterfallStatistics::first_date,
                                            &BasicWaterfallStatistics::dscr,
                                            &BasicWaterfallStatistics::ltv,
                                            &BasicWaterfallStatistics::months_in_breach,
                                            &BasicWaterfallStatistics::cures_used,
                                            &BasicWaterfallStatistics::injected,
                                            &BasicWaterfallStatistics::account_balance,
                                            &BasicWaterfallStatistics::trap_balance,
                                            &BasicWaterfallStatistics::collateral_value,
                                            &BasicWaterfallStatistics::coupon,
                                            &BasicWaterfallStatistics::promised,
                                            &BasicWaterfallStatistics::hedge_flow,
                                            &BasicWaterfallStatistics::hedge_net,
                                            &BasicWaterfallStatistics::hedge_counterparty_default,
                                            &BasicWaterfallStatistics::hedge_event_of_default,
                                            &BasicWaterfallStatistics::hedge_close_out,
                                            &BasicWaterfallStatistics::borrowing_base_headroom,
                                            &BasicWaterfallStatistics::mandatory_prepayment,
                                            &BasicWaterfallStatistics::prepaid,
                                            &BasicWaterfallStatistics::borrowing_base_default,
                                            &BasicWaterfallStatistics::drawn,
                                            &BasicWaterfallStatistics::drawn_total,
                                            &BasicWaterfallStatistics::draw_refused,
                                            &BasicWaterfallStatistics::commitment_fees,
                                            &BasicWaterfallStatistics::delivery_cancelled,
                                            &BasicWaterfallStatistics::delivery_delay,
                                            &BasicWaterfallStatistics::delivery_late,
                                            &BasicWaterfallStatistics::energy_cost,
                                            &BasicWaterfallStatistics::other_cost,
                                            &BasicWaterfallStatistics::energy_share,
                                            &BasicWaterfallStatistics::generation,
                                            &BasicWaterfallStatistics::power_cost};

  bool operator==(const BasicWaterfallStatistics&) const = default;
};

/// The risk contributions of a run (docs/methodology.md section 6.7), per holder: each counterparty, then each
/// sector. Every quantity is a share of a path's loss, zero unless the holder lost something on the path.
template <class Form>
struct BasicContributionStatistics {
  using Sums = typename Form::Sums;

  Sums expected_loss;       ///< Per holder: its loss `L_i`, a fraction of the total exposure.
  Sums value_at_risk;       ///< Per holder: `L_i 1{L in the VaR bin}`, scaled to `E[L_i | L in the VaR bin]`.
  Sums expected_shortfall;  ///< Per holder: `L_i` weighted as the tail's paths are in the expected shortfall.
  /// `(holders + 1) x tranches`: each tranche's loss times the holder's share of the path's credit loss; the last
  /// row is the GPU market's, the tranche's loss on paths without credit loss.
  Sums tranche_loss;

  static constexpr auto fields =
      std::tuple{&BasicContributionStatistics::expected_loss, &BasicContributionStatistics::value_at_risk,
                 &BasicContributionStatistics::expected_shortfall, &BasicContributionStatistics::tranche_loss};

  bool operator==(const BasicContributionStatistics&) const = default;
};

/// The quantities whose co-moments the control variates need (docs/methodology.md section 7.7), per independent
/// group: the portfolio loss at index 0, each tranche's loss at `1 + t`, whether it lost anything at `1 + T + t`.
inline std::size_t control_dimension(std::size_t tranches) { return 1 + 2 * tranches; }

/// The statistics of a run's paths, in form `Form`. Every path enters with its likelihood-ratio weight `w` (1
/// without importance sampling): means accumulate `w x`, histograms and counts accumulate `w`.
template <class Form>
struct BasicStatistics {
  using Mean = typename Form::Mean;

  Mean portfolio_loss;
  stats::Histogram loss_distribution;  ///< Portfolio loss, `loss_bins` bins over [0, 1].
  Mean defaults;                       ///< Counterparties defaulting by `T`.
  std::vector<double> default_counts;  ///< Paths with exactly `n` counterparty defaults.
  /// Per tranche: its loss (a fraction of its size; for a waterfall tranche, discounted at its coupons on the path) and
  /// whether it lost anything, so that EL, PD and LGD = EL / PD come with standard errors.
  std::vector<typename Form::Ratio> tranche_loss;
  /// Per tranche: weighted sums of `w y^2` over paths, `y` its loss, for the plain Monte Carlo variance of its EL
  /// (docs/methodology.md section 7.4).
  std::vector<double> tranche_loss_square;
  BasicWaterfallStatistics<Form> waterfall;  ///< Empty for loss tranches.
  /// The likelihood-ratio weights themselves: their sum and sum of squares over paths, for the effective sample
  /// size `(sum w)^2 / sum w^2`, and each independent group's mean weight, whose mean should be 1.
  double weight_sum = 0.0, weight_square_sum = 0.0;
  Mean weight;
  BasicContributionStatistics<Form> contributions;  ///< Empty unless asked for.
  typename Form::CoMoments control_variates;        ///< `control_dimension` quantities; empty unless asked for.

  /// Every statistic, in serialisation order.
  static constexpr auto fields = std::tuple{
      &BasicStatistics::portfolio_loss, &BasicStatistics::loss_distribution, &BasicStatistics::defaults,
      &BasicStatistics::default_counts, &BasicStatistics::tranche_loss,      &BasicStatistics::waterfall,
      &BasicStatistics::weight_sum,     &BasicStatistics::weight_square_sum, &BasicStatistics::weight,
      &BasicStatistics::contributions,  &BasicStatistics::control_variates,  &BasicStatistics::tranche_loss_square};

  bool operator==(const BasicStatistics&) const = default;
};

/// Calls `f` on each pair of corresponding fields of `a` and `b`, two statistics of the same shape whose forms
/// may differ. The visitor recurses into nested statistics itself.
template <class A, class B, class F>
void for_each_field_pair(A& a, B& b, F&& f) {
  using FieldsA = std::remove_cvref_t<decltype(std::remove_cvref_t<A>::fields)>;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f(a.*std::get<I>(std::remove_cvref_t<A>::fields), b.*std::get<I>(std::remove_cvref_t<B>::fields)), ...);
  }(std::make_index_sequence<std::tuple_size_v<FieldsA>>{});
}

/// Calls `f` on each field of `s`.
template <class S, class F>
void for_each_field(S& s, F&& f) {
  std::apply([&](auto... field) { (f(s.*field), ...); }, std::remove_cvref_t<S>::fields);
}

/// Whether `T` is a statistics structure with a field list.
template <class T>
concept HasFields = requires { std::remove_cvref_t<T>::fields; };

/// The holders of risk contributions: each counterparty, then each sector.
inline std::size_t contribution_holders(const calibration::Plan& plan) {
  return plan.credit.names + plan.credit.sectors.size();
}

/// Sizes `statistics` for `plan`'s tranches, dates, events and accounts, and for the optional statistics asked for.
template <class Form>
void shape(BasicStatistics<Form>& statistics, const calibration::Plan& plan, OptionalStatistics optional) {
  statistics.loss_distribution = stats::Histogram(0.0, 1.0, loss_bins);
  statistics.default_counts.assign(plan.credit.names + 1, 0.0);
  statistics.tranche_loss.resize(plan.tranche_count());
  statistics.tranche_loss_square.assign(plan.tranche_count(), 0.0);
  if (optional.control_variates)
    statistics.control_variates = typename Form::CoMoments(control_dimension(plan.tranche_count()));
  if (optional.contributions) {
    using Sums = typename Form::Sums;
    const std::size_t holders = contribution_holders(plan);
    auto& c = statistics.contributions;
    c.expected_loss = c.value_at_risk = c.expected_shortfall = Sums(holders);
    c.tranche_loss = Sums((holders + 1) * plan.tranche_count());
  }
  if (!plan.is_waterfall()) return;
  using Distribution = typename Form::Distribution;
  const std::size_t tranches = plan.waterfall.tranches, columns = plan.waterfall.dates + 1;
  auto& w = statistics.waterfall;
  w.wal.resize(tranches);
  w.coupon.resize(tranches);
  if (plan.waterfall.path_coupons()) w.promised.assign(tranches * columns, 0.0);
  const std::size_t hedges = plan.waterfall.hedges.size();
  w.hedge_flow.assign(hedges * columns, 0.0);
  for (auto* v : {&w.hedge_net, &w.hedge_counterparty_default, &w.hedge_event_of_default, &w.hedge_close_out})
    v->resize(hedges);
  w.principal.assign(tranches * columns, 0.0);
  w.received.assign(tranches * columns, 0.0);
  w.distributions.assign(columns, 0.0);
  w.received_value.resize(tranches);
  w.irr_distribution = Distribution(irr_bins);
  w.occurred.resize(event_count(plan.waterfall));
  w.first_date.assign(event_count(plan.waterfall) * columns, 0.0);
  w.dscr.assign(columns, Distribution(dscr_bins));
  w.ltv.assign(columns, Distribution(ltv_bins));
  w.months_in_breach.resize(plan.waterfall.covenants.size());
  w.cures_used.resize(plan.waterfall.covenants.size());
  w.account_balance.assign(plan.waterfall.accounts.size() * columns, 0.0);
  w.trap_balance.assign(plan.waterfall.trap_accounts() * columns, Distribution(account_bins));
  if (plan.waterfall.borrowing_base) {
    w.borrowing_base_headroom.assign(columns, Distribution(headroom_bins));
    w.mandatory_prepayment.assign(columns, 0.0);
    w.prepaid.resize(1);
    w.borrowing_base_default.resize(1);
  }
  if (!plan.waterfall.draws.empty()) {
    w.drawn.assign(tranches * columns, 0.0);
    for (auto* v : {&w.drawn_total, &w.draw_refused, &w.commitment_fees}) v->resize(tranches);
  }
  for (auto* v : {&w.delivery_cancelled, &w.delivery_delay, &w.delivery_late})
    v->resize(plan.waterfall.delivery_date.size());
  if (plan.power.has_market()) w.power_cost.assign(columns, Distribution(power_cost_bins));
}

}  // namespace computedebt::engine
