#pragma once
/// \file
/// `Overloaded`: one visitor for `std::visit` out of several lambdas.

namespace computedebt {

/// Calls whichever of the lambdas takes the visited alternative.
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Aggregate deduction (C++20) needs clang 17; the guide lets clang 16 deduce the lambdas' types too.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace computedebt
