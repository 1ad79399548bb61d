#pragma once
/// \file
/// A party that owes contract payments or guarantees them.

#include <computedebt/deal/rating.hpp>

#include <optional>
#include <string>

namespace computedebt::deal {

/// A lessee or guarantor of the offtake contracts.
struct Counterparty {
  std::string id;                ///< Unique within the deal.
  std::string sector;            ///< Its sector's defaults apply; empty for none: no loadings, recovery 0.4.
  std::optional<Rating> rating;  ///< Public or shadow rating; the credit curve when no other source is given.

  bool operator==(const Counterparty&) const = default;
};

}  // namespace computedebt::deal
