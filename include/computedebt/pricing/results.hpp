#pragma once
/// \file
/// What a run reports (docs/methodology.md section 6), and its JSON document (docs/deal_format.md section 10).

#include <computedebt/core/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace computedebt::pricing {

/// How control variates changed a tranche's expected loss (docs/methodology.md section 7.7).
struct ControlledLoss {
  double uncontrolled = 0.0, uncontrolled_stderr = 0.0;  ///< The plain Monte Carlo estimate of the same paths.
  double variance_reduction = 1.0;                       ///< Plain variance over the controlled one, same paths.
  std::vector<std::string> controls;                     ///< Those used: "portfolio_loss" and other tranches' names.
};

/// One tranche's statistics. Losses are fractions of the tranche's size; a waterfall tranche's are discounted
/// at its own coupon (docs/methodology.md section 6.1).
struct TrancheResult {
  std::string name;
  double attachment = 0.0, detachment = 0.0;  ///< Loss tranches only.
  double expected_loss = 0.0;
  double expected_loss_stderr = 0.0;
  double default_probability = 0.0;  ///< Loss tranches: `P(L > A)`; waterfall: more than 0.01 left unpaid.
  double default_probability_stderr = 0.0;
  double loss_given_default = 0.0;  ///< `EL / PD`; 0 when PD is 0.
  double loss_given_default_stderr = 0.0;
  // Waterfall tranches only.
  double notional = 0.0;
  double coupon = 0.0;  ///< The first period's coupon: fixed, or a floating tranche's current coupon.
  /// The coupon the tranche's balance bore on average: `E[sum B_{m-1} c_m alpha_m] / E[sum B_{m-1} alpha_m]`.
  double expected_coupon = 0.0;
  double expected_coupon_stderr = 0.0;
  double wal_years = 0.0;  ///< WAL of the mean principal flows.
  double wal_years_stderr = 0.0;
  double fair_spread_bp = 0.0;  ///< `s_P - s_E` over the deal's discount curve, in basis points.
  double fair_spread_bp_stderr = 0.0;
  std::string implied_rating;              ///< Moody's, from the idealised expected loss at the WAL.
  std::vector<double> expected_principal;  ///< Mean principal paid per payment date.
  std::vector<double> expected_interest;   ///< Mean interest paid per payment date.
  /// Delayed-draw tranches (docs/methodology.md section 5.8): the commitment, the mean amount drawn, the probability
  /// that a draw is refused and the mean commitment fees, with their standard errors, and the mean draw per date.
  struct DelayedDraw {
    double commitment = 0.0;
    double expected_drawn = 0.0, expected_drawn_stderr = 0.0;
    double refusal_probability = 0.0, refusal_probability_stderr = 0.0;
    double expected_commitment_fees = 0.0, expected_commitment_fees_stderr = 0.0;
    std::vector<double> expected_draws;
  };
  std::optional<DelayedDraw> delayed_draw;
  /// With control variates: `expected_loss` and the LGD are the controlled estimates, and this says from what.
  std::optional<ControlledLoss> control_variate;
};

/// The equity's returns over paths.
struct EquityResult {
  double investment = 0.0;
  double irr_mean = 0.0, irr_mean_stderr = 0.0;
  double irr_p05 = 0.0, irr_p25 = 0.0, irr_p50 = 0.0, irr_p75 = 0.0, irr_p95 = 0.0;
  double probability_negative_irr = 0.0, probability_negative_irr_stderr = 0.0;
  double money_multiple = 0.0, money_multiple_stderr = 0.0;  ///< Mean of `sum D_m / (investment + cures)`.
  double expected_cures_paid_in = 0.0, expected_cures_paid_in_stderr = 0.0;  ///< Equity cures, undiscounted.
  std::vector<double> expected_distributions;                                ///< Mean distribution per payment date.
};

/// How likely an event is on some payment date, and when it first happens.
struct EventResult {
  std::string name;
  double probability = 0.0, probability_stderr = 0.0;
  std::vector<double> first_date_probability;  ///< Per payment date: the probability it first happens then.
};

