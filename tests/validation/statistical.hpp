#pragma once
// Statistical comparisons at a fixed seed, with failure messages that print calculated, expected, tolerance
// and seed.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

namespace computedebt::test_support {

/// Expects `calculated` within `sigmas` standard errors (plus an absolute `slack`) of `expected`.
inline void expect_within(const std::string& what, double calculated, double expected, double standard_error,
                          std::uint32_t seed, double sigmas = 4.0, double slack = 0.0) {
  const double tolerance = sigmas * standard_error + slack;
  EXPECT_LE(std::abs(calculated - expected), tolerance)
      << what << ": calculated " << calculated << ", expected " << expected << ", tolerance " << tolerance << " ("
      << sigmas << " standard errors of " << standard_error << (slack > 0 ? " plus " + std::to_string(slack) : "")
      << "), seed " << seed;
}

}  // namespace computedebt::test_support
