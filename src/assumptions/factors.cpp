#include <computedebt/assumptions/factors.hpp>

#include <algorithm>

namespace computedebt::assumptions {

std::vector<double> dense_loadings(const Factors& factors, const FactorLoadings& loadings) {
  std::vector<double> dense(factors.names.size(), 0.0);
  for (std::size_t f = 0; f < factors.names.size(); ++f)
    if (auto found = loadings.find(factors.names[f]); found != loadings.end()) dense[f] = found->second;
  return dense;
}

double systematic_variance(const Factors& factors, const FactorLoadings& loadings) {
  const auto beta = dense_loadings(factors, loadings);
  double variance = 0.0;
  for (std::size_t a = 0; a < beta.size(); ++a)
    for (std::size_t b = 0; b < beta.size(); ++b) variance += beta[a] * factors.correlation[a][b] * beta[b];
  return variance;
}

}  // namespace computedebt::assumptions
