#include <computedebt/core/random.hpp>
#include <computedebt/scenario/delivery_delay_sampler.hpp>

namespace computedebt::scenario {

DeliveryDelaySampler::DeliveryDelaySampler(const calibration::Plan& plan, bool antithetic)
    : plan_(plan), antithetic_(antithetic) {
  if (plan.is_waterfall() && plan.waterfall.delivery_delay) outcomes_.resize(plan.waterfall.delivery_date.size());
}

void DeliveryDelaySampler::sample(std::uint32_t seed, std::uint64_t path) noexcept {
  if (outcomes_.empty()) return;
  const auto draws = path_draws(path, antithetic_);
  const RandomStream stream(seed, Stream::delivery_delay, draws.reflected);
  const auto& delay = *plan_.waterfall.delivery_delay;
  for (std::size_t d = 0; d < outcomes_.size(); ++d) outcomes_[d] = delay.outcome(d, stream.uniform(draws.source, d));
}

}  // namespace computedebt::scenario
