// Deliveries after the valuation date, the contracts that need them and the delayed draws that fund them
// (docs/deal_format.md section 4.15).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "ranges.hpp"
#include "readers.hpp"

namespace computedebt::io::detail {

using namespace computedebt::deal;

namespace {

inline constexpr Range fee_bp{0.0, 1e4, true, true, "a fee in [0, 10000] bp"};

/// Reads one delay distribution: months strictly increasing, probabilities of the same count summing to 1.
std::optional<assumptions::DelayDistribution> read_delay_distribution(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  const std::size_t before = problems.size();
  assumptions::DelayDistribution distribution;
  std::size_t delays = 0;
  if (auto months = object.required("months"))
    if (auto elements = read_array(*months, problems, false)) {
      delays = elements->size();
      for (const auto& element : *elements) {
        const auto month = read_integer(element, problems, 0, 120);
        if (!month) continue;
        if (!distribution.months.empty() && *month <= distribution.months.back())
          problems.add(element.path, fmt::format("expected months that strictly increase, got {} after {}", *month,
                                                 distribution.months.back()));
        distribution.months.push_back(static_cast<int>(*month));
      }
    }
  if (auto probabilities = object.required("probabilities"))
    if (auto values = read_numbers(*probabilities, problems, fraction)) {
      distribution.probabilities = std::move(*values);
      double total = 0.0;
      for (const double p : distribution.probabilities) total += p;
      if (std::abs(total - 1.0) > 1e-9)
        problems.add(probabilities->path, fmt::format("expected probabilities that sum to 1, got {}", total));
      if (delays > 0 && distribution.probabilities.size() != delays)
        problems.add(probabilities->path, fmt::format("expected one probability per delay in months ({}), got {}",
                                                      delays, distribution.probabilities.size()));
    }
  if (problems.size() != before) return std::nullopt;
  return distribution;
}

}  // namespace

std::optional<assumptions::DeliveryDelay> read_delivery_delay(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  assumptions::DeliveryDelay delay;
  // Without a distribution of its own, every delivery is on time unless its cohort has one.
  delay.delay = {{0}, {1.0}};
  if (auto all = object.optional("delay"))
    if (auto distribution = read_delay_distribution(*all, problems)) delay.delay = std::move(*distribution);
  if (auto cohorts = object.optional("cohorts"))
    if (auto members = read_map(*cohorts, problems))
      for (const auto& [id, entry] : *members)
        if (auto distribution = read_delay_distribution(entry, problems))
          delay.cohorts.emplace(id, std::move(*distribution));
        else
          delay.cohorts.emplace(id, assumptions::DelayDistribution{});
  // Returned even when a distribution was refused, so that its cohorts are still checked against the deal; the
  // problems refuse the file.
  return delay;
}

void check_delivery_delay(const Deal& deal, const assumptions::DeliveryDelay& delay, const std::string& path,
                          Problems& problems) {
  const bool waterfall = std::holds_alternative<Waterfall>(deal.structure);
  for (const auto& [id, distribution] : delay.cohorts) {
    const bool delivery = deal.fleet && std::any_of(deal.fleet->begin(), deal.fleet->end(), [&](const auto& cohort) {
                            return cohort.id == id && cohort.acquired > deal.valuation_date;
                          });
    if (!waterfall || !delivery)
      problems.add(member_path(member_path(path, "cohorts"), id),
                   fmt::format("\"{}\" is not a delivery of the deal: expected the id of a fleet cohort acquired "
                               "after valuation_date in a waterfall deal",
                               id));
  }
}

std::optional<DelayedDraw> read_delayed_draw(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  const std::size_t before = problems.size();
  DelayedDraw terms;
  if (auto commitment = read_member(object, "commitment", true, read_number, positive_amount))
    terms.commitment = *commitment;
  if (auto end = read_member(object, "availability_end", true, read_date)) terms.availability_end = *end;
  if (auto fee = read_member(object, "commitment_fee_bp", false, read_number, fee_bp)) terms.commitment_fee_bp = *fee;
  if (auto draws = object.required("draws"))
    if (auto elements = read_array(*draws, problems, false))
      for (const auto& element : *elements) {
        ObjectReader draw(element.value, element.path, problems);
        if (!draw.valid()) continue;
        DeliveryDraw planned;
        if (draw.has("cohort") || !draw.has("date")) {
          if (auto cohort = read_member(draw, "cohort", true, read_id)) planned.cohort = *cohort;
          if (auto rate = read_member(draw, "advance_rate", true, read_number, fraction)) planned.advance_rate = *rate;
        } else {
          if (auto date = read_member(draw, "date", true, read_date)) planned.date = *date;
          if (auto amount = read_member(draw, "amount", true, read_number, positive_amount)) planned.amount = *amount;
        }
        terms.draws.push_back(std::move(planned));
      }
  if (auto amortization = object.optional("draw_amortization")) {
    terms.draw_amortization = read_amortization(*amortization, problems);
    if (terms.draw_amortization && std::holds_alternative<Schedule>(*terms.draw_amortization))
      problems.add(member_path(amortization->path, "type"),
                   R"(expected "level" or "bullet": each draw amortises from its own date)");
  }
  if (auto rule = read_member(object, "refused_draw", false, read_string)) {
    if (*rule == "sponsor_funds")
      terms.refused_draw = RefusedDraw::sponsor_funds;
    else if (*rule == "cancel_delivery")
      terms.refused_draw = RefusedDraw::cancel_delivery;
    else
      problems.add(member_path(field.path, "refused_draw"),
                   fmt::format(R"(expected "sponsor_funds" or "cancel_delivery", got "{}")", *rule));
  }
  if (problems.size() != before) return std::nullopt;
  return terms;
}

void check_deliveries(const Deal& deal, const Waterfall& structure, const std::string& path, Problems& problems) {
  const Date t0 = deal.valuation_date;
  const int p = structure.payment_frequency_months;
  int last = 0;
  for (const auto& tranche : structure.tranches)
    last = std::max(last, last_payment_month(t0, p, tranche.legal_maturity));
  // Deliveries by id, and each one's funding month.
  std::map<std::string, std::size_t> cohorts;
  const std::string fleet_path = member_path(path, "fleet");
  if (deal.fleet)
    for (std::size_t i = 0; i < deal.fleet->size(); ++i) {
      const auto& cohort = (*deal.fleet)[i];
      const std::string at = element_path(fleet_path, i);
      if (!cohort.id.empty() && !cohorts.emplace(cohort.id, i).second)
        problems.add(member_path(at, "id"), fmt::format("duplicate cohort id \"{}\"", cohort.id));
      if (cohort.acquired > t0 && funding_month(t0, p, cohort.acquired) >= last)
        problems.add(member_path(at, "acquired"),
                     fmt::format("expected a delivery funded before the last payment date {}, got {}",
                                 format_date(add_months(t0, last)), format_date(cohort.acquired)));
    }
  const auto delivery = [&](const std::string& id) -> const FleetCohort* {
    const auto found = cohorts.find(id);
    if (found == cohorts.end() || (*deal.fleet)[found->second].acquired <= t0) return nullptr;
    return &(*deal.fleet)[found->second];
  };
  const std::string contracts_path = member_path(path, "contracts");
  for (std::size_t i = 0; i < deal.contracts.size(); ++i) {
    const auto& contract = deal.contracts[i];
    if (contract.cohort.empty()) continue;
    const std::string at = member_path(element_path(contracts_path, i), "cohort");
    const auto* cohort = delivery(contract.cohort);
    if (!cohort) {
      problems.add(at, fmt::format("expected the id of a fleet cohort acquired after valuation_date, got \"{}\"",
                                   contract.cohort));
      continue;
    }
    if (contract.lease && contract.lease->gpu_type != cohort->gpu_type)
      problems.add(at,
                   fmt::format("the cohort holds {} GPUs, the lease {}", cohort->gpu_type, contract.lease->gpu_type));
    const Date funded = add_months(t0, funding_month(t0, p, cohort->acquired));
    if (contract.start_date < funded)
      problems.add(member_path(element_path(contracts_path, i), "start_date"),
                   fmt::format("expected a date on or after its cohort's funding date {}, got {}", format_date(funded),
                               format_date(contract.start_date)));
  }
  std::set<std::string> drawn;
  const std::string tranches_path = member_path(member_path(path, "structure"), "tranches");
  for (std::size_t t = 0; t < structure.tranches.size(); ++t) {
    const auto& tranche = structure.tranches[t];
    if (!tranche.delayed_draw) continue;
    const auto& terms = *tranche.delayed_draw;
    const std::string at = member_path(element_path(tranches_path, t), "delayed_draw");
    if (std::holds_alternative<Schedule>(tranche.amortization) && !terms.draw_amortization)
      problems.add(member_path(at, "draw_amortization"),
                   "expected the draws' own amortisation (level or bullet): the tranche's schedule is its closing "
                   "notional's, and each draw amortises from its own date");
    if (const auto* level = terms.draw_amortization ? std::get_if<Level>(&*terms.draw_amortization) : nullptr;
        level && level->term_months % p != 0)
      problems.add(member_path(member_path(at, "draw_amortization"), "term_months"),
                   fmt::format("expected a multiple of payment_frequency_months ({}), got {}", p, level->term_months));
    if (terms.availability_end <= t0)
      problems.add(member_path(at, "availability_end"), "expected a date after valuation_date");
    const int maturity = last_payment_month(t0, p, tranche.legal_maturity);
    double total = tranche.notional;
    for (std::size_t d = 0; d < terms.draws.size(); ++d) {
      const auto& draw = terms.draws[d];
      const std::string draw_path = element_path(member_path(at, "draws"), d);
      if (draw.cohort.empty()) {
        // A dated draw: on the first payment date on or after its date, within availability and before maturity.
        total += draw.amount;
        const int month = funding_month(t0, p, draw.date);
        const Date funded = add_months(t0, month);
        if (draw.date <= t0)
          problems.add(member_path(draw_path, "date"), "expected a date after valuation_date");
        else if (funded > terms.availability_end)
          problems.add(member_path(draw_path, "date"),
                       fmt::format("drawn on {}, after the availability period ends on {}", format_date(funded),
                                   format_date(terms.availability_end)));
        else if (maturity > 0 && month >= maturity)
          problems.add(member_path(draw_path, "date"),
                       fmt::format("drawn on {}, not before the tranche's last payment date {}", format_date(funded),
                                   format_date(add_months(t0, maturity))));
        continue;
      }
      const auto* cohort = delivery(draw.cohort);
      if (!cohort) {
        problems.add(
            member_path(draw_path, "cohort"),
            fmt::format("expected the id of a fleet cohort acquired after valuation_date, got \"{}\"", draw.cohort));
        continue;
      }
      if (!drawn.insert(draw.cohort).second)
        problems.add(member_path(draw_path, "cohort"), fmt::format("cohort \"{}\" is drawn for twice", draw.cohort));
      const int month = funding_month(t0, p, cohort->acquired);
      const Date funded = add_months(t0, month);
      if (funded > terms.availability_end)
        problems.add(member_path(draw_path, "cohort"),
                     fmt::format("funded on {}, after the availability period ends on {}", format_date(funded),
                                 format_date(terms.availability_end)));
      if (maturity > 0 && month >= maturity)
        problems.add(member_path(draw_path, "cohort"),
                     fmt::format("funded on {}, not before the tranche's last payment date {}", format_date(funded),
                                 format_date(add_months(t0, maturity))));
      const auto type = std::find_if(deal.gpu_types.begin(), deal.gpu_types.end(),
                                     [&](const GpuType& g) { return g.id == cohort->gpu_type; });
      if (type != deal.gpu_types.end())
        total += draw.advance_rate * type->purchase_price * static_cast<double>(cohort->count);
    }
    if (total > terms.commitment * (1.0 + 1e-12))
      problems.add(member_path(at, "commitment"),
                   fmt::format("the notional and the draws come to {:.2f}, above the commitment {:.2f}", total,
                               terms.commitment));
  }
}

}  // namespace computedebt::io::detail
