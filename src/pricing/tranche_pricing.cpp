#include <computedebt/pricing/flat_spread.hpp>
#include <computedebt/pricing/idealised_loss.hpp>
#include <computedebt/pricing/tranche_pricing.hpp>

#include <cmath>
#include <limits>

namespace computedebt::pricing {

void set_loss_estimates(const stats::Ratio& loss, TrancheResult& tranche) {
  tranche.expected_loss = loss.x().mean();
  tranche.expected_loss_stderr = loss.x().standard_error();
  tranche.default_probability = loss.y().mean();
  tranche.default_probability_stderr = loss.y().standard_error();
  tranche.loss_given_default = loss.ratio();
  tranche.loss_given_default_stderr = loss.ratio_standard_error();
}

void set_loss_estimates(double expected_loss, double default_probability, TrancheResult& tranche) {
  tranche.expected_loss = expected_loss;
  tranche.default_probability = default_probability;
  tranche.loss_given_default = default_probability != 0.0 ? expected_loss / default_probability : 0.0;
  tranche.expected_loss_stderr = tranche.default_probability_stderr = tranche.loss_given_default_stderr =
      std::numeric_limits<double>::quiet_NaN();
}

double promised_wal(const calibration::WaterfallPlan& plan, std::size_t t) {
  double weighted = 0.0, lent = plan.notional[t];
  for (std::size_t m = 1; m <= plan.dates; ++m) {
    // `target` after a date includes its draws, which are lent, not repaid.
    const double drawn = plan.at(plan.draw_at, t, m);
    const double paid = plan.at(plan.target, t, m - 1) - (m == plan.dates ? 0.0 : plan.at(plan.target, t, m) - drawn);
    weighted += plan.date_time[m] * paid;
    lent += drawn;
  }
  return weighted / lent;  // The payments sum to the notional and the draws.
}

void set_wal(const stats::Ratio& wal, double promised, TrancheResult& tranche) {
  if (wal.y().mean() > 0.0) {
    tranche.wal_years = wal.ratio();
    tranche.wal_years_stderr = wal.ratio_standard_error();
  } else {
    tranche.wal_years = promised;
    tranche.wal_years_stderr = 0.0;
  }
}

void set_fair_spread(std::span<const double> promised, std::span<const double> expected, std::span<const double> times,
                     std::span<const double> discount, double notional, double value_stderr, TrancheResult& tranche) {
  const double promised_spread = flat_spread(promised, times, discount, notional);
  const double expected_spread = flat_spread(expected, times, discount, notional);
  tranche.fair_spread_bp = (promised_spread - expected_spread) * 1e4;
  double duration = 0.0;
  for (std::size_t m = 0; m < times.size(); ++m)
    duration += times[m] * expected[m] * discount[m] * std::exp(-expected_spread * times[m]);
  tranche.fair_spread_bp_stderr = duration > 0.0 ? value_stderr / duration * 1e4 : 0.0;
}

void set_implied_rating(TrancheResult& tranche) {
  tranche.implied_rating = moodys_idealised_expected_loss().implied_rating(tranche.expected_loss, tranche.wal_years);
}

}  // namespace computedebt::pricing