/// A covenant's breaches over paths.
struct CovenantResult {
  EventResult breach;               ///< Tested and breached, before any cure, and the first date it happens.
  std::string metric, consequence;  ///< As the deal file names them.
  double expected_months_in_breach = 0.0, expected_months_in_breach_stderr = 0.0;  ///< Breached, not cured.
  double expected_cures_used = 0.0, expected_cures_used_stderr = 0.0;
};

/// An account's balance after each payment date: its mean and, for a trap account, its quantiles by date and level.
struct AccountResult {
  std::string name, type;                        ///< `type`: "reserve" or "trap".
  std::vector<double> expected_balance{};        ///< Per payment date.
  std::vector<std::vector<double>> fan_chart{};  ///< Trap accounts: per payment date, per level of `FanCharts::levels`.
};

/// An interest-rate hedge over paths (docs/methodology.md section 5.6); amounts are to the SPV, negative when it pays.
struct HedgeResult {
  std::string name, type;                                                  ///< `type`: "swap" or "cap".
  double expected_net_payments = 0.0, expected_net_payments_stderr = 0.0;  ///< Periodic payments, undiscounted.
  std::vector<double> expected_payments{};  ///< Per payment date, the mean periodic payment due.
  double counterparty_default_probability = 0.0, counterparty_default_probability_stderr = 0.0;
  double event_of_default_termination_probability = 0.0, event_of_default_termination_probability_stderr = 0.0;
  double expected_close_out = 0.0, expected_close_out_stderr = 0.0;  ///< Value at an early termination, else 0.
};

/// DSCR and LTV quantiles by payment date, over the paths with no event of default by then.
struct FanCharts {
  std::vector<double> levels{0.05, 0.25, 0.5, 0.75, 0.95};
  std::vector<std::vector<double>> dscr, ltv;  ///< Per payment date, per level.
  /// The borrowing base less the facility's balance at each test (every payment date but the last), before any
  /// prepayment; empty without a borrowing base.
  std::vector<std::vector<double>> borrowing_base_headroom;
  /// Each payment date's period power cost, PPAs included; empty without a power market, PPAs or sites.
  std::vector<std::vector<double>> power_cost;
};

/// The SPV's operating costs over the deal, undiscounted (docs/methodology.md section 4.9): power (the contracts'
/// and the spot GPUs', net of the PPAs' settlement) and the rest (fixed opex), and power's expected share of a path's
/// costs.
struct OperatingCosts {
  double energy = 0.0, energy_stderr = 0.0;
  double other = 0.0, other_stderr = 0.0;
  double energy_share = 0.0, energy_share_stderr = 0.0;
  /// What generation behind the meter changed in `energy` (negative: it saved; docs/methodology.md section 4.12).
  struct Generation {
    double mean = 0.0, standard_error = 0.0;
  };
  std::optional<Generation> generation;  ///< Only for a deal with generation.
};

/// A borrowing base at `t0` and over paths (docs/methodology.md section 5.7); amounts in the deal's currency.
struct BorrowingBaseResult {
  std::vector<std::string> tranches;  ///< The facility's tranches, whose balances it limits.
  // At t0: the eligible collateral by class after the concentration limits, what they exclude, the base and the
  // facility's balance.
  double investment_grade = 0.0, sub_investment_grade = 0.0, guaranteed = 0.0, gpu = 0.0, excluded = 0.0;
  double facilities = 0.0;  ///< The facilities' market value at `t0`.
  double initial_borrowing_base = 0.0, initial_balance = 0.0;
  EventResult deficiency;  ///< A deficiency at a test, before the prepayment, and the first date it happens.
  /// Months deficient after the prepayments: in the cure period.
  double expected_months_deficient = 0.0, expected_months_deficient_stderr = 0.0;
  double event_of_default_probability = 0.0, event_of_default_probability_stderr = 0.0;  ///< An uncured deficiency.
  double expected_prepayments = 0.0, expected_prepayments_stderr = 0.0;  ///< Mandatory prepayments, undiscounted.
  std::vector<double> expected_prepayment;                               ///< Per payment date.
};

