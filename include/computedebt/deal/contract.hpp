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

/// A long-term take-or-pay lease of GPU capacity, running over `[start_date, end_date)`.
struct Contract {
  std::string id;                      ///< Unique within the deal.
  std::string counterparty;            ///< A counterparty id: who pays.
  std::optional<Guarantee> guarantee;  ///< Backstop by another counterparty.
  std::optional<GpuLease> lease;       ///< Required in waterfall deals.
  Date start_date;                     ///< Before the valuation date for a seasoned lease.
  Date end_date;                       ///< After `start_date`; the first day no longer leased.
  double annual_escalator = 0.0;       ///< Rate rises by `(1 + escalator)` on each contract anniversary.
  bool power_pass_through = true;      ///< The customer pays the power.
  std::optional<double> notional;      ///< Loss-tranche exposure; ignored in waterfall deals.
  std::string cohort{};  ///< The delivery (a `FleetCohort::id`) the lease needs: cancelled with it; empty for none.

  bool operator==(const Contract&) const = default;
};

}  // namespace computedebt::deal
