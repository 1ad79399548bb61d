#include <computedebt/analytic/quadrature.hpp>

#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace computedebt::analytic {

Masses::Masses(double) {}

Masses::Masses(std::vector<double> values, std::size_t loss_size) : values_(std::move(values)), loss_size_(loss_size) {}

Masses& Masses::operator+=(const Masses& other) {
  if (other.values_.empty()) return *this;
  if (values_.empty()) {
    values_.assign(other.values_.size(), 0.0);
    loss_size_ = other.loss_size_;
  }
  for (std::size_t i = 0; i < values_.size(); ++i) values_[i] += other.values_[i];
  return *this;
}

Masses& Masses::operator*=(double factor) {
  for (double& x : values_) x *= factor;
  return *this;
}

double abs(const Masses& value) {
  double loss = 0.0, count = 0.0;
  for (std::size_t i = 0; i < value.values_.size(); ++i)
    (i < value.loss_size_ ? loss : count) += std::abs(value.values_[i]);
  return std::max(loss, count);
}

Integral integrate_real_line(const std::function<Masses(double)>& f, double tolerance, unsigned max_depth) {
  Integral result;
  constexpr double infinity = std::numeric_limits<double>::infinity();
  result.value = boost::math::quadrature::gauss_kronrod<double, 21>::integrate(f, -infinity, infinity, max_depth,
                                                                               tolerance, &result.error);
  return result;
}

}  // namespace computedebt::analytic
