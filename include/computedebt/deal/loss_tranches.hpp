#pragma once
/// \file
/// Synthetic tranches on the portfolio loss at a horizon (docs/methodology.md section 5.1).

#include <string>
#include <vector>

namespace computedebt::deal {

/// A tranche `[attachment, detachment]` of the portfolio loss fraction.
struct LossTranche {
  std::string name;
  double attachment;  ///< In [0, 1).
  double detachment;  ///< In (attachment, 1].

  bool operator==(const LossTranche&) const = default;
};

/// The `loss_tranches` structure: tranches on the loss fraction at `horizon_years`.
struct LossTranches {
  double horizon_years;  ///< The grid date `t_{round(12 h)}` is the horizon.
  std::vector<LossTranche> tranches;

  bool operator==(const LossTranches&) const = default;
};

}  // namespace computedebt::deal
