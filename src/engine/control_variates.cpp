#include "control_variates.hpp"

#include <computedebt/engine/statistics.hpp>
#include <computedebt/stats/control_variate.hpp>

#include <cmath>
#include <string>

namespace computedebt::engine::detail {

namespace {

/// The controls of a tranche: indices into the co-moments, their exact means and their names.
struct Controls {
  std::vector<std::size_t> index;
  std::vector<double> mean;
  std::vector<std::string> name;

  /// Drops the portfolio loss.
  void erase_first() {
    index.erase(index.begin());
    mean.erase(mean.begin());
    name.erase(name.begin());
  }
};

Controls controls_of(const calibration::Plan& plan, const analytic::ControlMeans& means, std::size_t t) {
  Controls controls{{0}, {means.portfolio_loss}, {"portfolio_loss"}};
  for (std::size_t s = 0; s < means.tranche_loss.size(); ++s) {
    if (s == t) continue;
    controls.index.push_back(1 + s);
    controls.mean.push_back(means.tranche_loss[s]);
    controls.name.push_back(plan.loss_tranches[s].name);
  }
  return controls;
}

}  // namespace

void apply_control_variates(const calibration::Plan& plan, const stats::CoMoments& moments,
                            const analytic::ControlMeans& means, std::vector<pricing::TrancheResult>& tranches) {
  const std::size_t count = tranches.size();
  const double n = static_cast<double>(moments.count());
  for (std::size_t t = 0; t < count; ++t) {
    const std::size_t loss = 1 + t, hit = 1 + count + t;
    auto controls = controls_of(plan, means, t);
    auto estimate = stats::controlled_mean(moments, loss, controls.index, controls.mean);
    // A control set that reproduces the tranche's loss would return its exact mean with no error left to
    // measure: that is the semi-analytic method's answer, not a Monte Carlo estimate.
    if (estimate.spans_target) {
      controls.erase_first();
      estimate = stats::controlled_mean(moments, loss, controls.index, controls.mean);
    }
    if (estimate.spans_target) {
      controls = {};
      estimate = stats::controlled_mean(moments, loss, controls.index, controls.mean);
    }
    auto& tranche = tranches[t];
    tranche.control_variate = pricing::ControlledLoss{tranche.expected_loss, tranche.expected_loss_stderr,
                                                      estimate.variance_reduction, controls.name};
    tranche.expected_loss = estimate.mean;
    tranche.expected_loss_stderr = estimate.standard_error;
    // LGD = EL / PD by the delta method on the residual `e = y - beta'c` and the hit indicator `h`.
    const double pd = tranche.default_probability;
    if (pd > 0.0) {
      const double r = estimate.mean / pd;
      const double covariance = stats::residual_covariance(moments, loss, controls.index, estimate, hit);
      const double variance = estimate.residual_variance - 2.0 * r * covariance + r * r * moments.covariance(hit, hit);
      tranche.loss_given_default = r;
      tranche.loss_given_default_stderr =
          moments.count() > 1 ? std::sqrt(std::max(variance, 0.0) / n) / pd : std::nan("");
    }
  }
}

}  // namespace computedebt::engine::detail
