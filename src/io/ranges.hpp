#pragma once
// The accepted range of each kind of quantity in a deal file. Bounds are generous; their job is to keep
// absurd values (1e300 GPUs, a 500% discount rate) from reaching the model as overflow or NaN.

#include "json_reader.hpp"

namespace computedebt::io::detail {

inline constexpr double max_amount = 1e15;
/// The smallest positive amount: one hundredth of the currency unit. A notional, price or investment below a cent
/// is a typo, and one near the smallest double (5e-324) turns a money multiple or an IRR into NaN or 1e23%
/// (docs/deal_format.md section 1, "Ranges").
inline constexpr double min_positive_amount = 0.01;

inline constexpr Range positive_amount{min_positive_amount, max_amount, true, true,
                                       "a positive amount in [0.01, 1e15]"};
inline constexpr Range non_negative_amount{0.0, max_amount, true, true, "an amount >= 0 (at most 1e15)"};
inline constexpr Range interest_rate{-1.0, 1.0, true, true, "a rate in [-1, 1]"};
inline constexpr Range coupon_rate{0.0, 1.0, true, true, "a coupon in [0, 1]"};
inline constexpr Range escalator{-1.0, 1.0, false, true, "an annual escalator in (-1, 1]"};
inline constexpr Range hazard{0.0, 10.0, true, true, "a hazard rate in [0, 10] per year"};
inline constexpr Range horizon{0.0, 100.0, false, true, "a number of years in (0, 100]"};
inline constexpr Range age_or_time{0.0, 100.0, true, true, "a number of years in [0, 100]"};
inline constexpr Range decline{0.0, 10.0, true, true, "an annual decline in [0, 10]"};
inline constexpr Range rent_decline{-1.0, 10.0, true, true, "an annual decline in [-1, 10]"};
inline constexpr Range volatility{0.0, 5.0, true, true, "a volatility in [0, 5]"};
inline constexpr Range loading{-1.0, 1.0, true, true, "a factor loading in [-1, 1]"};
inline constexpr Range multiplier{0.0, 1000.0, true, true, "a multiplier in [0, 1000]"};
inline constexpr Range positive_multiplier{0.0, 1000.0, false, true, "a multiplier in (0, 1000]"};
inline constexpr Range jump_intensity{0.0, 100.0, true, true, "a jump intensity in [0, 100] per year"};
inline constexpr Range spread_bp{0.0, 1e5, false, true, "a spread in (0, 100000] bp"};
// Below 0.1 the chi-squared mixing variable underflows to 0 on some paths.
inline constexpr Range degrees_of_freedom{0.1, 1e6, true, true, "degrees of freedom in [0.1, 1e6]"};
inline constexpr Range power_kw{0.0, 1000.0, true, true, "a power draw in [0, 1000] kW"};
inline constexpr Range megawatts{0.0, 1e5, false, true, "a load in (0, 100000] MW"};
inline constexpr Range power_margin{0.0, 10.0, true, true, "a margin in [0, 10]"};
inline constexpr Range load_factor{0.0, 1.0, false, true, "a load factor in (0, 1]"};
inline constexpr Range pue{1.0, 10.0, true, true, "a PUE in [1, 10]"};
inline constexpr Range months_of_interest{0.0, 120.0, true, true, "a number of months in [0, 120]"};
inline constexpr Range trigger_ratio{0.0, 1000.0, true, true, "a ratio in [0, 1000]"};

inline constexpr std::int64_t max_count = 1'000'000'000;
inline constexpr std::int64_t max_lag_months = 600;
inline constexpr int max_term_years = 100;

}  // namespace computedebt::io::detail
