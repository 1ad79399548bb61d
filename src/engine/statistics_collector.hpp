#pragma once
/// \file
/// One thread's statistics of the leaf it is running: adds each path's outcome, closes independent groups, and
/// hands the leaf over to a partial.

#include <computedebt/engine/partial.hpp>
#include <computedebt/engine/path_outcome.hpp>
#include <computedebt/engine/simulation_config.hpp>

namespace computedebt::engine::detail {

/// Adds path outcomes into the collecting form of the statistics; allocated once per thread, allocation-free
/// per path.
class StatisticsCollector {
 public:
  StatisticsCollector(const calibration::Plan& plan, const SimulationConfig& config);

  /// Adds one path to every statistic and to the open group.
  void add(const PathOutcome& outcome) noexcept;

  /// Ends the open group of paths: its averages enter the means (docs/methodology.md section 7.4).
  void end_group() noexcept;

  /// Ends the leaf: closes the open group and moves the leaf's statistics into `partial`, which must be empty
  /// (`Partial::empty`, or cleared): the collector goes on with its buffers.
  void end_leaf(Partial& partial);

 private:
  void add_waterfall(const WaterfallOutcome& outcome, double weight) noexcept;
  void add_contributions(const PathOutcome& outcome) noexcept;
  void add_controls(const PathOutcome& outcome) noexcept;

  const calibration::Plan& plan_;
  const calibration::WaterfallPlan& waterfall_;
  std::optional<LossTail> tail_;  ///< Set when contributions are collected.
  BasicStatistics<Collecting> statistics_;
  std::size_t group_size_ = 0;
  double total_notional_ = 0.0;      ///< The scale of trap balances.
  std::vector<double> sector_loss_;  ///< Per sector, the path's loss, for contributions.
};

}  // namespace computedebt::engine::detail
