#include <computedebt/analytic/conditional.hpp>
#include <computedebt/analytic/control_means.hpp>
#include <computedebt/analytic/factor_integral.hpp>
#include <computedebt/analytic/semi_analytic.hpp>
#include <computedebt/core/error.hpp>

#include <algorithm>
#include <numeric>

namespace computedebt::analytic {

namespace {

/// A guaranteed contract's expected loss, a fraction of the pool, given the conditional default probabilities of
/// its obligor (model group 0) and guarantor (group 1) at every month `0..K`: `scenario::resolve_contract` month by
/// month (docs/methodology.md section 2.5).
class GuaranteedLoss {
 public:
  GuaranteedLoss(const calibration::Plan& plan, std::uint32_t contract)
      : plan_(plan),
        contract_(contract),
        horizon_(static_cast<int>(plan.contracts.columns) - 1),
        prefix_(plan.contracts.columns) {}

  void operator()(std::span<const double> probabilities, std::span<double> out) {
    const auto& c = plan_.contracts;
    const std::uint32_t j = contract_;
    const double* q = probabilities.data();
    const double* g = probabilities.data() + c.columns;
    const double lost_obligor = 1.0 - plan_.credit.recovery_rates[c.counterparty[j]];
    const double lost_guarantor = 1.0 - plan_.credit.recovery_rates[c.guarantor[j]];
    // prefix_[m]: the guarantor's default in a month up to m, weighted by the contract's exposure then.
    prefix_[0] = 0.0;
    for (int m = 1; m <= horizon_; ++m) prefix_[m] = prefix_[m - 1] + (g[m] - g[m - 1]) * c.exposure_at(j, m);
    double loss = 0.0;
    for (int k = 1; k <= horizon_; ++k) {
      const double p = q[k] - q[k - 1];
      if (p <= 0.0) continue;
      const int end = std::min(c.guarantee_end_month[j], c.cap_exhausted_month(j, k));
      double given = c.exposure_at(j, k) * lost_obligor;  // Unguaranteed by then.
      if (end >= k) {
        // The guarantor defaulted first: the obligor's default ends the contract, at the obligor's recovery.
        given = g[k - 1] * c.exposure_at(j, k) * lost_obligor;
        // The guarantor pays until its own default in month m <= end, at its recovery.
        given += (prefix_[std::min(end, horizon_)] - prefix_[k - 1]) * lost_guarantor;
        // The guarantee ends on the grid with the guarantor alive: the contract defaults then.
        if (end <= horizon_) given += (1.0 - g[end]) * c.exposure_at(j, end) * lost_obligor;
      }
      loss += p * given;
    }
    // A fraction of the pool, as the quadrature's error bound for the tails assumes (at most 1).
    out[0] = loss / c.total_exposure;
  }

 private:
  const calibration::Plan& plan_;
  std::uint32_t contract_;
  int horizon_;
  std::vector<double> prefix_;
};

}  // namespace

double expected_portfolio_loss(const calibration::Plan& plan, double tolerance, double* error) {
  const auto& c = plan.contracts;
  const auto& credit = plan.credit;
  if (error) *error = 0.0;
  if (c.total_exposure <= 0.0) return 0.0;
  const double scale = 1.0 / c.total_exposure;
  const int horizon = static_cast<int>(c.columns) - 1;
  double loss = 0.0;
  std::vector<std::uint32_t> guaranteed;
  for (std::uint32_t j = 0; j < c.contracts; ++j) {
    if (c.guarantor[j] != calibration::no_guarantor) {
      guaranteed.push_back(j);
      continue;
    }
    const std::uint32_t i = c.counterparty[j];
    double own = 0.0;
    for (int k = 1; k <= horizon; ++k)
      own += (credit.survival_at(i, static_cast<std::size_t>(k - 1)) -
              credit.survival_at(i, static_cast<std::size_t>(k))) *
             c.exposure_at(j, k);
    loss += own * (1.0 - credit.recovery_rates[i]) * scale;
  }
  // Each guaranteed contract on its own two names' model: one direction, whatever the factors.
  std::vector<int> months(c.columns);
  std::iota(months.begin(), months.end(), 0);
  for (const std::uint32_t j : guaranteed) {
    const auto model = pair_model(plan, credit.group_of[c.counterparty[j]], credit.group_of[c.guarantor[j]], months);
    FactorIntegral integral(model, 1, 1, tolerance, GuaranteedLoss(plan, j));
    loss += integral.run()[0];
    if (error) *error += integral.error();
  }
  return loss;
}

ControlMeans control_means(const calibration::Plan& plan, double tolerance) {
  ControlMeans means;
  means.portfolio_loss = expected_portfolio_loss(plan, tolerance, &means.error);
  if (plan.is_waterfall()) return means;
  const bool guaranteed = std::any_of(plan.contracts.guarantor.begin(), plan.contracts.guarantor.end(),
                                      [](std::uint32_t g) { return g != calibration::no_guarantor; });
  if (guaranteed) return means;
  LossDistribution distribution;
  try {
    distribution = loss_distribution(plan, {tolerance});
  } catch (const InputError&) {
    return means;  // More factor directions than the quadrature takes: the portfolio loss alone.
  }
  if (distribution.bucketed) return means;
  for (const auto& tranche : plan.loss_tranches)
    means.tranche_loss.push_back(distribution.tranche_expected_loss(tranche.attachment, tranche.detachment));
  means.error = std::max(means.error, distribution.achieved_error);
  return means;
}

}  // namespace computedebt::analytic
