#include "aidc/sweep/prcc.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <numeric>

namespace aidc::sweep {

Eigen::VectorXd ranks(const Eigen::VectorXd& values) {
  const auto n = values.size();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return values[a] < values[b]; });
  Eigen::VectorXd out(n);
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    const double mean_rank = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t t = i; t <= j; ++t) out[order[t]] = mean_rank;
    i = j + 1;
  }
  return out;
}

std::vector<PartialRankCorrelation> partial_rank_correlations(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  const Eigen::Index n = x.rows(), k = x.cols();
  Eigen::MatrixXd rx(n, k);
  for (Eigen::Index j = 0; j < k; ++j) rx.col(j) = ranks(x.col(j));
  const Eigen::VectorXd ry = ranks(y);
  std::vector<PartialRankCorrelation> out(static_cast<std::size_t>(k));
  const double df = static_cast<double>(n - k - 1);
  for (Eigen::Index i = 0; i < k; ++i) {
    // The intercept and the other parameters' ranks.
    Eigen::MatrixXd z(n, k);
    z.col(0).setOnes();
    for (Eigen::Index j = 0, c = 1; j < k; ++j) {
      if (j != i) z.col(c++) = rx.col(j);
    }
    const auto qr = z.colPivHouseholderQr();
    const Eigen::VectorXd ex = rx.col(i) - z * qr.solve(Eigen::VectorXd(rx.col(i)));
    const Eigen::VectorXd ey = ry - z * qr.solve(ry);
    const double nx = ex.norm(), ny = ey.norm(), scale = static_cast<double>(n);
    PartialRankCorrelation& p = out[static_cast<std::size_t>(i)];
    if (nx <= 1e-9 * scale || ny <= 1e-9 * scale) {
      p.value = p.p_value = NAN;
      continue;
    }
    p.value = std::clamp(ex.dot(ey) / (nx * ny), -1.0, 1.0);
    if (df < 1) {
      p.p_value = NAN;
    } else if (std::abs(p.value) >= 1.0) {
      p.p_value = 0.0;
    } else {
      const double t = p.value * std::sqrt(df / (1.0 - p.value * p.value));
      p.p_value = 2.0 * boost::math::cdf(
                            boost::math::complement(boost::math::students_t_distribution<double>(df), std::abs(t)));
    }
  }
  return out;
}

}  // namespace aidc::sweep
