#pragma once
//! The identifiability screen before a fit (`aidcsim calibrate --screen`): a Morris design over
//! the candidate parameters' bounds (the sweep engine's design and μ*/σ estimators,
//! sweep/design.hpp and sweep/sensitivity.hpp) with the ensemble objective (ensemble_objective.hpp)
//! as the output. A parameter whose μ* is below `threshold` times the largest μ* hardly moves the
//! objective anywhere in its range: the targets do not identify it, and the fit leaves it at its
//! start.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "aidc/calibrate/ensemble_objective.hpp"
#include "aidc/calibrate/parameter.hpp"
#include "aidc/calibrate/target.hpp"
#include "aidc/sweep/sensitivity.hpp"

namespace aidc {

//! How to screen.
struct ScreenOptions {
  std::vector<std::uint64_t> seeds;     //!< every point's ensemble (common random numbers)
  std::optional<FitWindow> fit_window;  //!< the targets of the objective (none: all)
  std::size_t trajectories = 10;        //!< Morris trajectories, k + 1 points each
  int levels = 4;                       //!< grid levels of the design
  double threshold = 0.05;              //!< not identified: μ* < threshold × the largest μ*
  std::uint64_t design_seed = 1;        //!< the design's (and the bootstrap's) seed
  std::size_t bootstrap = 200;          //!< bootstrap resamples of μ*'s 95% interval
  std::size_t jobs = 1;                 //!< runs at a time (point × seed)
};

//! What the screen found.
struct Screen {
  std::vector<FitParameter> parameters;
  ScreenOptions options;
  std::vector<sweep::MorrisIndex> indices;  //!< one per parameter: μ* (objective per unit of the bounds' width), σ
  std::vector<std::size_t> effects;         //!< elementary effects per parameter
  std::vector<bool> identified;             //!< one per parameter
  double largest = 0.0;                     //!< the largest μ*
  std::size_t points = 0;                   //!< design points run
  //! The identified parameters, in order.
  [[nodiscard]] std::vector<FitParameter> kept() const;
};

//! Marks each parameter identified unless its μ* is below threshold × the largest (none is
//! identified when every μ* is 0).
std::vector<bool> identified_by_mu_star(const std::vector<sweep::MorrisIndex>& indices, double threshold);

//! Runs the Morris design and marks the parameters. Deterministic whatever `jobs`. Throws
//! ScenarioError (bad scenario, path, a target naming no series, no target in the window, fewer
//! than one trajectory or two levels) and what a run throws.
Screen screen_parameters(const std::filesystem::path& scenario, const std::vector<FitParameter>& parameters,
                         const std::vector<Target>& targets, const ScreenOptions& options);

//! The screen as Markdown: the design, each parameter's μ* [95% interval], σ, share of the largest
//! μ*, and whether it is identified; then which parameters the fit leaves out, and why.
std::string format_screen_report(const Screen& s);

}  // namespace aidc
