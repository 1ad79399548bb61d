#include "quantlib_bridge.hpp"

#include <ql/indexes/ibor/estr.hpp>
#include <ql/indexes/ibor/sofr.hpp>
#include <ql/indexes/ibor/sonia.hpp>
#include <ql/math/interpolations/backwardflatinterpolation.hpp>
#include <ql/math/interpolations/loginterpolation.hpp>
#include <ql/quotes/simplequote.hpp>
#include <ql/termstructures/credit/defaultprobabilityhelpers.hpp>
#include <ql/termstructures/credit/piecewisedefaultcurve.hpp>
#include <ql/termstructures/yield/oisratehelper.hpp>
#include <ql/termstructures/yield/piecewiseyieldcurve.hpp>
#include <ql/termstructures/yield/ratehelpers.hpp>
#include <ql/termstructures/yield/zeroyieldstructure.hpp>
#include <ql/time/calendars/weekendsonly.hpp>
#include <ql/time/daycounters/actual360.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>

namespace computedebt::calibration::detail {

namespace {

std::recursive_mutex quantlib_mutex;

/// The deal's own zero-rate function as a QuantLib curve, so that QuantLib discounts exactly as we do.
class DealZeroCurve : public QuantLib::ZeroYieldStructure {
 public:
  DealZeroCurve(const QuantLib::Date& reference, assumptions::DiscountCurve curve)
      : ZeroYieldStructure(reference, QuantLib::Calendar(), QuantLib::Actual365Fixed()), curve_(std::move(curve)) {}
  QuantLib::Date maxDate() const override { return QuantLib::Date::maxDate(); }

 protected:
  QuantLib::Rate zeroYieldImpl(QuantLib::Time t) const override { return assumptions::zero_rate(curve_, t); }

 private:
  assumptions::DiscountCurve curve_;
};

}  // namespace

QuantLib::Date to_quantlib(Date date) {
  return {static_cast<QuantLib::Day>(static_cast<unsigned>(date.day())),
          static_cast<QuantLib::Month>(static_cast<unsigned>(date.month())),
          static_cast<QuantLib::Year>(static_cast<int>(date.year()))};
}

Date from_quantlib(const QuantLib::Date& date) {
  return Date{std::chrono::year{date.year()}, std::chrono::month{static_cast<unsigned>(date.month())},
              std::chrono::day{static_cast<unsigned>(date.dayOfMonth())}};
}

QuantLibSession::QuantLibSession(Date t0) : lock_(quantlib_mutex) {
  QuantLib::Settings::instance().evaluationDate() = to_quantlib(t0);
}

QuantLib::ext::shared_ptr<QuantLib::YieldTermStructure> make_discount_curve(Date t0,
                                                                            const assumptions::DiscountCurve& curve) {
  return QuantLib::ext::make_shared<DealZeroCurve>(to_quantlib(t0), curve);
}

CdsBootstrap bootstrap_cds_curve(Date t0, const assumptions::CdsSpreads& cds,
                                 const QuantLib::Handle<QuantLib::YieldTermStructure>& discount) {
  using namespace QuantLib;
  std::vector<ext::shared_ptr<DefaultProbabilityHelper>> helpers;
  for (const auto& quote : cds.quotes) {
    const Period tenor(quote.tenor.length, quote.tenor.in_years ? Years : Months);
    helpers.push_back(ext::make_shared<SpreadCdsHelper>(
        quote.spread_bp / 10000.0, tenor, 0, WeekendsOnly(), Quarterly, Following, DateGeneration::CDS2015, Actual360(),
        cds.cds_recovery, discount, true, true, QuantLib::Date(), Actual360(true), true, CreditDefaultSwap::Midpoint));
  }
  auto curve =
      ext::make_shared<PiecewiseDefaultCurve<HazardRate, BackwardFlat>>(to_quantlib(t0), helpers, Actual365Fixed());
  curve->enableExtrapolation();
  curve->recalculate();  // Bootstrap now, so that a failure surfaces here.
  return {curve, helpers};
}

QuantLib::ext::shared_ptr<QuantLib::YieldTermStructure> bootstrap_index_curve(Date t0,
                                                                              const assumptions::RateIndex& index) {
  using namespace QuantLib;
  ext::shared_ptr<OvernightIndex> overnight;
  Natural swap_settlement = 2;  // SOFR and ESTR swaps settle T+2, SONIA swaps T+0.
  switch (index.conventions) {
    case assumptions::OvernightIndex::sofr:
      overnight = ext::make_shared<Sofr>();
      break;
    case assumptions::OvernightIndex::sonia:
      overnight = ext::make_shared<Sonia>();
      swap_settlement = 0;
      break;
    case assumptions::OvernightIndex::estr:
      overnight = ext::make_shared<Estr>();
      break;
  }
  const auto quote = [](double rate) { return Handle<Quote>(ext::make_shared<SimpleQuote>(rate)); };
  const auto period = [](const assumptions::Tenor& tenor) {
    return Period(tenor.length, tenor.in_years ? Years : Months);
  };
  std::vector<ext::shared_ptr<RateHelper>> helpers;
  for (const auto& deposit : index.deposits)
    helpers.push_back(ext::make_shared<DepositRateHelper>(quote(deposit.rate), period(deposit.tenor),
                                                          overnight->fixingDays(), overnight->fixingCalendar(),
                                                          ModifiedFollowing, false, overnight->dayCounter()));
  for (const auto& swap : index.ois_swaps)
    helpers.push_back(
        ext::make_shared<OISRateHelper>(swap_settlement, period(swap.tenor), quote(swap.rate), overnight));
  auto curve = ext::make_shared<PiecewiseYieldCurve<Discount, LogLinear>>(to_quantlib(t0), helpers, Actual365Fixed());
  curve->enableExtrapolation();
  curve->recalculate();  // Bootstrap now, so that a failure surfaces here.
  return curve;
}

}  // namespace computedebt::calibration::detail
