#pragma once
//! Sensitivity of a sweep's KPIs to its parameters: Sobol first- and total-order indices
//! (saltelli designs), Morris μ*/σ (morris designs), with bootstrap confidence intervals, and a
//! simple scenario-discovery table (any design).

#include <Eigen/Dense>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "aidc/sweep/merge.hpp"
#include "aidc/sweep/prcc.hpp"
#include "aidc/sweep/prim.hpp"

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
  double prim_quantile = 0.9;  //!< PRIM's cases of interest: KPI ≥ this quantile
};

//! How much of a KPI's variation is noise: the pooled variance between the replications of a
//! design point, against the variance of single runs and of the point means analysed.
struct Noise {
  bool measured = false;     //!< false without replications
  double within = 0.0;       //!< pooled within-point variance (one run)
  double share_runs = NAN;   //!< within / variance of single runs
  double share_means = NAN;  //!< (within / replications) / variance of the point means
};

//! Everything `analyze` says of one KPI, per parameter in the sweep file's order.
struct KpiAnalysis {
  std::string kpi;
  std::vector<double> point_values;  //!< the KPI per design point: the mean of its replications (NaN: none)
  Noise noise;
  double noise_floor = NAN;          //!< independent seeds: a total index no larger is noise
  std::size_t base_draws = 0;        //!< saltelli: the complete base draws
  std::vector<SobolIndex> sobol;     //!< saltelli designs only
  std::vector<MorrisIndex> morris;   //!< morris designs only
  std::vector<std::size_t> morris_effects;  //!< elementary effects per parameter
  std::size_t points = 0;            //!< design points with the KPI, for PRCC and PRIM
  std::vector<bool> ordinal;         //!< parameters whose values are not numbers (their list's order is used)
  std::vector<double> range_low, range_high;  //!< each parameter's range over those points
  std::vector<PartialRankCorrelation> prcc;   //!< empty below k + 3 points
  std::optional<PrimBox> prim;                //!< none below 20 points
};

//! The KPIs to analyze: options.kpis, or a few key ones the runs recorded. Throws
//! std::runtime_error for a KPI no run recorded (with a suggestion).
std::vector<std::string> analysis_kpis(const SweepResults& results, const AnalysisOptions& options);
//! The same, given the KPI names the runs recorded (in the order they first appear, run by run).
std::vector<std::string> analysis_kpis(const std::vector<std::string>& recorded, const AnalysisOptions& options);

//! DIR read for `analyze` and `report`: every run recorded, but of its KPIs only those analysed
//! (options.kpis, else the sweep file's outputs.kpis, else a few key ones: analysis_kpis, with
//! every KPI recorded known), and no series, so the memory is that of the numbers analysed and
//! the records are read one at a time (record_index.hpp). Sets options.kpis to those KPIs; format_analysis and
//! format_sweep_report_html then give what they give for read_sweep_directory(DIR, false).
//! Throws as read_sweep_directory, and std::runtime_error for an unknown KPI.
SweepResults read_sweep_for_analysis(const std::filesystem::path& dir, AnalysisOptions& options);

//! One KPI analysed: noise, the design's indices, PRCC, PRIM.
KpiAnalysis analyze_kpi(const SweepResults& results, const std::string& kpi, const AnalysisOptions& options);

//! Indices 0 … n−1 ordered by `key` descending (NaN last; ties keep their order): how tables rank.
std::vector<std::size_t> descending_order(const std::vector<double>& key);

//! A parameter value on PRIM's scale as text: the number, or for an ordinal parameter its value.
std::string prim_value_text(const SweepResults& results, const KpiAnalysis& analysis, std::size_t parameter,
                            double value);

//! The analysis of a sweep as Markdown: per KPI, the noise (with replications: the pooled
//! standard deviation between the replications of a point, its share of the variance of single
//! runs and of the point means; with independent seeds, total indices no larger than twice that
//! share are marked as noise, with a warning), the indices its design supports, ranked (Sobol for
//! saltelli, by total order, flagged below 64 base draws or outside [−0.05, 1.05]; Morris for
//! morris, by μ*), the PRCC of every parameter ranked by strength (prcc.hpp), the PRIM box of
//! the KPI above its `prim_quantile` (prim.hpp) and the scenario-discovery table (the parameters
//! of the top decile of runs against all). Throws std::runtime_error for an unknown KPI or too few runs.
std::string format_analysis(const SweepResults& results, const AnalysisOptions& options);

}  // namespace aidc::sweep
