#pragma once
//! Partial rank correlation coefficients (PRCC): how strongly and in which direction a KPI
//! rises with one parameter once the others' (linear, rank-scale) effects are taken out. They
//! suit monotone relations and any design (grid, sampled, Saltelli, Morris points).

#include <Eigen/Dense>
#include <vector>

namespace aidc::sweep {

struct PartialRankCorrelation {
  double value = 0.0;    //!< in [−1, 1]; NaN when a parameter or the KPI is constant given the others
  double p_value = 0.0;  //!< two-sided, from t = r √(df / (1 − r²)), df = n − k − 1; NaN when df < 1
};

//! Ranks (ties get their mean rank, from 1).
Eigen::VectorXd ranks(const Eigen::VectorXd& values);

//! One PRCC per column of x (n points × k parameters) against y (n values): the correlation of
//! the residuals of rank(x_i) and of rank(y), each regressed (least squares, with intercept) on
//! the ranks of the other parameters. With one parameter it is Spearman's rank correlation.
std::vector<PartialRankCorrelation> partial_rank_correlations(const Eigen::MatrixXd& x, const Eigen::VectorXd& y);

}  // namespace aidc::sweep
