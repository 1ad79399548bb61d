#pragma once
/// \file
/// The conditional loss and default-count distributions given the factors: the Andersen-Sidenius-Basu recursion
/// over names, which are independent given the factors (docs/methodology.md section 6.6).

#include <computedebt/analytic/loss_lattice.hpp>

#include <span>

namespace computedebt::analytic {

/// Fills `loss` (`lattice.max_units + 1` entries, the probability of each lattice loss) and `count`
/// (`names + 1` entries, the probability of each number of defaulted names) given `probabilities`, the
/// conditional default probabilities of every group at `lattice.months` (`default_probabilities`). Names are
/// added one at a time: `P'(u) = P(u) (1 - sum_o p_o) + sum_o p_o P(u - n_o)`.
void conditional_distributions(const LossLattice& lattice, std::span<const double> probabilities,
                               std::span<double> loss, std::span<double> count);

}  // namespace computedebt::analytic
