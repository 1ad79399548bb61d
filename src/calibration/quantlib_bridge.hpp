#pragma once
// The calibration stage's only contact with QuantLib objects. Private to src/ (and its tests).

#include <computedebt/assumptions/credit.hpp>
#include <computedebt/assumptions/discount_curve.hpp>
#include <computedebt/assumptions/rate_index.hpp>
#include <computedebt/core/date.hpp>

#include <ql/settings.hpp>
#include <ql/termstructures/credit/defaultprobabilityhelpers.hpp>
#include <ql/termstructures/defaulttermstructure.hpp>
#include <ql/termstructures/yieldtermstructure.hpp>
#include <ql/time/date.hpp>

#include <mutex>

namespace computedebt::calibration::detail {

QuantLib::Date to_quantlib(Date date);
Date from_quantlib(const QuantLib::Date& date);

/// Holds the process-wide QuantLib lock with `evaluationDate = t0`, restoring the settings on exit.
/// QuantLib's settings are a global and its observers are not thread-safe, so every QuantLib object is
/// created and destroyed inside one session.
class QuantLibSession {
 public:
  explicit QuantLibSession(Date t0);

 private:
  std::scoped_lock<std::recursive_mutex> lock_;
  QuantLib::SavedSettings saved_;
};

/// The deal's discount curve as a QuantLib term structure (Act/365F, continuous zero rates, flat outside).
QuantLib::ext::shared_ptr<QuantLib::YieldTermStructure> make_discount_curve(Date t0,
                                                                            const assumptions::DiscountCurve& curve);

/// A bootstrapped CDS curve and the helpers it was fitted to (one per quote, in maturity order).
struct CdsBootstrap {
  QuantLib::ext::shared_ptr<QuantLib::DefaultProbabilityTermStructure> curve;
  std::vector<QuantLib::ext::shared_ptr<QuantLib::DefaultProbabilityHelper>> helpers;
};

/// The CDS quote convention of docs/methodology.md section 2.2: quarterly premiums, Following, WeekendsOnly,
/// CDS2015, Act/360, accrual paid on default, protection from `t0`.
CdsBootstrap bootstrap_cds_curve(Date t0, const assumptions::CdsSpreads& cds,
                                 const QuantLib::Handle<QuantLib::YieldTermStructure>& discount);

/// A rate index's projection curve, bootstrapped on discount factors (log-linear between pillars) from its deposits
/// and overnight-indexed swaps under the index's QuantLib conventions (docs/methodology.md section 5.5).
QuantLib::ext::shared_ptr<QuantLib::YieldTermStructure> bootstrap_index_curve(Date t0,
                                                                              const assumptions::RateIndex& index);

}  // namespace computedebt::calibration::detail
