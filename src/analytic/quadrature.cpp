#include <computedebt/analytic/quadrature.hpp>

#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <algorithm>
#include <cmath>

namespace computedebt::analytic {

namespace {

constexpr unsigned kronrod_points = 61;
using Kronrod = boost::math::quadrature::gauss_kronrod<double, kronrod_points>;
// The Gauss rule of even order `(N - 1) / 2`: its nodes are the Kronrod abscissas of odd index, not 0.
using Gauss = boost::math::quadrature::gauss<double, (kronrod_points - 1) / 2>;
static_assert(((kronrod_points - 1) / 2) % 2 == 0);

struct Piece {
  double a, b;
  std::vector<double> value;  ///< The Kronrod estimate.
  double error;
};

}  // namespace

double norm(std::span<const double> values, std::size_t loss_size) {
  double loss = 0.0, count = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) (i < loss_size ? loss : count) += std::abs(values[i]);
  return std::max(loss, count);
}

Integral integrate(const Integrand& f, double a, double b, std::size_t size, std::size_t loss_size, double tolerance,
                   std::size_t max_pieces) {
  const auto& x = Kronrod::abscissa();
  const auto& kronrod_weight = Kronrod::weights();
  const auto& gauss_weight = Gauss::weights();
  std::vector<double> at(size), gauss(size);
  Integral result;
  const auto evaluate = [&](double from, double to) {
    Piece piece{from, to, std::vector<double>(size, 0.0), 0.0};
    const double mid = (from + to) / 2, half = (to - from) / 2;
    std::fill(gauss.begin(), gauss.end(), 0.0);
    for (std::size_t i = 0; i < x.size(); ++i)
      for (const double sign : {1.0, -1.0}) {
        if (i == 0 && sign < 0.0) continue;
        f(mid + sign * half * x[i], at);
        ++result.evaluations;
        for (std::size_t k = 0; k < size; ++k) piece.value[k] += kronrod_weight[i] * at[k];
        if (i % 2 == 1)
          for (std::size_t k = 0; k < size; ++k) gauss[k] += gauss_weight[i / 2] * at[k];
      }
    for (std::size_t k = 0; k < size; ++k) {
      piece.value[k] *= half;
      gauss[k] = piece.value[k] - gauss[k] * half;
    }
    piece.error = norm(gauss, loss_size);
    return piece;
  };

  std::vector<Piece> pieces{evaluate(a, b)};
  std::vector<double> total = pieces[0].value;
  double error = pieces[0].error;
  while (error > tolerance * norm(total, loss_size) && pieces.size() < max_pieces) {
    const auto worst =
        static_cast<std::size_t>(std::max_element(pieces.begin(), pieces.end(),
                                                  [](const Piece& l, const Piece& r) { return l.error < r.error; }) -
                                 pieces.begin());
    const double from = pieces[worst].a, to = pieces[worst].b, mid = (from + to) / 2;
    for (std::size_t k = 0; k < size; ++k) total[k] -= pieces[worst].value[k];
    error -= pieces[worst].error;
    pieces[worst] = evaluate(from, mid);
    pieces.push_back(evaluate(mid, to));
    for (const std::size_t p : {worst, pieces.size() - 1}) {
      for (std::size_t k = 0; k < size; ++k) total[k] += pieces[p].value[k];
      error += pieces[p].error;
    }
  }
  // The sums again, free of the running updates' rounding.
  result.value.assign(size, 0.0);
  result.error = 0.0;
  for (const auto& piece : pieces) {
    for (std::size_t k = 0; k < size; ++k) result.value[k] += piece.value[k];
    result.error += piece.error;
  }
  return result;
}

}  // namespace computedebt::analytic
