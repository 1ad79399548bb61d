#pragma once
// The readers of the deal file's two parts and the checks that span both. Private to the io stage.

#include <computedebt/assumptions/assumptions.hpp>
#include <computedebt/deal/deal.hpp>

#include "json_reader.hpp"

namespace computedebt::io::detail {

/// Reads `deal`, checking everything that lies within it (ids, references, dates, fleet capacity, grid).
deal::Deal read_deal(const Json& value, const std::string& path, Problems& problems);

/// Reads an amortisation: bullet, level or schedule.
std::optional<deal::Amortization> read_amortization(const Field& field, Problems& problems);

/// Reads a tranche's anticipated repayment date, which must fall on or before its legal maturity.
std::optional<deal::AnticipatedRepayment> read_anticipated_repayment(const Field& field, Date legal_maturity,
                                                                     Problems& problems);

/// Reads the waterfall's accounts, priority of payments and covenants into `structure`, whose tranches and
/// payment frequency are already read, and checks every name they refer to.
void read_term_sheet(ObjectReader& object, deal::Waterfall& structure);

/// Reads a covenant's or margin grid's metric.
std::optional<deal::CovenantMetric> read_metric(const Field& field, Problems& problems);

/// Reads a tranche's floating rate: index, margin, floor, cap and margin grid.
std::optional<deal::FloatingRate> read_floating_rate(const Field& field, Problems& problems);

/// Reads the waterfall's hedges, checking their names, tranche notionals and end dates against `structure`, whose
/// tranches and payment frequency are already read. Counterparties and indices are checked by the callers.
std::vector<deal::Hedge> read_hedges(const Field& field, Problems& problems, const deal::Waterfall& structure,
                                     std::optional<Date> t0);

/// Reads a tranche's delayed-draw terms; the draws' cohorts are checked by `check_deliveries`.
std::optional<deal::DelayedDraw> read_delayed_draw(const Field& field, Problems& problems);

/// Reads the deal's data-centre facilities (docs/deal_format.md section 3.8), their ids unique and their sites among
/// `sites` (null: the sites could not be read, and references to them are not judged).
std::vector<deal::Facility> read_facilities(const Field& field, Problems& problems,
                                            const std::vector<deal::Site>* sites);

/// Reads the deal's sites and their behind-the-meter generation (docs/deal_format.md section 3.9), their ids unique.
std::vector<deal::Site> read_sites(const Field& field, Problems& problems);

/// Whether `deal.sites` (at `sites_path`) was read whole, every site with its id: only then can a reference to a
/// site be judged, so that one mistake gives one message.
bool sites_known(const deal::Deal& deal, const std::string& sites_path, const Problems& problems);

/// Checks the capacity leases against the facilities: each names one when the deal has any, starts once it is
/// commissioned, and together they fit in its megawatts on every day from the valuation date on.
void check_facilities(const deal::Deal& deal, const std::string& path, Problems& problems);

/// Reads the deliveries' random delays (docs/deal_format.md section 5.13).
std::optional<assumptions::DeliveryDelay> read_delivery_delay(const Field& field, Problems& problems);

/// Checks that every cohort `delay` names is a delivery of `deal`, a waterfall deal.
void check_delivery_delay(const deal::Deal& deal, const assumptions::DeliveryDelay& delay, const std::string& path,
                          Problems& problems);

/// Checks the deliveries (cohorts acquired after `t0`), the contracts that need them and the draws that fund them
/// (docs/deal_format.md section 4.15).
void check_deliveries(const deal::Deal& deal, const deal::Waterfall& structure, const std::string& path,
                      Problems& problems);

/// Reads the assumptions' `rate_indices`: quotes and optional Hull-White dynamics, whose loadings name `factors`.
std::map<std::string, assumptions::RateIndex> read_rate_indices(const Field& field, Problems& problems,
                                                                const assumptions::Factors& factors,
                                                                bool correlation_valid);

/// A tenor key `nM` or `nY`, `n` from 1 to 999.
std::optional<assumptions::Tenor> parse_tenor(const std::string& key);

/// A map of tenor keys to numbers in `range`, in maturity order, no two for the same maturity (`12M` and `1Y`);
/// nothing if any entry is bad.
std::optional<std::vector<std::pair<assumptions::Tenor, double>>> read_tenor_map(const Field& field, Problems& problems,
                                                                                 const Range& range);

/// Loadings by factor name, each known to `factors`; `strict_limit` requires `a' Sigma a < 1`, else `<= 1`.
std::optional<assumptions::FactorLoadings> read_loadings(const Field& field, Problems& problems,
                                                         const assumptions::Factors& factors, bool correlation_valid,
                                                         bool strict_limit);

/// Reads `assumptions`, checking everything within it (correlation, loadings against the factors).
assumptions::Assumptions read_assumptions(const Json& value, const std::string& path, Problems& problems);

/// Checks between the two parts: sectors the counterparties name, credit keys, curve sources for every
/// counterparty, GPU market entries.
void check_deal_against_assumptions(const deal::Deal& deal, const assumptions::Assumptions& assumptions,
                                    const std::string& assumptions_path, Problems& problems);

}  // namespace computedebt::io::detail