/// What a cash-flow waterfall run reports besides its tranches.
struct WaterfallResult {
  std::vector<std::string> payment_dates;  ///< `YYYY-MM-DD`, dates 1..M.
  std::vector<double> payment_times;       ///< Years from `t0`.
  EquityResult equity;
  std::vector<EventResult> triggers;  ///< Every covenant's breaches, the trigger shorthands first.
  std::vector<CovenantResult> covenants;
  std::vector<AccountResult> accounts;
  std::vector<HedgeResult> hedges;
  std::optional<BorrowingBaseResult> borrowing_base;
  /// Per delivery (a fleet cohort acquired after `t0`): its name, planned funding date, the probability that it is
  /// cancelled (a refused draw under `cancel_delivery`, an event of default before it, or a delay past the deal),
  /// and its expected delay in months and probability of being late (0 without delivery delays).
  struct Delivery {
    std::string cohort, funding_date;
    double cancel_probability = 0.0, cancel_probability_stderr = 0.0;
    double expected_delay_months = 0.0, expected_delay_months_stderr = 0.0;
    double late_probability = 0.0, late_probability_stderr = 0.0;
  };
  std::vector<Delivery> deliveries;
  OperatingCosts operating_costs;
  EventResult events_of_default;
  FanCharts fan_charts;
  double collateral_value_at_maturity = 0.0, collateral_value_at_maturity_stderr = 0.0;
};

/// The portfolio loss distribution and defaults.
struct PortfolioResult {
  double expected_loss = 0.0;
  double expected_loss_stderr = 0.0;
  double loss_var_99 = 0.0, loss_es_99 = 0.0;
  double loss_var_999 = 0.0, loss_es_999 = 0.0;
  double expected_defaults = 0.0;
  double expected_defaults_stderr = 0.0;
  std::vector<double> default_count_distribution;  ///< Probability of exactly `n` counterparty defaults.
};

/// Per-path values, kept on request, as flat arrays indexed by path.
struct PathValues {
  std::vector<double> portfolio_loss;
  std::vector<std::uint32_t> default_count;
  std::vector<double> tranche_loss;    ///< `paths x tranches`, row-major by path.
  std::vector<double> weight;          ///< Each path's likelihood ratio; empty without importance sampling.
  std::vector<int> gpu_months;         ///< The months of `gpu_multiplier`.
  std::vector<double> gpu_multiplier;  ///< `paths x GPU types x gpu_months`, row-major by path.
  // Waterfall deals only.
  std::vector<double> equity_irr;               ///< Per path.
  std::vector<double> money_multiple;           ///< Per path.
  std::vector<std::uint32_t> event_of_default;  ///< Per path: the payment date of the event, 0 if none.
  std::vector<double> collateral_value;         ///< Per path: fleet market value at `t_K`.
  /// With `keep_flows`: `paths x tranches x dates` (dates 1..M), row-major by path.
  std::vector<double> interest, principal, balance;
};

/// A holder's share of one tranche's expected loss.
struct TrancheContribution {
  std::string tranche;
  double expected_loss = 0.0, expected_loss_stderr = 0.0;
};

/// A counterparty's or sector's part of the portfolio's risk, by Euler allocation at `contribution_level`
/// (docs/methodology.md section 6.7): its expected loss, its loss on the paths at the VaR and its share of the
/// expected shortfall, as fractions of the total exposure, and its share of each tranche's expected loss.
struct Contribution {
  std::string id;
  double expected_loss = 0.0, expected_loss_stderr = 0.0;
  double var_99 = 0.0, var_99_stderr = 0.0;
  double es_99 = 0.0, es_99_stderr = 0.0;
  std::vector<TrancheContribution> tranches;
};

