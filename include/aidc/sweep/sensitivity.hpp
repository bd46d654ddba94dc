#pragma once
//! Sensitivity of a sweep's KPIs to its parameters: Sobol first- and total-order indices
//! (saltelli designs), Morris μ*/σ (morris designs), with bootstrap confidence intervals, and a
//! simple scenario-discovery table (any design).

#include <Eigen/Dense>

#include <cstdint>
#include <string>
#include <vector>

#include "aidc/sweep/merge.hpp"

namespace aidc::sweep {

//! A value and its bootstrap percentile interval.
struct Estimate {
  double value = 0.0, low = 0.0, high = 0.0;
};

struct SobolIndex {
  Estimate first;  //!< S_i (Saltelli 2010 estimator)
  Estimate total;  //!< S_Ti (Jansen 1999 estimator)
};

struct MorrisIndex {
  Estimate mu_star;   //!< mean |elementary effect|, per unit of the parameter's [0, 1] quantile scale
  double sigma = 0.0; //!< standard deviation of the elementary effects
};

//! Sobol indices from a Saltelli sample: y has one row per base draw and k + 2 columns,
//! f(A), f(B), f(AB_1)… f(AB_k). `bootstrap` resamples the rows (percentile intervals at
//! `confidence`), reproducibly from `seed`. Cost O(bootstrap × rows × k).
std::vector<SobolIndex> sobol_indices(const Eigen::MatrixXd& y, std::size_t bootstrap, double confidence,
                                      std::uint64_t seed = 1);

//! Morris indices: effects[i] holds parameter i's elementary effects, one per trajectory.
std::vector<MorrisIndex> morris_indices(const std::vector<std::vector<double>>& effects, std::size_t bootstrap,
                                        double confidence, std::uint64_t seed = 1);

struct AnalysisOptions {
  std::vector<std::string> kpis;  //!< empty: a few key ones
  std::size_t bootstrap_samples = 1000;
  double confidence = 0.95;
};

//! The analysis of a sweep as Markdown: per KPI, the noise (with replications: the pooled
//! standard deviation between the replications of a point, its share of the variance of single
//! runs and of the point means; with independent seeds, total indices no larger than twice that
//! share are marked as noise, with a warning), the indices its design supports (Sobol for
//! saltelli, flagged below 64 base draws; Morris for morris) and the scenario-discovery table
//! (the parameters of the top decile of runs against all). Throws std::runtime_error for an unknown KPI or too few runs.
std::string format_analysis(const SweepResults& results, const AnalysisOptions& options);

}  // namespace aidc::sweep
