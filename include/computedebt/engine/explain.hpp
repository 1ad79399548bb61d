#pragma once
/// \file
/// One path replayed alone from its counter, date by date: what defaulted when, the GPU market, the collateral's
/// cash by source, what each step of the priority of payments paid, and the accounts, DSCR, LTV and covenants
/// (docs/methodology.md section 7.6).

#include <computedebt/calibration/plan.hpp>
#include <computedebt/engine/simulation_config.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace computedebt::engine {

/// A counterparty that defaulted on the path, and when.
struct TracedDefault {
  std::string counterparty;
  int month = 0;  ///< Grid month of the default.
  std::string date;
};

/// What one step of the priority of payments took from the cash on hand on one date.
struct TracedStep {
  std::string date;
  std::string step;  ///< The step's kind and what it pays, e.g. `interest: Senior A`.
  bool after_enforcement = false;
  double amount = 0.0;  ///< Negative when the step released cash (a reserve above its target).
};

/// One path's waterfall, per payment date (dates `1..M`).
struct TracedWaterfall {
  std::vector<std::string> payment_dates;
  /// The collateral's cash over each period, by source.
  std::vector<double> revenue, recoveries, costs, sales;
  std::vector<double> energy;      ///< Per date: the power in `costs`, the PPAs' settlement included.
  std::vector<double> generation;  ///< Per date: what generation behind the meter changed in it; empty without any.
  std::vector<TracedStep> steps;
  std::vector<std::string> tranches, accounts, covenants;
  std::vector<std::vector<double>> interest, principal, balance;  ///< Per tranche, per date; balance after it.
  std::vector<std::vector<double>> coupon;                        ///< Per tranche, per date: the period's coupon.
  std::vector<std::string> hedges;
  std::vector<std::vector<double>> hedge_payment;    ///< Per hedge, per date: the payment due to the SPV.
  std::vector<double> hedge_close_out;               ///< Per hedge: its value to the SPV when ended early, else 0.
  std::vector<std::string> hedge_ended;              ///< Per hedge: the date it ended early; empty if it did not.
  std::vector<bool> hedge_counterparty_default;      ///< Per hedge: whether its counterparty's default ended it.
  std::vector<std::vector<double>> account_balance;  ///< Per account, per date.
  std::vector<std::vector<bool>> breached;           ///< Per covenant, per date: tested and breached.
  std::vector<double> dscr, ltv;                     ///< Per date, NaN once an event of default has occurred.
  /// With a borrowing base, per date: its headroom at the test before any prepayment (NaN when not tested), and
  /// the mandatory prepayment.
  std::vector<double> borrowing_base_headroom, mandatory_prepayment;
  std::vector<std::vector<double>> drawn;  ///< With delayed draws: per tranche, per date, the amount drawn.
  std::vector<double> draw_proceeds;       ///< With delayed draws: per date, dated draws paid to the equity.
  std::vector<std::string> deliveries;     ///< With deliveries: each one's cohort.
  std::vector<bool> delivery_cancelled;    ///< Per delivery: cancelled on the path.
  std::vector<int> delivery_delay;         ///< Per delivery: months late on the path.
  std::vector<double> distributions, cures_paid_in;
  std::string event_of_default;  ///< Its date; empty if none.
  double equity_irr = 0.0, money_multiple = 0.0, collateral_value = 0.0;
};

/// One path replayed alone. Its values are bit for bit those of the same path in a full run with the same seed
/// and variance reduction.
struct PathTrace {
  std::string deal;
  std::uint32_t seed = 0;
  std::uint64_t path = 0;
  double weight = 1.0;
  double portfolio_loss = 0.0;
  std::vector<TracedDefault> defaults;
  std::vector<std::string> tranches;
  std::vector<double> tranche_loss;  ///< As in the results: a fraction of the tranche (waterfall: discounted).
  std::vector<std::string> gpu_types;
  std::vector<std::string> gpu_dates;               ///< The payment dates, or the horizon for loss tranches.
  std::vector<std::vector<double>> gpu_multiplier;  ///< Per GPU type, per date.
  /// Waterfall deals with a power market, PPAs or sites: per market (the hub, then each site with its own), its
  /// name and its price per MWh in each payment date's month.
  std::vector<std::string> power_markets;
  std::vector<std::vector<double>> power_price;
  std::vector<double> gas_price;            ///< With a gas market and a plant: per date, per MMBtu.
  std::vector<double> capacity_multiplier;  ///< With a capacity market: per date, `C(t_k)`.
  std::optional<TracedWaterfall> waterfall;
};

/// Replays path `path` of a run of `config` (its seed, path count and variance reduction) on `plan`. The path
/// count matters only for quasi-random factors (their leaves); the path must be below it.
PathTrace explain_path(const calibration::Plan& plan, const SimulationConfig& config, std::uint64_t path);

/// The document of `computedebt explain --json`.
nlohmann::ordered_json to_json(const PathTrace& trace);

}  // namespace computedebt::engine
