#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "ranges.hpp"
#include "readers.hpp"

namespace computedebt::io::detail {

namespace {

using namespace computedebt::deal;

/// Remembers ids as they are read and reports duplicates.
class IdRegistry {
 public:
  explicit IdRegistry(std::string_view kind) : kind_(kind) {}
  void add(const std::string& id, const std::string& path, Problems& problems) {
    auto [it, inserted] = first_path_.emplace(id, path);
    if (!inserted) problems.add(path, fmt::format("duplicate {} id \"{}\" (first at {})", kind_, id, it->second));
  }
  bool contains(const std::string& id) const { return first_path_.contains(id); }
  std::string list() const {
    std::string text;
    for (const auto& [id, path] : first_path_) text += (text.empty() ? "" : ", ") + id;
    return text.empty() ? "none" : text;
  }

 private:
  std::string_view kind_;
  std::map<std::string, std::string> first_path_;
};

void check_reference(const IdRegistry& ids, std::string_view kind, const std::string& id, const std::string& path,
                     Problems& problems) {
  if (!ids.contains(id)) problems.add(path, fmt::format("unknown {} \"{}\"; the deal has: {}", kind, id, ids.list()));
}

std::vector<Counterparty> read_counterparties(ObjectReader& deal, IdRegistry& ids) {
  std::vector<Counterparty> counterparties;
  auto field = deal.required("counterparties");
  if (!field) return counterparties;
  auto elements = read_array(*field, deal.problems(), false);
  if (!elements) return counterparties;
  for (const auto& element : *elements) {
    ObjectReader object(element.value, element.path, deal.problems());
    Counterparty counterparty;
    if (auto id = read_member(object, "id", true, read_id)) {
      counterparty.id = *id;
      ids.add(*id, member_path(element.path, "id"), deal.problems());
    }
    if (auto sector = read_member(object, "sector", false, read_id)) counterparty.sector = *sector;
    if (auto rating = object.optional("rating")) {
      auto text = read_string(*rating, deal.problems());
      if (text) {
        counterparty.rating = parse_rating(*text);
        if (!counterparty.rating) deal.problems().add(rating->path, unknown_rating_message(*text));
      }
    }
    counterparties.push_back(std::move(counterparty));
  }
  return counterparties;
}

std::vector<GpuType> read_gpu_types(ObjectReader& deal, bool required, IdRegistry& ids, const IdRegistry* site_ids) {
  std::vector<GpuType> types;
  auto field = required ? deal.required("gpu_types") : deal.optional("gpu_types");
  if (!field) return types;
  auto elements = read_array(*field, deal.problems(), !required);
  if (!elements) return types;
  for (const auto& element : *elements) {
    ObjectReader object(element.value, element.path, deal.problems());
    GpuType type{};
    if (auto id = read_member(object, "id", true, read_id)) {
      type.id = *id;
      ids.add(*id, member_path(element.path, "id"), deal.problems());
    }
    if (auto price = read_member(object, "purchase_price", true, read_number, positive_amount))
      type.purchase_price = *price;
    if (auto power = read_member(object, "power_kw", true, read_number, detail::power_kw)) type.power_kw = *power;
    if (auto site = read_member(object, "site", false, read_id)) {
      type.site = *site;
      if (site_ids) check_reference(*site_ids, "site", *site, member_path(element.path, "site"), deal.problems());
    }
    types.push_back(std::move(type));
  }
  return types;
}

std::optional<std::vector<FleetCohort>> read_fleet(ObjectReader& deal, const IdRegistry& gpu_ids,
                                                   std::optional<Date> valuation_date, bool waterfall) {
  auto field = deal.optional("fleet");
  if (!field) return std::nullopt;
  auto elements = read_array(*field, deal.problems());
  if (!elements) return std::vector<FleetCohort>{};
  std::vector<FleetCohort> fleet;
  for (const auto& element : *elements) {
    ObjectReader object(element.value, element.path, deal.problems());
    FleetCohort cohort{};
    if (auto type = read_member(object, "gpu_type", true, read_id)) {
      cohort.gpu_type = *type;
      check_reference(gpu_ids, "GPU type", *type, member_path(element.path, "gpu_type"), deal.problems());
    }
    if (auto count = read_member(object, "count", true, read_integer, 1, max_count)) cohort.count = *count;
    if (auto acquired = read_member(object, "acquired", true, read_date)) {
      cohort.acquired = *acquired;
      // A waterfall's fleet may grow by deliveries; a loss-tranche deal's fleet is only its value at t0.
      if (valuation_date && *acquired > *valuation_date && !waterfall)
        deal.problems().add(member_path(element.path, "acquired"),
                            fmt::format("expected a date on or before valuation_date {}, got {} (deliveries after "
                                        "it are for waterfall deals)",
                                        format_date(*valuation_date), format_date(*acquired)));
    }
    if (auto id = read_member(object, "id", false, read_id)) cohort.id = *id;
    fleet.push_back(std::move(cohort));
  }
  return fleet;
}

std::optional<Guarantee> read_guarantee(const Field& field, Problems& problems, const IdRegistry& counterparty_ids) {
  ObjectReader object(field.value, field.path, problems);
  if (!object.valid()) return std::nullopt;
  Guarantee guarantee;
  if (auto guarantor = read_member(object, "guarantor", true, read_id)) {
    guarantee.guarantor = *guarantor;
    check_reference(counterparty_ids, "counterparty", *guarantor, member_path(field.path, "guarantor"), problems);
  }
  guarantee.cap = read_member(object, "cap", false, read_number, non_negative_amount);
  guarantee.expiry = read_member(object, "expiry", false, read_date);
  return guarantee;
}

/// A contract as read, before the structure type decides which of its fields are required.
struct ContractFields {
  Contract contract;
  std::string path;
  bool has_gpu_type = false, has_gpu_count = false, has_price = false, has_notional = false;
  bool has_capacity = false;  ///< Gives `megawatts` or `price_per_kw_month`: a capacity lease.
};

/// The keys of a capacity lease, flat on its contract.
constexpr std::string_view capacity_keys[] = {"megawatts",    "price_per_kw_month", "power",
                                              "power_margin", "load_factor",        "facility"};

/// A capacity lease's terms (docs/deal_format.md section 3.5); problems for what is missing or does not belong.
std::optional<CapacityLease> read_capacity(ObjectReader& object, const std::string& path) {
  Problems& problems = object.problems();
  CapacityLease capacity;
  const auto megawatts = read_member(object, "megawatts", true, read_number, detail::megawatts);
  const auto price = read_member(object, "price_per_kw_month", true, read_number, non_negative_amount);
  if (megawatts) capacity.megawatts = *megawatts;
  if (price) capacity.price_per_kw_month = *price;
  bool valid = megawatts && price;
  if (auto power = read_member(object, "power", false, read_string)) {
    if (*power == "pass_through")
      capacity.power = CapacityPower::pass_through;
    else if (*power == "included")
      capacity.power = CapacityPower::included;
    else if (*power == "cost_plus")
      capacity.power = CapacityPower::cost_plus;
    else {
      problems.add(member_path(path, "power"),
                   fmt::format(R"(expected "pass_through", "included" or "cost_plus", got "{}")", *power));
      valid = false;
    }
  }
  if (auto margin = read_member(object, "power_margin", false, read_number, detail::power_margin)) {
    capacity.power_margin = *margin;
    if (capacity.power != CapacityPower::cost_plus && !problems.any_at_or_under(member_path(path, "power")))
      problems.add(member_path(path, "power_margin"), R"(a margin is billed only with "power": "cost_plus")");
  } else if (capacity.power == CapacityPower::cost_plus && !object.has("power_margin")) {
    problems.add(member_path(path, "power_margin"), R"(required field is missing ("power": "cost_plus"))");
  }
  if (auto load = read_member(object, "load_factor", false, read_number, detail::load_factor))
    capacity.load_factor = *load;
  if (auto facility = read_member(object, "facility", false, read_id)) capacity.facility = *facility;
  for (std::string_view key : {"gpu_type", "gpu_count", "price_per_gpu_hour", "power_pass_through", "cohort"})
    if (object.optional(key))
      problems.add(member_path(path, key),
                   key == "power_pass_through"
                       ? R"(a capacity lease states its power with "power": "pass_through", "included" or "cost_plus")"
                   : key == "cohort" ? "a capacity lease occupies no GPU and needs no delivery"
                                     : "a contract leases either GPU-hours or capacity in megawatts, not both");
  if (!valid) return std::nullopt;
  return capacity;
}

/// A GPU lease's terms, when all three are given; which of them are is recorded in `read`.
std::optional<GpuLease> read_gpu_lease(ObjectReader& object, const std::string& path, const IdRegistry& gpu_ids,
                                       ContractFields& read) {
  Problems& problems = object.problems();
  for (std::string_view key : capacity_keys)
    if (object.optional(key))
      problems.add(member_path(path, key), "belongs to a capacity lease, which gives megawatts and price_per_kw_month");
  GpuLease lease{};
  read.has_gpu_type = object.has("gpu_type");
  read.has_gpu_count = object.has("gpu_count");
  read.has_price = object.has("price_per_gpu_hour");
  if (auto type = read_member(object, "gpu_type", false, read_id)) {
    lease.gpu_type = *type;
    check_reference(gpu_ids, "GPU type", *type, member_path(path, "gpu_type"), problems);
  }
  if (auto count = read_member(object, "gpu_count", false, read_integer, 1, max_count)) lease.gpu_count = *count;
  if (auto price = read_member(object, "price_per_gpu_hour", false, read_number, non_negative_amount))
    lease.price_per_gpu_hour = *price;
  if (read.has_gpu_type && read.has_gpu_count && read.has_price) return lease;
  return std::nullopt;
}

std::vector<ContractFields> read_contracts(ObjectReader& deal, IdRegistry& ids, const IdRegistry& counterparty_ids,
                                           const IdRegistry& gpu_ids) {
  std::vector<ContractFields> contracts;
  auto field = deal.required("contracts");
  if (!field) return contracts;
  auto elements = read_array(*field, deal.problems(), false);
  if (!elements) return contracts;
  for (const auto& element : *elements) {
    Problems& problems = deal.problems();
    ObjectReader object(element.value, element.path, problems);
    ContractFields read{};
    read.path = element.path;
    Contract& contract = read.contract;
    if (auto id = read_member(object, "id", true, read_id)) {
      contract.id = *id;
      ids.add(*id, member_path(element.path, "id"), problems);
    }
    if (auto counterparty = read_member(object, "counterparty", true, read_id)) {
      contract.counterparty = *counterparty;
      check_reference(counterparty_ids, "counterparty", *counterparty, member_path(element.path, "counterparty"),
                      problems);
    }
    if (auto guarantee = object.optional("guarantee")) {
      contract.guarantee = read_guarantee(*guarantee, problems, counterparty_ids);
      if (contract.guarantee && contract.guarantee->guarantor == contract.counterparty)
        problems.add(member_path(guarantee->path, "guarantor"),
                     fmt::format("a counterparty cannot guarantee its own contract (\"{}\")", contract.counterparty));
    }

    read.has_capacity = object.has("megawatts") || object.has("price_per_kw_month");
    if (read.has_capacity)
      contract.capacity = read_capacity(object, element.path);
    else
      contract.lease = read_gpu_lease(object, element.path, gpu_ids, read);

    auto start = read_member(object, "start_date", true, read_date);
    auto end = read_member(object, "end_date", true, read_date);
    if (start) contract.start_date = *start;
    if (end) contract.end_date = *end;
    if (start && end && *end <= *start)
      problems.add(member_path(element.path, "end_date"),
                   fmt::format("expected a date after start_date {}, got {}", format_date(*start), format_date(*end)));
    if (auto rate = read_member(object, "annual_escalator", false, read_number, escalator))
      contract.annual_escalator = *rate;
    if (!read.has_capacity) {
      if (auto pass = read_member(object, "power_pass_through", false, read_bool)) contract.power_pass_through = *pass;
      if (auto cohort = read_member(object, "cohort", false, read_id)) contract.cohort = *cohort;
    }
    read.has_notional = object.has("notional");
    contract.notional = read_member(object, "notional", false, read_number, positive_amount);
    contracts.push_back(std::move(read));
  }
  return contracts;
}

/// In a waterfall deal every contract leases GPUs or capacity; in a loss-tranche deal it needs a notional or a lease.
void check_contract_exposures(const std::vector<ContractFields>& contracts, bool waterfall, Problems& problems) {
  for (const auto& read : contracts) {
    if (read.has_capacity) continue;  // `read_capacity` judged it.
    const int lease_fields = read.has_gpu_type + read.has_gpu_count + read.has_price;
    const bool need_lease = waterfall || lease_fields > 0;
    if (!waterfall && lease_fields == 0 && !read.has_notional) {
      problems.add(read.path,
                   "a loss-tranche contract needs either notional, all of gpu_type, gpu_count and "
                   "price_per_gpu_hour, or megawatts and price_per_kw_month");
      continue;
    }
    if (!need_lease) continue;
    const std::pair<bool, std::string_view> fields[] = {
        {read.has_gpu_type, "gpu_type"}, {read.has_gpu_count, "gpu_count"}, {read.has_price, "price_per_gpu_hour"}};
    for (const auto& [present, name] : fields)
      if (!present)
        problems.add(member_path(read.path, name), waterfall ? "required field is missing (a waterfall deal's contract "
                                                               "leases GPUs, or capacity with megawatts and "
                                                               "price_per_kw_month)"
                                                             : "required field is missing (the contract gives other "
                                                               "GPU fields; give all three or a notional)");
  }
}

/// Capacity is judged only on what read cleanly: the fleet itself and every lease's type, count and dates.
bool capacity_inputs_valid(const Deal& deal, const std::string& deal_path, const Problems& problems) {
  if (problems.any_at_or_under(member_path(deal_path, "fleet"))) return false;
  const std::string contracts_path = member_path(deal_path, "contracts");
  if (problems.any_at_or_under(contracts_path) && deal.contracts.empty()) return false;
  for (std::size_t i = 0; i < deal.contracts.size(); ++i)
    for (std::string_view key : {"gpu_type", "gpu_count", "start_date", "end_date"})
      if (problems.any_at_or_under(member_path(element_path(contracts_path, i), key))) return false;
  return true;
}

void check_fleet_capacity(const Deal& deal, const std::string& fleet_path, Problems& problems) {
  const auto* waterfall = std::get_if<Waterfall>(&deal.structure);
  const bool deliveries = std::any_of(deal.fleet->begin(), deal.fleet->end(),
                                      [&](const FleetCohort& c) { return c.acquired > deal.valuation_date; });
  for (const auto& type : deal.gpu_types) {
    std::int64_t owned = 0;
    for (const auto& cohort : *deal.fleet)
      if (cohort.gpu_type == type.id && cohort.acquired <= deal.valuation_date) owned += cohort.count;
    if (!deliveries || !waterfall || waterfall->payment_frequency_months <= 0) {
      for (const auto& cohort : *deal.fleet)
        if (cohort.gpu_type == type.id && cohort.acquired > deal.valuation_date) owned += cohort.count;
      const auto peak = peak_gpus_under_contract(deal, type.id);
      if (peak.gpus > owned)
        problems.add(fleet_path, fmt::format("on {}, {} {} GPUs are under running contracts but the fleet holds {}",
                                             format_date(peak.date), peak.gpus, type.id, owned));
      continue;
    }
    // With deliveries, a delivery's GPUs serve only the leases that name it, and the others run on the fleet held at
    // t0: each must fit on every day, so that a cancelled delivery takes exactly its leases with it.
    const auto fits = [&](const std::string& cohort, std::int64_t capacity, const std::string& what) {
      const auto t0 = std::chrono::sys_days{deal.valuation_date};
      std::map<std::chrono::sys_days, std::int64_t> change;
      for (const auto& contract : deal.contracts) {
        if (!contract.lease || contract.lease->gpu_type != type.id || contract.cohort != cohort) continue;
        const auto start = std::max(std::chrono::sys_days{contract.start_date}, t0);
        const auto end = std::chrono::sys_days{contract.end_date};
        if (end <= start) continue;
        change[start] += contract.lease->gpu_count;
        change[end] -= contract.lease->gpu_count;
      }
      std::int64_t leased = 0;
      for (const auto& [day, delta] : change) {
        leased += delta;
        if (leased > capacity) {
          problems.add(fleet_path,
                       fmt::format("on {}, {} {} GPUs are under running contracts {} but {} holds {}",
                                   format_date(Date{day}), leased, type.id,
                                   cohort.empty() ? "that need no delivery" : "that need " + cohort, what, capacity));
          return;
        }
      }
    };
    fits("", owned, "the fleet held at valuation_date");
    for (const auto& cohort : *deal.fleet)
      if (cohort.gpu_type == type.id && cohort.acquired > deal.valuation_date && !cohort.id.empty())
        fits(cohort.id, cohort.count, "the delivery");
  }
}

LossTranches read_loss_tranches(ObjectReader& object, std::set<std::string>& names) {
  Problems& problems = object.problems();
  LossTranches structure{};
  if (auto h = read_member(object, "horizon_years", true, read_number, horizon)) {
    structure.horizon_years = *h;
    if (std::lround(12.0 * *h) < 1)
      problems.add(member_path(object.path(), "horizon_years"),
                   fmt::format("expected a horizon of at least one month (1/24 year rounds up), got {}", *h));
  }
  auto field = object.required("tranches");
  if (!field) return structure;
  auto elements = read_array(*field, problems, false);
  if (!elements) return structure;
  for (const auto& element : *elements) {
    ObjectReader tranche_object(element.value, element.path, problems);
    LossTranche tranche{};
    if (auto name = read_member(tranche_object, "name", true, read_id)) {
      tranche.name = *name;
      if (!names.insert(*name).second)
        problems.add(member_path(element.path, "name"), fmt::format("duplicate tranche name \"{}\"", *name));
    }
    auto attachment = read_member(tranche_object, "attachment", true, read_number, fraction);
    auto detachment = read_member(tranche_object, "detachment", true, read_number, fraction);
    if (attachment) tranche.attachment = *attachment;
    if (detachment) tranche.detachment = *detachment;
    if (attachment && detachment && *attachment >= *detachment)
      problems.add(member_path(element.path, "detachment"),
                   fmt::format("expected a detachment above the attachment {}, got {}", *attachment, *detachment));
    structure.tranches.push_back(std::move(tranche));
  }
  return structure;
}

/// Checks a tranche's dates against the payment grid `t_{m p}` (docs/methodology.md section 1.3).
void check_against_payment_grid(const DebtTranche& tranche, const std::string& path, Date t0, int frequency,
                                Problems& problems) {
  if (tranche.legal_maturity > add_months(t0, 12 * max_term_years)) {
    problems.add(member_path(path, "legal_maturity"),
                 fmt::format("expected a date within {} years of valuation_date, got {}", max_term_years,
                             format_date(tranche.legal_maturity)));
    return;
  }
  const int last_payment_month = deal::last_payment_month(t0, frequency, tranche.legal_maturity);
  if (last_payment_month == 0) {
    problems.add(member_path(path, "legal_maturity"),
                 fmt::format("no payment date on or before {}: the first is {}", format_date(tranche.legal_maturity),
                             format_date(add_months(t0, frequency))));
    return;
  }
  const std::string amortization_path = member_path(path, "amortization");
  if (const auto* level = std::get_if<Level>(&tranche.amortization)) {
    if (level->term_months % frequency != 0)
      problems.add(
          member_path(amortization_path, "term_months"),
          fmt::format("expected a multiple of payment_frequency_months ({}), got {}", frequency, level->term_months));
    else if (level->term_months > last_payment_month)
      problems.add(member_path(amortization_path, "term_months"),
                   fmt::format("amortisation ends on {}, after the legal maturity {} (at most {} months)",
                               format_date(add_months(t0, level->term_months)), format_date(tranche.legal_maturity),
                               last_payment_month));
  }
  if (const auto* schedule = std::get_if<Schedule>(&tranche.amortization)) {
    const auto dates = static_cast<std::size_t>(last_payment_month / frequency);
    if (schedule->balances.size() > dates)
      problems.add(member_path(amortization_path, "balances"),
                   fmt::format("has {} balances but only {} payment dates up to the legal maturity",
                               schedule->balances.size(), dates));
  }
}

/// A weighted average rating factor needs a rating for each contract, its counterparty's or its guarantor's: one
/// problem at each metric that uses it, naming the contracts' unrated counterparties.
void check_rating_factor_ratings(const Deal& deal, const Waterfall& structure, const std::string& path,
                                 Problems& problems) {
  std::vector<std::string> uses;
  const auto warf = [](const CovenantMetric& m) { return std::holds_alternative<WeightedAverageRatingFactor>(m); };
  // A covenant the reader refused is left out of the list, so its positions name the file's only without one.
  if (!problems.any_at_or_under(member_path(path, "covenants")))
    for (std::size_t i = 0; i < structure.covenants.size(); ++i)
      if (warf(structure.covenants[i].metric))
        uses.push_back(member_path(element_path(member_path(path, "covenants"), i), "metric"));
  for (std::size_t i = 0; i < structure.tranches.size(); ++i)
    if (const auto& floating = structure.tranches[i].floating;
        floating && floating->margin_grid && warf(floating->margin_grid->metric))
      uses.push_back(member_path(
          member_path(member_path(element_path(member_path(path, "tranches"), i), "floating"), "margin_grid"),
          "metric"));
  if (uses.empty()) return;
  std::set<std::string> rated_ids;
  for (const auto& counterparty : deal.counterparties)
    if (counterparty.rating) rated_ids.insert(counterparty.id);
  const auto rated = [&](const std::string& id) { return rated_ids.contains(id); };
  std::set<std::string> unrated;
  for (const auto& contract : deal.contracts)
    if (!rated(contract.counterparty) && !(contract.guarantee && rated(contract.guarantee->guarantor)))
      unrated.insert(contract.counterparty);
  if (unrated.empty()) return;
  std::string names;
  for (const auto& id : unrated) names += (names.empty() ? "\"" : ", \"") + id + "\"";
  for (const auto& use : uses)
    problems.add(use, fmt::format("the weighted average rating factor needs a rating for every contract's "
                                  "counterparty or guarantor; {} {} none",
                                  names, unrated.size() == 1 ? "has" : "have"));
}

Waterfall read_waterfall(ObjectReader& object, std::set<std::string>& names, std::optional<Date> t0) {
  Problems& problems = object.problems();
  Waterfall structure{};
  auto frequency = read_member(object, "payment_frequency_months", true, read_integer, 1, 6);
  if (frequency && *frequency != 1 && *frequency != 3 && *frequency != 6) {
    problems.add(member_path(object.path(), "payment_frequency_months"),
                 fmt::format("expected 1, 3 or 6, got {}", *frequency));
    frequency.reset();
  }
  if (frequency) structure.payment_frequency_months = static_cast<int>(*frequency);
  if (auto fees = read_member(object, "senior_fees_per_year", false, read_number, non_negative_amount))
    structure.senior_fees_per_year = *fees;

  if (auto field = object.required("tranches")) {
    if (auto elements = read_array(*field, problems, false)) {
      for (const auto& element : *elements) {
        ObjectReader tranche_object(element.value, element.path, problems);
        const std::size_t before = problems.size();
        DebtTranche tranche{};
        if (auto name = read_member(tranche_object, "name", true, read_id)) {
          tranche.name = *name;
          if (!names.insert(*name).second)
            problems.add(member_path(element.path, "name"), fmt::format("duplicate tranche name \"{}\"", *name));
        }
        if (auto notional = read_member(tranche_object, "notional", true, read_number, positive_amount))
          tranche.notional = *notional;
        if (!tranche_object.has("coupon") && !tranche_object.has("floating"))
          problems.add(member_path(element.path, "coupon"),
                       "required field is missing: give coupon (a fixed rate) or floating (index plus margin)");
        if (tranche_object.has("coupon") && tranche_object.has("floating"))
          problems.add(element.path, "gives both coupon and floating; expected one of them");
        if (auto coupon = read_member(tranche_object, "coupon", false, read_number, coupon_rate))
          tranche.coupon = *coupon;
        if (auto floating = tranche_object.optional("floating"))
          tranche.floating = read_floating_rate(*floating, problems);
        if (auto amortization_field = tranche_object.required("amortization"))
          if (auto amortization = read_amortization(*amortization_field, problems))
            tranche.amortization = *amortization;
        const auto maturity = read_member(tranche_object, "legal_maturity", true, read_date);
        if (maturity) tranche.legal_maturity = *maturity;
        if (auto draw = tranche_object.optional("delayed_draw"))
          tranche.delayed_draw = read_delayed_draw(*draw, problems);
        if (auto ard = tranche_object.optional("anticipated_repayment"); ard && maturity) {
          tranche.anticipated_repayment = read_anticipated_repayment(*ard, *maturity, problems);
          if (tranche.anticipated_repayment && t0 && tranche.anticipated_repayment->date <= *t0)
            problems.add(member_path(ard->path, "date"), "expected a date after valuation_date");
        }
        if (problems.size() == before && frequency && t0)
          check_against_payment_grid(tranche, element.path, *t0, structure.payment_frequency_months, problems);
        structure.tranches.push_back(std::move(tranche));
      }
    }
  }
  if (auto field = object.required("equity")) {
    ObjectReader equity(field->value, field->path, problems);
    if (auto investment = read_member(equity, "investment", true, read_number, positive_amount))
      structure.equity.investment = *investment;
  }
  if (auto field = object.optional("reserve_account")) {
    ObjectReader reserve(field->value, field->path, problems);
    if (reserve.valid()) {
      ReserveAccount account{};
      if (auto months = read_member(reserve, "target_months_of_interest", true, read_number, months_of_interest))
        account.target_months_of_interest = *months;
      if (auto balance = read_member(reserve, "initial_balance", false, read_number, non_negative_amount))
        account.initial_balance = *balance;
      structure.reserve_account = account;
    }
  }
  if (auto field = object.optional("triggers")) {
    ObjectReader triggers(field->value, field->path, problems);
    structure.triggers.dscr_cash_sweep = read_member(triggers, "dscr_cash_sweep", false, read_number, trigger_ratio);
    structure.triggers.ltv_cash_sweep = read_member(triggers, "ltv_cash_sweep", false, read_number, trigger_ratio);
  }
  if (auto field = object.optional("hedges")) structure.hedges = read_hedges(*field, problems, structure, t0);
  read_term_sheet(object, structure);
  return structure;
}

/// Reads the structure; `nullopt` for the type when the type itself cannot be told.
std::optional<Structure> read_structure(ObjectReader& deal, std::optional<Date> t0) {
  auto field = deal.required("structure");
  if (!field) return std::nullopt;
  ObjectReader object(field->value, field->path, deal.problems());
  auto type = read_member(object, "type", true, read_string);
  if (!type) {
    object.ignore_rest();
    return std::nullopt;
  }
  std::set<std::string> names;
  if (*type == "loss_tranches") return read_loss_tranches(object, names);
  if (*type == "waterfall") return read_waterfall(object, names, t0);
  deal.problems().add(member_path(field->path, "type"),
                      fmt::format("expected \"loss_tranches\" or \"waterfall\", got \"{}\"", *type));
  object.ignore_rest();
  return std::nullopt;
}

/// Reads the deal's fixed-price PPAs (docs/deal_format.md section 3.7), refused in a loss-tranche deal.
std::vector<PowerPurchase> read_power_purchases(ObjectReader& deal, const IdRegistry& counterparty_ids,
                                                const IdRegistry* site_ids, bool loss_tranches) {
  std::vector<PowerPurchase> purchases;
  auto field = deal.optional("power_purchase_agreements");
  if (!field) return purchases;
  auto& problems = deal.problems();
  if (loss_tranches) {
    problems.add(field->path, "power purchase agreements are for waterfall deals");
    return purchases;
  }
  auto elements = read_array(*field, problems);
  if (!elements) return purchases;
  IdRegistry ids("power purchase agreement");
  for (const auto& element : *elements) {
    ObjectReader object(element.value, element.path, problems);
    if (!object.valid()) continue;
    PowerPurchase purchase;
    if (auto id = read_member(object, "id", true, read_id)) {
      purchase.id = *id;
      ids.add(*id, member_path(element.path, "id"), problems);
    }
    if (auto counterparty = read_member(object, "counterparty", true, read_id)) {
      purchase.counterparty = *counterparty;
      check_reference(counterparty_ids, "counterparty", *counterparty, member_path(element.path, "counterparty"),
                      problems);
    }
    if (auto volume = read_member(object, "volume_mwh_per_month", true, read_number, positive_amount))
      purchase.volume_mwh_per_month = *volume;
    if (auto price = read_member(object, "price_per_mwh", true, read_number, non_negative_amount))
      purchase.price_per_mwh = *price;
    auto start = read_member(object, "start_date", true, read_date);
    auto end = read_member(object, "end_date", true, read_date);
    if (start) purchase.start_date = *start;
    if (end) purchase.end_date = *end;
    if (start && end && *end <= *start)
      problems.add(member_path(element.path, "end_date"),
                   fmt::format("expected a date after start_date {}, got {}", format_date(*start), format_date(*end)));
    if (auto site = read_member(object, "site", false, read_id)) {
      purchase.site = *site;
      if (site_ids) check_reference(*site_ids, "site", *site, member_path(element.path, "site"), problems);
    }
    purchases.push_back(std::move(purchase));
  }
  return purchases;
}

}  // namespace

std::optional<Amortization> read_amortization(const Field& field, Problems& problems) {
  ObjectReader object(field.value, field.path, problems);
  auto type = read_member(object, "type", true, read_string);
  if (!type) {
    object.ignore_rest();
    return std::nullopt;
  }
  if (*type == "bullet") return Bullet{};
  if (*type == "level") {
    auto term = read_member(object, "term_months", true, read_integer, 1, 1200);
    if (!term) return std::nullopt;
    return Level{static_cast<int>(*term)};
  }
  if (*type == "schedule") {
    auto balances = object.required("balances");
    if (!balances) return std::nullopt;
    auto fractions = read_numbers(*balances, problems, fraction);
    if (!fractions) return std::nullopt;
    for (std::size_t i = 1; i < fractions->size(); ++i)
      if ((*fractions)[i] > (*fractions)[i - 1])
        problems.add(element_path(balances->path, i),
                     fmt::format("expected target balances that never rise, got {} after {}", (*fractions)[i],
                                 (*fractions)[i - 1]));
    return Schedule{std::move(*fractions)};
  }
  problems.add(member_path(field.path, "type"),
               fmt::format("expected \"bullet\", \"level\" or \"schedule\", got \"{}\"", *type));
  object.ignore_rest();
  return std::nullopt;
}

deal::Deal read_deal(const Json& value, const std::string& path, Problems& problems) {
  ObjectReader object(value, path, problems);
  Deal deal{};
  if (!object.valid()) return deal;
  if (auto name = read_member(object, "name", true, read_id)) deal.name = *name;
  auto t0 = read_member(object, "valuation_date", true, read_date);
  // The grid reaches up to 100 years past t0 and QuantLib's calendar ends in 2199.
  if (t0 && (t0->year() < std::chrono::year{1901} || t0->year() > std::chrono::year{2099})) {
    problems.add(member_path(path, "valuation_date"),
                 fmt::format("expected a date from 1901-01-01 to 2099-12-31, got {}", format_date(*t0)));
    t0.reset();
  }
  if (t0) deal.valuation_date = *t0;
  if (auto currency = read_member(object, "currency", false, read_id)) deal.currency = *currency;

  // The structure decides which contract fields are required, so it is read first.
  auto structure = read_structure(object, t0);
  if (structure) deal.structure = *structure;
  const bool waterfall = structure && std::holds_alternative<Waterfall>(*structure);

  IdRegistry counterparty_ids("counterparty"), gpu_ids("GPU type"), contract_ids("contract");
  deal.counterparties = read_counterparties(object, counterparty_ids);
  if (const auto* w = std::get_if<Waterfall>(&deal.structure))
    for (std::size_t i = 0; i < w->hedges.size(); ++i)
      if (!w->hedges[i].counterparty.empty())
        check_reference(
            counterparty_ids, "counterparty", w->hedges[i].counterparty,
            member_path(element_path(member_path(member_path(path, "structure"), "hedges"), i), "counterparty"),
            problems);
  // A waterfall deal names its GPU types, unless every contract leases capacity in megawatts (a powered-shell deal).
  const auto contracts_value = value.find("contracts");
  const bool capacity_only =
      value.is_object() && contracts_value != value.end() && contracts_value->is_array() && !contracts_value->empty() &&
      std::all_of(contracts_value->begin(), contracts_value->end(),
                  [](const Json& contract) { return contract.is_object() && contract.contains("megawatts"); });
  IdRegistry site_ids("site");
  if (auto sites = object.optional("sites")) {
    if (structure && !waterfall)
      problems.add(sites->path, "sites are for waterfall deals");
    else
      deal.sites = read_sites(*sites, problems);
    for (const auto& site : deal.sites)
      if (!site_ids.contains(site.id)) site_ids.add(site.id, sites->path, problems);
  }
  // References to sites are judged only when every site was read with its id.
  const bool sites_read = sites_known(deal, member_path(path, "sites"), problems);
  deal.gpu_types = read_gpu_types(object, waterfall && !capacity_only, gpu_ids, sites_read ? &site_ids : nullptr);
  deal.fleet = read_fleet(object, gpu_ids, t0, waterfall);
  auto contracts = read_contracts(object, contract_ids, counterparty_ids, gpu_ids);
  if (structure) check_contract_exposures(contracts, waterfall, problems);
  // Claims run to each contract's end on the deal's curve: like a legal maturity, within 100 years.
  if (t0)
    for (const auto& read : contracts)
      if (read.contract.end_date > add_months(*t0, 12 * max_term_years) &&
          !problems.any_at_or_under(member_path(read.path, "end_date")))
        problems.add(member_path(read.path, "end_date"),
                     fmt::format("expected a date within {} years of valuation_date, got {}", max_term_years,
                                 format_date(read.contract.end_date)));
  for (auto& read : contracts) {
    if (structure && !waterfall && !read.contract.cohort.empty())
      problems.add(member_path(read.path, "cohort"), "deliveries are for waterfall deals");
    deal.contracts.push_back(std::move(read.contract));
  }

  deal.power_purchases =
      read_power_purchases(object, counterparty_ids, sites_read ? &site_ids : nullptr, structure && !waterfall);
  if (auto facilities = object.optional("facilities")) {
    if (structure && !waterfall)
      problems.add(facilities->path, "facilities are for waterfall deals");
    else
      deal.facilities = read_facilities(*facilities, problems, sites_read ? &deal.sites : nullptr);
  }
  if (t0 && !problems.any_at_or_under(member_path(path, "facilities"))) check_facilities(deal, path, problems);

  if (deal.fleet && t0 && capacity_inputs_valid(deal, path, problems))
    check_fleet_capacity(deal, member_path(path, "fleet"), problems);
  if (const auto* w = std::get_if<Waterfall>(&deal.structure); w && t0 && w->payment_frequency_months > 0)
    check_deliveries(deal, *w, path, problems);
  if (const auto* w = std::get_if<Waterfall>(&deal.structure))
    check_rating_factor_ratings(deal, *w, member_path(path, "structure"), problems);
  return deal;
}

}  // namespace computedebt::io::detail
