#pragma once
/// \file
/// Partial statistics of a run of leaves, mergeable along the fixed tree, serialisable for other machines.

#include <computedebt/calibration/plan.hpp>
#include <computedebt/stats/histogram.hpp>
#include <computedebt/stats/mean.hpp>
#include <computedebt/stats/ratio.hpp>
#include <computedebt/stats/sparse_histogram.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace computedebt::engine {

/// The events whose probability and timing a waterfall run reports: a breach of each covenant, in the plan's
/// order, then the event of default.
inline std::size_t event_count(const calibration::WaterfallPlan& plan) { return plan.covenants.size() + 1; }

/// Bins of the waterfall's distributions: 1e-3 wide (docs/methodology.md section 6), with overflow bins on both sides.
inline constexpr stats::BinLayout irr_bins{-1.0, 9.0, 10000};
inline constexpr stats::BinLayout dscr_bins{0.0, 10.0, 10000};
inline constexpr stats::BinLayout ltv_bins{0.0, 5.0, 5000};
/// Trap balances as fractions of the tranches' total notional, 1e-4 wide.
inline constexpr stats::BinLayout account_bins{0.0, 1.0, 10000};

/// The statistics of a cash-flow waterfall's paths. Per-tranche-and-date arrays are `tranches x (dates + 1)`,
/// per-event arrays `events x (dates + 1)`.
struct WaterfallStatistics {
  std::vector<stats::Ratio> wal;            ///< Per tranche: `(sum_m tau_m P_m, sum_m P_m)` per path.
  std::vector<double> principal;            ///< Weighted sums of principal paid per date.
  std::vector<double> received;             ///< Weighted sums of interest and principal paid per date.
  std::vector<double> distributions;        ///< Weighted sums of equity distributions per date.
  std::vector<stats::Mean> received_value;  ///< Per tranche: received flows discounted at the promised spread.
  stats::Mean irr, money_multiple, negative_irr;
  stats::SparseHistogram irr_distribution;
  std::vector<stats::Mean> occurred;                 ///< Per event: whether it happened on the path.
  std::vector<double> first_date;                    ///< Weight of paths whose first occurrence is on each date.
  std::vector<stats::SparseHistogram> dscr, ltv;     ///< Per date, while no event of default has occurred.
  std::vector<stats::Mean> months_in_breach;         ///< Per covenant: months breached and not cured.
  std::vector<stats::Mean> cures_used;               ///< Per covenant: equity cures used.
  stats::Mean injected;                              ///< Equity cures paid in, undiscounted.
  std::vector<double> account_balance;               ///< Weighted sums of each account's balance per date.
  std::vector<stats::SparseHistogram> trap_balance;  ///< Per trap account and date, over all paths.
  stats::Mean collateral_value;                      ///< Fleet market value at `t_K`, before the sale.

  bool operator==(const WaterfallStatistics&) const = default;
};

/// Statistics of the paths of some leaves. Two partials merge with `merge`; an empty partial is its identity.
/// Every path enters with its likelihood-ratio weight `w` (1 without importance sampling): means accumulate
/// `w x`, histograms and counts accumulate `w`.
struct Partial {
  std::uint64_t first_leaf = 0, last_leaf = 0;  ///< Leaves `[first, last)` covered.
  stats::Mean portfolio_loss;
  stats::Histogram loss_distribution;  ///< Portfolio loss, bins of 1e-4 over [0, 1].
  stats::Mean defaults;                ///< Counterparties defaulting by `T`.
  std::vector<double> default_counts;  ///< Paths with exactly `n` counterparty defaults.
  /// Per tranche: its loss (a fraction of its size; for a waterfall tranche, discounted at its coupon) and
  /// whether it lost anything, so that EL, PD and LGD = EL / PD come with standard errors.
  std::vector<stats::Ratio> tranche_loss;
  WaterfallStatistics waterfall;  ///< Empty for loss tranches.
  /// The likelihood-ratio weights themselves: their sum and sum of squares over paths, for the effective sample
  /// size `(sum w)^2 / sum w^2`, and each independent group's mean weight, whose mean should be 1.
  double weight_sum = 0.0, weight_square_sum = 0.0;
  stats::Mean weight;

  /// An empty partial shaped for `plan`.
  static Partial empty(const calibration::Plan& plan);

  bool operator==(const Partial&) const = default;
};

/// Whether two partials have the same shape: every vector the same length, every histogram the same bins. Partials
/// may come from bytes another machine sent (`partial_from_bytes`), so `merge` and `finish` check all of it.
bool same_shape(const Partial& a, const Partial& b);

/// Merges `right` (the leaves after `left`'s) into `left`; refuses partials of different shapes.
Partial& merge(Partial& left, const Partial& right);

/// Merges the partials of consecutive aligned blocks of one power-of-two size, in order, along the fixed tree:
/// pairwise, level by level, an odd last partial rising alone (its missing sibling is empty).
Partial merge_blocks(std::vector<Partial> blocks);

/// Bytes that `partial_from_bytes` turns back into an equal partial (same build, any machine).
std::string partial_to_bytes(const Partial& partial);
Partial partial_from_bytes(const std::string& bytes);

}  // namespace computedebt::engine
