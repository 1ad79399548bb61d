#pragma once
/// \file
/// One thread's workspace: runs one path at a time through every stage and adds it to a partial.

#include <computedebt/cashflow/collateral_cash.hpp>
#include <computedebt/engine/partial.hpp>
#include <computedebt/engine/simulation_config.hpp>
#include <computedebt/pricing/equity_irr.hpp>
#include <computedebt/pricing/results.hpp>
#include <computedebt/scenario/credit_sampler.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>
#include <computedebt/waterfall/cash_waterfall.hpp>

#include <cstdint>
#include <vector>

namespace computedebt::engine::detail {

/// Runs paths into partials; allocated once per thread, allocation-free per path.
///
/// Means take one value per independent group of paths (a path, an antithetic pair, or a quasi-random leaf),
/// so each value is summed over its group first; distributions take every path.
class PathRunner {
 public:
  PathRunner(const calibration::Plan& plan, const SimulationConfig& config);

  /// Adds path `path` to `partial`, and its values to `store` when asked to keep them.
  void run(std::uint32_t seed, std::uint64_t path, Partial& partial, pricing::PathValues* store) noexcept;

  /// Ends a leaf: adds the open group and the buffered distributions to `partial`.
  void finish_leaf(Partial& partial);

 private:
  void record_waterfall(const waterfall::WaterfallPath& outcome, double weight, std::uint64_t path, Partial& partial,
                        pricing::PathValues* store) noexcept;
  void flush_group(Partial& partial) noexcept;

  const calibration::Plan& plan_;
  scenario::CreditSampler credit_;
  scenario::GpuMarketSampler market_;
  cashflow::CollateralCash collateral_;
  waterfall::CashWaterfall waterfall_;
  bool antithetic_, quasi_random_;
  std::vector<int> default_month_;
  std::vector<double> multipliers_;
  std::size_t tranches_ = 0;
  const std::vector<deal::LossTranche>* loss_tranches_ = nullptr;

  /// The grouped values: weighted values of this path, and their sums over the open group. Layout: portfolio
  /// loss, defaults, then per tranche (loss, lost anything), then for a waterfall per tranche (WAL numerator,
  /// WAL denominator, received value), IRR, money multiple, negative IRR, each event, collateral value, then
  /// per covenant the months in breach, per covenant the cures used, and the cures paid in.
  std::vector<double> group_sum_;
  std::size_t group_size_ = 0;
  double group_weight_ = 0.0;  ///< The open group's sum of likelihood-ratio weights.
  std::size_t waterfall_slot_ = 0, equity_slot_ = 0, covenant_slot_ = 0;
  std::size_t events_ = 0;  ///< Covenants and the event of default.
  double total_notional_ = 0.0;

  std::vector<double> promised_discount_;  ///< `P(t0, t_m) exp(-s_P tau_m)` per tranche and date.
  std::vector<double> distributions_;      ///< Equity distributions of the path, dates 1..M.
  pricing::IrrSolver irr_;
  stats::HistogramBuffer irr_buffer_;
  std::vector<stats::HistogramBuffer> dscr_buffers_, ltv_buffers_;
  std::vector<stats::HistogramBuffer> trap_buffers_;  ///< Per trap account and date (date 0 unused).
};

}  // namespace computedebt::engine::detail
