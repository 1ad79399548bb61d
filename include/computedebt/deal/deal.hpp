#pragma once
/// \file
/// The terms of a deal: what a lawyer could read off the documents.

#include <computedebt/core/date.hpp>
#include <computedebt/deal/contract.hpp>
#include <computedebt/deal/counterparty.hpp>
#include <computedebt/deal/facility.hpp>
#include <computedebt/deal/fleet.hpp>
#include <computedebt/deal/gpu_type.hpp>
#include <computedebt/deal/power_purchase.hpp>
#include <computedebt/deal/site.hpp>
#include <computedebt/deal/structure.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace computedebt::deal {

/// A compute-backed financing: counterparties, GPUs, offtake contracts and the liability structure.
struct Deal {
  std::string name;
  Date valuation_date;  ///< `t0`.
  std::string currency = "USD";
  std::vector<Counterparty> counterparties;
  std::vector<GpuType> gpu_types;
  std::optional<std::vector<FleetCohort>> fleet;  ///< When absent, see `effective_fleet`.
  std::vector<Contract> contracts;
  std::vector<PowerPurchase> power_purchases;  ///< Fixed-price PPAs; waterfall deals only.
  std::vector<Facility> facilities;            ///< Data-centre facilities; waterfall deals only.
  std::vector<Site> sites;                     ///< Sites with their own power; waterfall deals only.
  Structure structure;

  bool operator==(const Deal&) const = default;
};

/// The most GPUs of `gpu_type` under running contracts on any one day on or after the valuation date.
struct PeakUsage {
  std::int64_t gpus = 0;  ///< The peak count.
  Date date;              ///< The first day it is reached (the valuation date when no contract runs).
};

/// Peak number of GPUs of a type leased at once, counting days from the valuation date on.
PeakUsage peak_gpus_under_contract(const Deal& deal, std::string_view gpu_type);

/// The deal's fleet, or when it gives none, per GPU type the peak number under contract, acquired at `t0`.
std::vector<FleetCohort> effective_fleet(const Deal& deal);

}  // namespace computedebt::deal
