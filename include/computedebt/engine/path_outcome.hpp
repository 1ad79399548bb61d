#pragma once
/// \file
/// What one path produced, as the run's statistics read it: its losses, its tranches' flows and balances, its
/// events and its covenant states.

#include <computedebt/waterfall/cash_waterfall.hpp>

#include <cstdint>
#include <span>

namespace computedebt::engine {

/// The waterfall part of a path's outcome: the date-by-date record, and the per-path values read off it.
struct WaterfallOutcome {
  /// Flows, balances, equity, DSCR and LTV, covenant breaches and cures, and account balances per date.
  const waterfall::WaterfallPath* path = nullptr;
  std::span<const double> wal_numerator;    ///< Per tranche: `sum_m tau_m P_m`.
  std::span<const double> principal_total;  ///< Per tranche: `sum_m P_m`.
  std::span<const double> received_value;   ///< Per tranche: received flows discounted at the promised spread.
  std::span<const double> coupon_accrued;   ///< Per tranche: `sum_m B_{m-1} c_m alpha_m`, step-ups excluded.
  std::span<const double> balance_years;    ///< Per tranche: `sum_m B_{m-1} alpha_m`.
  /// Per tranche and date, the promised flows at the path's coupons; empty unless coupons differ by path.
  std::span<const double> promised;
  std::span<const std::uint32_t> first_date;  ///< Per event (each covenant's breach, then the event of default):
                                              ///< the first date it occurred, 0 if it did not.
  double irr = 0.0;                           ///< Equity IRR, cures netted from the distributions of their date.
  double money_multiple = 0.0;                ///< Distributions over the equity investment plus the cures paid in.
  double injected = 0.0;                      ///< Equity cures paid in, undiscounted.
};

/// One path's outcome. Spans point into the runner's workspace and live until its next path.
struct PathOutcome {
  double weight = 1.0;  ///< The likelihood-ratio weight; 1 without importance sampling.
  double portfolio_loss = 0.0;
  std::uint32_t defaults = 0;  ///< Counterparties defaulting by the horizon.
  /// With risk contributions: the counterparties that defaulted, and each one's part of `portfolio_loss`.
  std::span<const std::uint32_t> loss_names;
  std::span<const double> name_loss;
  /// Per tranche: its loss as a fraction of its size (a waterfall tranche's discounted at its coupons on the path).
  std::span<const double> tranche_loss;
  std::span<const std::uint8_t> tranche_hit;    ///< Per tranche: whether it lost anything.
  const WaterfallOutcome* waterfall = nullptr;  ///< Waterfall deals only.
};

}  // namespace computedebt::engine
