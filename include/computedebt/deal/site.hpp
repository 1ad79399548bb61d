#pragma once
/// \file
/// A site of the SPV: where its facilities and GPUs draw power, and the generation it may have behind the meter
/// (docs/methodology.md section 4.12).

#include <optional>
#include <string>

namespace computedebt::deal {

/// When behind-the-meter generation runs.
enum class Dispatch {
  economic,  ///< Only when its cost per MWh is below the site's grid price.
  must_run,  ///< Always, up to the site's load: an island, or a plant run for its own reasons.
};

/// Gas-fired generation on the SPV's side of the meter: it supplies the site's load up to its available output, at
/// `heat_rate x gas price + variable O&M` per MWh, and the grid supplies the rest.
struct BehindTheMeter {
  double megawatts = 0.0;                ///< Net output at full load (> 0).
  double heat_rate_mmbtu_per_mwh = 0.0;  ///< Gas burnt per MWh generated, in (0, 30].
  double variable_om_per_mwh = 0.0;      ///< Operating and maintenance cost per MWh generated (>= 0).
  double availability = 0.95;            ///< Share of the hours it can run, in (0, 1].
  Dispatch dispatch = Dispatch::economic;

  bool operator==(const BehindTheMeter&) const = default;
};

/// A site: its own power price when the assumptions give it one (`site_power_markets`), and its generation.
struct Site {
  std::string id;  ///< Unique among the sites; facilities, GPU types and PPAs name it.
  std::optional<BehindTheMeter> behind_the_meter;

  bool operator==(const Site&) const = default;
};

}  // namespace computedebt::deal
