#pragma once
/// \file
/// How a debt tranche's scheduled balance falls.

#include <variant>
#include <vector>

namespace computedebt::deal {

/// The whole notional is due at the legal maturity.
struct Bullet {
  bool operator==(const Bullet&) const = default;
};

/// Straight-line amortisation to zero over `term_months`.
struct Level {
  int term_months;  ///< A multiple of the payment frequency, ending by the legal maturity.

  bool operator==(const Level&) const = default;
};

/// Target balances after each payment date, as fractions of the notional; zero after the last.
struct Schedule {
  std::vector<double> balances;  ///< Non-increasing, each in [0, 1].

  bool operator==(const Schedule&) const = default;
};

/// One of the amortisation types of the deal format.
using Amortization = std::variant<Bullet, Level, Schedule>;

}  // namespace computedebt::deal
