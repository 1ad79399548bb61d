#pragma once
/// \file
/// The deliveries' delays on one path (docs/methodology.md section 5.8).

#include <computedebt/calibration/plan.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace computedebt::scenario {

/// Draws each delivery's delay from `calibration::DeliveryDelayPlan`. Random numbers: stream `delivery_delay` at
/// output `d` for delivery `d`.
class DeliveryDelaySampler {
 public:
  /// `antithetic`: odd paths reuse the previous path's draws, reflected (`path_draws`).
  explicit DeliveryDelaySampler(const calibration::Plan& plan, bool antithetic = false);

  /// Samples the path; nothing without delivery delays.
  void sample(std::uint32_t seed, std::uint64_t path) noexcept;

  /// The last path's outcome per delivery, an index into the delay plan; empty without delivery delays.
  std::span<const std::uint32_t> outcomes() const noexcept { return outcomes_; }

 private:
  const calibration::Plan& plan_;
  bool antithetic_;
  std::vector<std::uint32_t> outcomes_;
};

}  // namespace computedebt::scenario
