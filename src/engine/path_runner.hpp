#pragma once
/// \file
/// One thread's workspace: runs one path at a time through every stage, reads its outcome and adds it to the
/// leaf's statistics.

#include "statistics_collector.hpp"

#include <computedebt/cashflow/collateral_cash.hpp>
#include <computedebt/engine/path_outcome.hpp>
#include <computedebt/engine/simulation_config.hpp>
#include <computedebt/pricing/equity_irr.hpp>
#include <computedebt/pricing/results.hpp>
#include <computedebt/scenario/capacity_market_sampler.hpp>
#include <computedebt/scenario/credit_sampler.hpp>
#include <computedebt/scenario/delivery_delay_sampler.hpp>
#include <computedebt/scenario/gpu_market_sampler.hpp>
#include <computedebt/scenario/power_sampler.hpp>
#include <computedebt/scenario/rate_sampler.hpp>
#include <computedebt/waterfall/cash_waterfall.hpp>

#include <cstdint>
#include <vector>

namespace computedebt::engine::detail {

/// Runs paths into partials; allocated once per thread, allocation-free per path.
///
/// Means take one value per independent group of paths (a path, an antithetic pair, or a quasi-random leaf);
/// distributions take every path.
class PathRunner {
 public:
  PathRunner(const calibration::Plan& plan, const SimulationConfig& config);

  /// Runs path `path`, adds it to the leaf's statistics, and stores its values in `store` when asked to keep them.
  void run(std::uint32_t seed, std::uint64_t path, pricing::PathValues* store) noexcept;

  /// Ends a leaf: moves its statistics into `partial`, an empty one.
  void end_leaf(Partial& partial) { collector_.end_leaf(partial); }

  /// Runs path `path` alone, without adding it to any statistic, recording its waterfall in `trace`: the same
  /// outcome as in a full run, from the path's counter.
  const PathOutcome& replay(std::uint32_t seed, std::uint64_t path, waterfall::WaterfallTrace* trace);
  /// The last path's default month of every name (`K + 1` for survivors) and GPU multipliers, `type x (K + 1)`.
  std::span<const int> default_months() const noexcept { return default_month_; }
  std::span<const double> multipliers() const noexcept { return multipliers_; }
  /// The last path's independent factor normals `xi`, shift included.
  std::span<const double> normals() const noexcept { return credit_.normals(); }
  /// The last path's power and gas prices (waterfall deals).
  const scenario::PowerSampler& power() const noexcept { return power_; }
  /// The last path's capacity market multipliers `C(t_k)` (waterfall deals with facilities).
  std::span<const double> capacity_multipliers() const noexcept { return capacity_.multipliers(); }

 private:
  /// Samples path `path` and runs its waterfall; GPU paths are drawn when the waterfall needs them or `gpu`.
  const PathOutcome& simulate_path(std::uint32_t seed, std::uint64_t path, bool gpu, waterfall::WaterfallTrace* trace);
  /// The outcome of the path the samplers and the waterfall have just run.
  const PathOutcome& read_outcome(const waterfall::WaterfallPath* path) noexcept;
  const WaterfallOutcome& read_waterfall(const waterfall::WaterfallPath& path) noexcept;
  void store_path(std::uint64_t path, pricing::PathValues& store) const noexcept;

  const calibration::Plan& plan_;
  scenario::CreditSampler credit_;
  scenario::GpuMarketSampler market_;
  scenario::RateSampler rates_;
  scenario::DeliveryDelaySampler delays_;
  scenario::PowerSampler power_;
  scenario::CapacityMarketSampler capacity_;
  cashflow::CollateralCash collateral_;
  waterfall::CashWaterfall waterfall_;
  StatisticsCollector collector_;
  bool antithetic_, quasi_random_;
  std::vector<int> default_month_;
  std::vector<double> multipliers_;

  PathOutcome outcome_;
  WaterfallOutcome waterfall_outcome_;
  // The outcome's per-tranche and per-event values.
  std::vector<double> tranche_loss_, wal_numerator_, principal_total_, received_value_;
  std::vector<std::uint8_t> tranche_hit_;
  std::vector<std::uint32_t> first_date_;
  std::vector<double> name_loss_;  ///< Per defaulted counterparty, with contributions.

  /// The path's coupons and the discount factors at them, per tranche and date, when an index is stochastic.
  std::vector<double> coupons_, coupon_discount_;
  std::vector<std::uint8_t> margin_grid_of_;            ///< Per tranche: whether a margin grid sets its coupons.
  std::vector<double> coupon_accrued_, balance_years_;  ///< Per tranche, for the expected coupon.
  std::vector<double> promised_;           ///< Per tranche and date, the promised flows at the path's coupons.
  std::vector<double> promised_discount_;  ///< `P(t0, t_m) exp(-s_P tau_m)` per tranche and date.
  std::vector<double> distributions_;      ///< Equity distributions of the path net of cures, dates 1..M.
  pricing::IrrSolver irr_;
};

}  // namespace computedebt::engine::detail
