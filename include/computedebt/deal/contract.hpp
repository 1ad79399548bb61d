#pragma once
/// \file
/// A take-or-pay offtake contract, optionally guaranteed.

#include <computedebt/core/date.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace computedebt::deal {

/// A third party's promise to pay the contract if its counterparty defaults.
struct Guarantee {
  std::string guarantor;       ///< A counterparty id, other than the contract's own.
  std::optional<double> cap;   ///< Most the guarantor pays in total; unlimited when absent.
  std::optional<Date> expiry;  ///< The guarantee ends in the month containing it; never when absent.

  bool operator==(const Guarantee&) const = default;
};

/// The GPU capacity a contract leases.
struct GpuLease {
  std::string gpu_type;       ///< A `GpuType::id`.
  std::int64_t gpu_count;     ///< GPUs reserved for the contract (> 0).
  double price_per_gpu_hour;  ///< Rate in the first contract year, per GPU-hour (>= 0).

  bool operator==(const GpuLease&) const = default;
};

/// Who pays for the power a capacity lease's tenant draws (docs/methodology.md section 4.10).
enum class CapacityPower {
  pass_through,  ///< The tenant buys it: the SPV neither pays nor bills it.
  included,      ///< The SPV buys it at the site's price; the capacity price covers it.
  cost_plus,     ///< The SPV buys it and bills the tenant its cost times `1 + power_margin`.
};

/// Data-centre capacity a contract leases: critical IT load priced per kW-month.
struct CapacityLease {
  double megawatts = 0.0;           ///< Critical IT load leased (> 0).
  double price_per_kw_month = 0.0;  ///< Rate in the first contract year, per kW per calendar month (>= 0).
  CapacityPower power = CapacityPower::pass_through;
  double power_margin = 0.0;  ///< `cost_plus` only: the mark-up on the power's cost (>= 0).
  double load_factor = 1.0;   ///< Average share of the leased load drawn, in (0, 1]: the energy the SPV buys.
  std::string facility{};     ///< The `Facility::id` it leases in; empty when the deal has no facilities.

  bool operator==(const CapacityLease&) const = default;
};

/// A long-term take-or-pay lease of GPU capacity or of data-centre capacity, running over `[start_date, end_date)`.
struct Contract {
  std::string id;                      ///< Unique within the deal.
  std::string counterparty;            ///< A counterparty id: who pays.
  std::optional<Guarantee> guarantee;  ///< Backstop by another counterparty.
  std::optional<GpuLease> lease;       ///< GPU-hours; a waterfall deal's contract has this or `capacity`.
  Date start_date;                     ///< Before the valuation date for a seasoned lease.
  Date end_date;                       ///< After `start_date`; the first day no longer leased.
  double annual_escalator = 0.0;       ///< Rate rises by `(1 + escalator)` on each contract anniversary.
  bool power_pass_through = true;      ///< GPU leases: the customer pays the power.
  std::optional<double> notional;      ///< Loss-tranche exposure; ignored in waterfall deals.
  std::string cohort{};  ///< The delivery (a `FleetCohort::id`) the lease needs: cancelled with it; empty for none.
  std::optional<CapacityLease> capacity{};  ///< Megawatts instead of GPU-hours.

  bool operator==(const Contract&) const = default;
};

}  // namespace computedebt::deal
