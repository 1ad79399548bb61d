#pragma once
/// \file
/// Operating assumptions of the SPV; every field has the deal format's default.

namespace computedebt::assumptions {

/// Re-leasing freed GPUs on the spot market.
struct ReLease {
  bool enabled = true;
  int lag_months = 3;              ///< Idle months after a default.
  double utilisation = 0.7;        ///< Share of hours rented, in [0, 1].
  double discount_to_index = 0.1;  ///< Discount to the rent index, in [0, 1].

  bool operator==(const ReLease&) const = default;
};

/// Selling GPUs after an event of default or at the final maturity.
struct Liquidation {
  double haircut = 0.25;  ///< Share of market value lost in a sale, in [0, 1].
  int lag_months = 3;

  bool operator==(const Liquidation&) const = default;
};

/// Power, opex, recovery timing, re-leasing and liquidation.
struct Operations {
  double power_price_per_mwh = 70.0;
  double pue = 1.3;  ///< Power usage effectiveness, >= 1.
  double fixed_opex_per_gpu_month = 0.0;
  int recovery_lag_months = 12;
  ReLease re_lease;
  Liquidation liquidation;

  bool operator==(const Operations&) const = default;
};

}  // namespace computedebt::assumptions