/// The risk contributions of a run. Each list adds up to its totals, to rounding.
struct Contributions {
  double level = 0.99;
  /// The sums over counterparties: the portfolio's expected loss; the mean loss of the paths in the VaR's bin
  /// (the VaR within the bin width, 1e-4); and the expected shortfall with that mean in place of the VaR.
  double expected_loss = 0.0, var = 0.0, es = 0.0;
  std::vector<Contribution> counterparties, sectors;
  /// Each tranche's expected loss on paths without credit loss: the GPU market's part.
  std::vector<TrancheContribution> gpu_market;
};

/// How the semi-analytic engine integrated (docs/methodology.md section 6.6).
struct SemiAnalyticRun {
  double tolerance = 0.0;        ///< Requested bound on the quadrature's error estimate.
  double achieved_error = 0.0;   ///< The estimate: L1 error of the loss and default-count distributions.
  std::uint64_t nodes = 0;       ///< Conditional distributions computed.
  double loss_unit = 0.0;        ///< Lattice step, a fraction of the pool exposure.
  double bucketing_error = 0.0;  ///< Bound on `|lattice loss - L|` on every scenario, a fraction.
};

/// The exact means a control-variate run used (docs/methodology.md section 7.7).
struct ControlVariates {
  double portfolio_loss_mean = 0.0;        ///< `E[L]`, a fraction of the total exposure.
  std::vector<double> tranche_loss_means;  ///< Loss tranches, when exact; else empty.
  double achieved_error = 0.0;             ///< Bound on the quadrature's error in the means.
};

/// How a run's importance-sampling shift was chosen, and what it gained (docs/methodology.md section 7.4).
struct ImportanceSampling {
  std::string method = "given";   ///< "given" (by hand), "glasserman-li" or "cross-entropy".
  std::string target;             ///< The tranche an automatic shift aims at; empty for a given shift.
  std::uint64_t pilot_paths = 0;  ///< Cross-entropy: the pilot's paths, with their own seed, never reused.
  /// Per tranche: the plain Monte Carlo variance of its EL at the run's path count, estimated from the same
  /// weighted paths, over the variance of the run's estimate (its squared standard error). NaN where the tranche
  /// never lost.
  std::vector<double> variance_reduction;
};

/// The results of a run.
struct Results {
  std::string deal;
  std::uint64_t paths = 0;
  std::uint32_t seed = 0;
  unsigned threads = 0;
  double elapsed_seconds = 0.0;
  std::vector<double> importance_shift;  ///< The factor shift used, empty without importance sampling.
  bool antithetic = false;               ///< Whether antithetic pairs were used.
  bool quasi_random = false;             ///< Whether the factors were randomised quasi-random.
  /// `(sum w)^2 / sum w^2` over the paths' likelihood-ratio weights `w`: the paths' count without importance
  /// sampling, far below it when the weights have collapsed (docs/methodology.md section 7.4).
  double effective_sample_size = 0.0;
  double mean_weight = 1.0, mean_weight_stderr = 0.0;  ///< Mean weight over paths (should be 1), its error.
  /// Estimates that are not to be trusted: collapsed weights (path `importance_shift`), fewer than two
  /// independent groups (path `paths`). The CLI and Python add them to the document's `warnings`.
  std::vector<Problem> warnings;
  PortfolioResult portfolio;
  std::vector<TrancheResult> tranches;
  std::optional<WaterfallResult> waterfall;  ///< Waterfall deals only.
  std::optional<PathValues> path_values;
  std::optional<Contributions> contributions;       ///< When asked for (`SimulationConfig::contributions`).
  std::optional<SemiAnalyticRun> semi_analytic;     ///< Semi-analytic runs only: no paths, NaN standard errors.
  std::optional<ControlVariates> control_variates;  ///< When asked for (`SimulationConfig::control_variates`).
  /// How the importance-sampling shift was chosen and what it gained; runs with importance sampling only.
  std::optional<ImportanceSampling> importance_sampling;
};

/// The results document of `computedebt price --json`.
nlohmann::ordered_json to_json(const Results& results);

}  // namespace computedebt::pricing
