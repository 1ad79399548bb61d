#pragma once
/// \file
/// A fixed-price power purchase agreement of the SPV (docs/methodology.md section 4.9).

#include <computedebt/core/date.hpp>

#include <string>

namespace computedebt::deal {

/// A fixed-price PPA settled on its volume against the market: each month the SPV pays `price_per_mwh` for
/// `volume_mwh_per_month` (pro rata over partial months in `[start_date, end_date)`) and the volume displaces grid
/// power, or is sold back, at the market price. From its counterparty's default on, the volume reverts to market.
struct PowerPurchase {
  std::string id;            ///< Unique among the deal's PPAs.
  std::string counterparty;  ///< A counterparty id: the generator.
  double volume_mwh_per_month = 0.0;
  double price_per_mwh = 0.0;
  Date start_date;
  Date end_date;     ///< After `start_date`; the first day no longer supplied.
  std::string site;  ///< The site whose price it settles against; empty: the deal's default site.

  bool operator==(const PowerPurchase&) const = default;
};

}  // namespace computedebt::deal
