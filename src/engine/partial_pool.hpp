#pragma once
/// \file
/// Spare partials of a run, reused: each leaf fills a partial that a merge has emptied, rather than allocating its
/// statistics (the loss histogram's 10,002 bins, hundreds of waterfall histograms) afresh.

#include <computedebt/engine/partial.hpp>

#include <mutex>
#include <utility>
#include <vector>

namespace computedebt::engine::detail {

/// A run's spare partials, shared by its threads. `take` allocates only when no partial is spare, so a run holds
/// no more partials than it ever had in use at once.
class PartialPool {
 public:
  PartialPool(const calibration::Plan& plan, OptionalStatistics optional) : plan_(plan), optional_(optional) {}

  /// An empty partial shaped for the run, equal to `Partial::empty`'s.
  Partial take() {
    {
      const std::scoped_lock lock(mutex_);
      if (!spare_.empty()) {
        Partial partial = std::move(spare_.back());
        spare_.pop_back();
        return partial;
      }
    }
    return Partial::empty(plan_, optional_);
  }

  /// Takes back a partial of the run that is no longer needed (merged into another), emptied for a later `take`.
  void give(Partial partial) {
    clear(partial);  // Outside the lock: it writes every bin of the loss histogram.
    const std::scoped_lock lock(mutex_);
    spare_.push_back(std::move(partial));
  }

 private:
  const calibration::Plan& plan_;
  OptionalStatistics optional_;
  std::mutex mutex_;
  std::vector<Partial> spare_;
};

}  // namespace computedebt::engine::detail
