#pragma once
//! Fitting a scenario's parameters to target series over an ensemble of seeds with NLopt
//! (`aidcsim calibrate --method nlopt`, the default): a derivative-free global stage, then a local
//! one, within the parameters' bounds; then the fit's report and its profile scans.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "aidc/calibrate/ensemble_objective.hpp"
#include "aidc/calibrate/parameter.hpp"
#include "aidc/calibrate/target.hpp"

namespace aidc {

//! How to fit.
struct EnsembleFitOptions {
  //! The seeds of every evaluation: the same for every parameter point (common random numbers).
  std::vector<std::uint64_t> seeds;
  std::optional<FitWindow> fit_window;  //!< none: every target is in sample
  std::string global_algorithm = "GN_CRS2_LM";  //!< an NLopt global, derivative-free algorithm; "" skips the stage
  int global_evaluations = 200;                 //!< the global stage's budget of objective evaluations
  std::string local_algorithm = "LN_BOBYQA";    //!< an NLopt local, derivative-free algorithm; "" skips the stage
  int local_evaluations = 100;                  //!< the local stage's budget
  double local_tolerance = 1e-6;                //!< the local stage stops when x moves by less (relative, in [0, 1] units)
  unsigned nlopt_seed = 20240101;               //!< nlopt::srand before each stage: the fit is deterministic
  double profile_step = 0.10;                   //!< the profile scans move each parameter by ±this share of its value
  std::size_t jobs = 1;                         //!< runs at a time within an evaluation
};

//! One point of a profile scan: parameter `parameter` moved by `step` (−0.1, +0.1) of its fitted
//! value (of its range when the value is 0), clamped to its bounds, the others at the fit.
struct ProfilePoint {
  std::size_t parameter = 0;
  double step = 0.0;
  double value = 0.0;
  double objective = 0.0;
  bool clamped = false;  //!< the move would have left the bounds
};

//! What a fit found.
struct EnsembleCalibration {
  std::vector<FitParameter> parameters;
  std::vector<double> fitted;  //!< one per parameter
  std::vector<Target> targets;
  std::vector<bool> in_sample;  //!< one per target
  EnsembleFitOptions options;
  std::vector<Spread> start_spread;  //!< each target's spread across the seeds at the start
  std::vector<Spread> fitted_spread;  //!< … at the fit
  double start_objective = 0.0;
  double objective = 0.0;  //!< at the fit
  int global_evaluations = 0;  //!< evaluations each stage made
  int local_evaluations = 0;
  std::string global_result;  //!< why each stage stopped (NLopt's result)
  std::string local_result;
  std::vector<ProfilePoint> profile;

  //! Whether parameter i sits at a bound (within 0.1% of its range).
  [[nodiscard]] bool at_bound(std::size_t i) const;
  //! Profile points whose objective is below the fit's.
  [[nodiscard]] std::size_t profile_improvements() const;
};

//! Throws ScenarioError unless `name` is an NLopt algorithm the fit can use: derivative-free
//! (GN_… for the global stage, LN_… for the local one). Returns its nlopt::algorithm as an int.
int nlopt_algorithm_named(const std::string& name, bool global);

//! Fits `parameters` of the scenario file so its ensemble over `options.seeds` matches the
//! in-sample targets: minimizes ensemble_objective (ensemble_objective.hpp), each parameter
//! scaled to [0, 1] within its bounds, the global stage from the whole box then the local stage
//! from the best point found, and keeps the best point evaluated. Then runs the profile scans.
//! Deterministic. Throws ScenarioError (bad scenario, path, algorithm, or a target naming no
//! series), and what a run throws (InvariantViolation, Interrupted).
EnsembleCalibration calibrate_ensemble(const std::filesystem::path& scenario, const std::vector<FitParameter>& parameters,
                                       const std::vector<Target>& targets, const EnsembleFitOptions& options);

//! The fit as Markdown: the method, the parameters (start, fitted, bounds, at a bound), every
//! target (window, record, ensemble median and 5–95% band at the start and at the fit, error of
//! the median), the in-sample and out-of-sample RMS relative errors of the median, the share of
//! in-sample targets inside the band, and the profile scans.
std::string format_ensemble_fit_report(const EnsembleCalibration& c, const std::string& scenario_name);

//! The profile scans as CSV: `parameter,step,value,objective,fitted_objective,change,lowers,clamped`.
std::string format_profile_csv(const EnsembleCalibration& c);

//! Where the profile CSV goes beside a report (or overlay) file: `fit.md` → `fit.profile.csv`.
std::filesystem::path profile_path_beside(const std::filesystem::path& file);

}  // namespace aidc
