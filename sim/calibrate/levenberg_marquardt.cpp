#include "aidc/calibrate/levenberg_marquardt.hpp"

#include <cmath>

namespace aidc {

namespace {
double logistic(double u) { return 1.0 / (1.0 + std::exp(-u)); }
}  // namespace

LmResult levenberg_marquardt(const std::function<void(const Eigen::VectorXd&, Eigen::VectorXd&)>& residuals,
                             const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                             const Eigen::VectorXd& start, const LmOptions& options) {
  const Eigen::Index n = start.size();
  const Eigen::VectorXd range = upper - lower;
  auto to_x = [&](const Eigen::VectorXd& u) {
    Eigen::VectorXd x(n);
    for (Eigen::Index i = 0; i < n; ++i) x[i] = lower[i] + range[i] * logistic(u[i]);
    return x;
  };
  Eigen::VectorXd u(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double s = std::clamp((start[i] - lower[i]) / range[i], 1e-6, 1.0 - 1e-6);
    u[i] = std::log(s / (1.0 - s));
  }
  LmResult result;
  Eigen::VectorXd r;
  auto evaluate = [&](const Eigen::VectorXd& at, Eigen::VectorXd& out) {
    residuals(to_x(at), out);
    ++result.evaluations;
    return 0.5 * out.squaredNorm();
  };
  double cost = evaluate(u, r);
  double mu = options.initial_damping;
  Eigen::MatrixXd jacobian(r.size(), n);
  Eigen::VectorXd r_step;
  bool done = false;
  while (!done && result.iterations < options.max_iterations) {
    ++result.iterations;
    for (Eigen::Index j = 0; j < n; ++j) {
      Eigen::VectorXd shifted = u;
      shifted[j] += options.difference_step;
      evaluate(shifted, r_step);
      jacobian.col(j) = (r_step - r) / options.difference_step;
    }
    const Eigen::MatrixXd jtj = jacobian.transpose() * jacobian;
    const Eigen::VectorXd gradient = jacobian.transpose() * r;
    bool improved = false;
    for (int attempt = 0; attempt < 10 && !improved; ++attempt) {
      Eigen::MatrixXd a = jtj;
      for (Eigen::Index i = 0; i < n; ++i) a(i, i) += mu * jtj(i, i) + mu * 1e-12;
      const Eigen::VectorXd delta = a.ldlt().solve(-gradient);
      const Eigen::VectorXd candidate = u + delta;
      const double candidate_cost = evaluate(candidate, r_step);
      if (std::isfinite(candidate_cost) && candidate_cost < cost) {
        const double gain = (cost - candidate_cost) / std::max(cost, 1e-300);
        u = candidate;
        r = r_step;
        cost = candidate_cost;
        mu = std::max(mu / 3.0, 1e-12);
        improved = true;
        done = gain < options.cost_tolerance;  // converged
      } else {
        mu *= 4.0;
      }
    }
    done = done || !improved || cost <= 0.0;  // no step helps any more: a (local) minimum
  }
  result.x = to_x(u);
  result.residuals = r;
  result.cost = cost;
  return result;
}

}  // namespace aidc
