#pragma once
//! A sweep as written in its YAML file: a base scenario, the parameters to vary and how, the
//! design that picks the runs, replications, and which outputs to keep.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "aidc/text/diagnostic.hpp"

namespace aidc::sweep {

//! How the runs are chosen. grid: every combination of the parameters' values (full
//! factorial); monte_carlo: `samples` independent draws; latin_hypercube: `samples` stratified
//! draws; saltelli: `samples` base draws (a Sobol sequence, at most 128 parameters) × (k + 2)
//! runs, for Sobol indices; morris: `samples` one-at-a-time trajectories of k + 1 runs, for
//! elementary effects.
enum class Design { grid, monte_carlo, latin_hypercube, saltelli, morris };

//! The design's name as written in a sweep file ("latin_hypercube").
const char* design_name(Design d) noexcept;

//! Where a sampled parameter's values come from. `values` parameters (lists and ranges) are
//! sampled uniformly among their values by the sampling designs.
struct Distribution {
  enum class Kind { none, uniform, normal, lognormal, triangular, discrete };
  Kind kind = Kind::none;
  double min = 0.0, max = 0.0;     //!< uniform, triangular
  double mode = 0.0;               //!< triangular
  double mean = 0.0, sd = 0.0;     //!< normal
  double median = 0.0, sigma = 0.0;  //!< lognormal: median and log-space standard deviation
  std::vector<double> weights;     //!< discrete: one per value (default equal)
  //! normal, lognormal: truncated below at `min` and/or above at `max` (the draws are those of
  //! the distribution conditioned on lying between them).
  bool truncated_below = false, truncated_above = false;
  //! Draws rounded to whole numbers (`whole: true`): a uniform then picks each whole number from
  //! ceil(min) to floor(max) with equal chance; other distributions round to the nearest.
  bool whole = false;
};

//! One varied parameter: one or more `--set` key paths (`path: P` or `paths: [P, Q]`; a path may
//! hold a selector, `agents[*].cash`, `agents[kind=lab].cash`) and either explicit values or a
//! distribution. Every path it names gets the same value in a run: the paths are tied.
struct SweepParameter {
  //! Its name in results and messages: `name`, else its path, else its paths joined by " + ".
  std::string path;
  std::vector<std::string> paths;   //!< the key paths it sets, as written (e.g. demand[us].base)
  std::vector<SourceLocation> paths_at;  //!< where each path is written
  std::vector<std::string> values;  //!< list or range (as text, in order); discrete's values
  Distribution distribution;        //!< kind none for list and range parameters
  std::string unit;                 //!< appended to sampled numbers ("GW"); empty for bare numbers
  SourceLocation where;
  SourceLocation path_at;           //!< where the `path` (or `paths`) value is written
  SourceLocation values_at;         //!< where its `values`, `range` or `distribution` is written
};

//! A rank correlation imposed between two sampled parameters (Iman–Conover).
struct RankCorrelation {
  std::size_t first = 0, second = 0;  //!< indices into SweepSpec::parameters
  double rho = 0.0;
  SourceLocation where;
};

//! The most grid levels a Morris design may have (`levels:`); 4 to 8 are usual.
inline constexpr std::uint64_t max_morris_levels = 1000;

//! The whole sweep, validated.
struct SweepSpec {
  std::string source;                  //!< the sweep file, as named to the loader
  std::filesystem::path scenario;      //!< the base scenario (resolved against the sweep file); empty: embedded default
  std::vector<std::string> overrides;  //!< fixed `--set` assignments applied to every run
  std::vector<SourceLocation> overrides_at;  //!< where each is written (the `set:` list), for messages
  std::uint64_t seed = 1;              //!< the sweep seed: every run's seed derives from it and the run index
  Design design = Design::grid;
  std::size_t samples = 0;             //!< draws (monte_carlo, latin_hypercube), base draws (saltelli), trajectories (morris)
  int morris_levels = 4;               //!< 2 to max_morris_levels
  std::size_t replications = 1;        //!< runs per design point (`replications` or `replicates`)
  //! Common random numbers (`seeds: common`, the default): a run's seed depends only on the sweep
  //! seed and its replication, so every design point sees the same noise and differences between
  //! points are the parameters' alone. `seeds: independent`: every run its own seed.
  bool common_random_numbers = true;
  std::vector<SweepParameter> parameters;
  std::vector<RankCorrelation> correlations;
  std::vector<std::string> series_metrics;  //!< metrics whose full series are kept (empty: none)
  std::vector<std::string> kpis;            //!< KPIs analyzed by default (empty: all)
  SourceLocation size_at;                   //!< what sets the number of runs (`samples`, else `design`), for messages
  std::vector<SourceLocation> kpis_at;      //!< where each of `kpis` is written
};

//! Reads and validates a sweep file. Throws ScenarioError listing every problem, each at its
//! file:line:col with its key path, what was expected and, for unknown names, a suggestion.
SweepSpec load_sweep_file(const std::filesystem::path& path);

//! The text of a sweep file (at most limits::max_text_bytes). Throws ScenarioError saying why it
//! cannot be read.
std::string read_sweep_file(const std::filesystem::path& path);

//! Same as load_sweep_file, from text; `source` names it in messages and anchors the relative scenario path.
SweepSpec load_sweep_text(const std::string& text, const std::string& source);

}  // namespace aidc::sweep
