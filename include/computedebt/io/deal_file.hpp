#pragma once
/// \file
/// A deal file: the terms and one assumption set.

#include <computedebt/assumptions/assumptions.hpp>
#include <computedebt/deal/deal.hpp>

namespace computedebt::io {

/// The current deal-file format version.
inline constexpr int format_version = 1;

/// What a deal file holds once loaded and validated.
struct DealFile {
  int format_version = io::format_version;
  deal::Deal deal;
  assumptions::Assumptions assumptions;

  bool operator==(const DealFile&) const = default;
};

}  // namespace computedebt::io
