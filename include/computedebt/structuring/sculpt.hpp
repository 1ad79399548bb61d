#pragma once
/// \file
/// Sculpting a tranche to a target DSCR on the base case (docs/methodology.md section 10.5): its debt service on
/// each date is the contracted cash available for debt service over the target, less the debt service of the
/// tranches before it (the DSCR at its level); its notional is the most that debt service repays by its legal
/// maturity.

#include <computedebt/io/deal_file.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace computedebt::structuring {

/// A sculpted tranche and the base case it was sculpted on, per payment date up to its legal maturity.
struct SculptResult {
  std::string tranche;
  double target_dscr = 0.0;
  double notional = 0.0;           ///< The sculpted notional.
  double equity_investment = 0.0;  ///< The equity's, so that the capital stays the same.
  /// What bounds the notional: "maturity" (repaid exactly on its legal maturity), "interest" (on `binding_date` the
  /// target debt service only covers the interest, so the tranche is repaid earlier), "capital" (the deal's capital
  /// less the equity's least share) or "commitment" (a delayed-draw tranche's commitment less its draws).
  std::string binding;
  std::string binding_date;        ///< With "interest": the date; else empty.
  std::vector<std::string> dates;  ///< Payment dates `1..M` to the tranche's legal maturity.
  std::vector<double> income;      ///< Contracted cash available for debt service, fees deducted.
  /// The tranches before it and its own delayed draws: interest and scheduled principal, balloons aside.
  std::vector<double> senior_debt_service;
  std::vector<double> interest, principal, balance;  ///< The sculpted tranche's, at its projected coupons.
  std::vector<double> dscr;                          ///< `income / (other debt service + interest + principal)`.
  std::vector<double> schedule;  ///< Balances after each date as fractions of the notional, for `"schedule"`.
  io::DealFile deal;             ///< The deal with the tranche sculpted and the equity adjusted.
};

/// Sculpts waterfall tranche `tranche` of `file` to `target_dscr` at its level on the base case: no defaults, the
/// contracts' promised payments less their power, the fleet's fixed operating costs and the senior fees, and the
/// hedges' net payments; rates at their projections. Tranches after it do not count. A delayed-draw tranche's closing
/// notional is sculpted around its draws, which keep their own amortisation. Refuses an unknown tranche, a
/// loss-tranche deal or a target outside (0, 100] with `InputError`, and a base case that cannot service any of the
/// tranche (`notional` would be 0).
SculptResult sculpt_tranche(const io::DealFile& file, const std::string& tranche, double target_dscr);

/// The document `computedebt sculpt` prints.
nlohmann::ordered_json to_json(const SculptResult& result);

}  // namespace computedebt::structuring
