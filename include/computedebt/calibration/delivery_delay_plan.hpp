#pragma once
/// \file
/// The deliveries' random delays on the payment grid (docs/methodology.md section 5.8): per delivery, its possible
/// delays, each with the cumulative probability a path's uniform is compared against and what the delay makes of
/// the delivery.

#include <computedebt/assumptions/delivery_delay.hpp>
#include <computedebt/deal/deal.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace computedebt::calibration {

struct Plan;
struct WaterfallPlan;

/// Delivery `d`'s outcomes are `start[d] .. start[d + 1]`, in increasing delay.
struct DeliveryDelayPlan {
  std::vector<std::uint32_t> start;    ///< Deliveries + 1.
  std::vector<double> cumulative;      ///< `P(delay <= months[i])`; a delivery's last is 1.
  std::vector<int> months;             ///< The delay in months.
  std::vector<int> month;              ///< The funding month with the delay.
  std::vector<std::size_t> date;       ///< The funding date with the delay; the deal's last date or later: never.
  std::vector<double> value;           ///< The delivery's market value on that date, multiplier 1.
  std::vector<std::uint8_t> drawable;  ///< Whether the draw that funds it may still do so on that date.

  /// The outcome of delivery `d` for a path's uniform `u` in (0, 1): the first whose cumulative probability
  /// exceeds `u`.
  std::uint32_t outcome(std::size_t d, double u) const noexcept {
    std::uint32_t i = start[d];
    while (i + 1 < start[d + 1] && u >= cumulative[i]) ++i;
    return i;
  }
};

/// Plans `delay` for the deliveries of `waterfall`, whose draws are planned; `plan` holds the grid and the GPU
/// market.
DeliveryDelayPlan plan_delivery_delay(const deal::Deal& deal, const assumptions::DeliveryDelay& delay,
                                      const WaterfallPlan& waterfall, const Plan& plan);

}  // namespace computedebt::calibration
