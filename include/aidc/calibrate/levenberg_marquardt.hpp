#pragma once
//! Bounded nonlinear least squares: Levenberg–Marquardt (Eigen) on a logistic change of variables.

#include <Eigen/Dense>
#include <functional>

namespace aidc {

struct LmOptions {
  int max_iterations = 40;
  double initial_damping = 1e-2;
  double difference_step = 1e-2;   //!< forward-difference step in the unbounded variables
  double cost_tolerance = 1e-10;   //!< stop when the cost improves by less than this (relative)
};

struct LmResult {
  Eigen::VectorXd x;      //!< the best point found, within the bounds
  Eigen::VectorXd residuals;
  double cost = 0.0;      //!< ½ Σ r²
  int iterations = 0;
  int evaluations = 0;
};

//! Minimizes ½‖r(x)‖² for lower ≤ x ≤ upper from `start` (strictly inside the bounds: it is
//! moved in by 1e-6 of the range if not). Each x is written x = lower + (upper − lower) / (1 +
//! e^(−u)) and u is searched: the Jacobian in u by forward differences, the step from
//! (JᵀJ + μ diag(JᵀJ) + μ·1e-12 I) δ = −Jᵀr, accepted when the cost falls (μ ← μ/3), else μ ← μ·4.
//! `residuals(x, r)` fills r (its size fixed by the first call). Deterministic.
LmResult levenberg_marquardt(const std::function<void(const Eigen::VectorXd&, Eigen::VectorXd&)>& residuals,
                             const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                             const Eigen::VectorXd& start, const LmOptions& options = {});

}  // namespace aidc
