#pragma once
//! History matching (`aidcsim calibrate --method abc`): waves of parameter sets, each run over an
//! ensemble of seeds (common random numbers), each target's implausibility, and the sets no
//! target rules out kept as a posterior sample (an ABC rejection step with the implausibility as
//! its distance).
//!
//! Wave 1 is a Latin hypercube (the sweep engine's design, sweep/design.hpp) over the parameters'
//! bounds. Each later wave is a Latin hypercube over the bounding box of the previous wave's kept
//! sets, widened on each side by `margin` of the previous wave's box width and clipped to the
//! bounds (so where kept sets reach an edge of a box, the next box reaches further). The
//! posterior is the last wave's kept sets: a uniform sample of the non-implausible part of that
//! box.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "aidc/calibrate/ensemble_objective.hpp"
#include "aidc/calibrate/parameter.hpp"
#include "aidc/calibrate/target.hpp"
#include "aidc/sweep/shard.hpp"

namespace aidc {

//! How to history-match.
struct HistoryMatchOptions {
  std::vector<std::uint64_t> seeds;     //!< every set's ensemble: the same seeds everywhere
  std::optional<FitWindow> fit_window;  //!< targets outside it are not matched (none: every target is)
  std::size_t waves = 3;
  std::size_t points = 100;        //!< parameter sets per wave
  double cutoff = 3.0;             //!< a set is kept when every implausibility is at most this
  double default_tolerance = 0.1;  //!< a target's tolerance (share of |record|) when its file gives none
  double margin = 0.1;             //!< the kept sets' box is widened on each side by this share of the wave's box
  std::uint64_t design_seed = 1;   //!< wave w's Latin hypercube uses sweep::run_seed(design_seed, w)
  std::size_t jobs = 1;            //!< runs at a time (parameter set × seed)
  //! If not empty: each finished wave is written to `wave_dir`/wave-W.csv (W from 1), and a wave
  //! whose file is there and was made with the same settings (the `# settings` line) is read back
  //! instead of being run again.
  std::filesystem::path wave_dir;
  //! If set (with a wave_dir): this process runs only its block of each wave's sets (shard K of N,
  //! sweep/shard.hpp) and writes them to `wave_dir`/wave-W.shard-K-of-N.csv. Once every shard's
  //! file of a wave is there, the wave is merged (wave-W.csv) and the next one starts; until
  //! then history_match returns with `waiting_for_wave` set. Without a shard, a wave whose shard
  //! files are all there is merged from them rather than run.
  std::optional<sweep::Shard> shard;
};

//! The implausibility of one target: I = |median − record| / √((tolerance·|record|)² + variance),
//! the variance across the seeds with divisor n − 1 (0 with one seed). 0 when median = record;
//! infinite when the denominator is 0 and they differ.
double implausibility(double median, double variance, double record, double tolerance_share);

//! The sample variance (divisor n − 1) of `values`; 0 with fewer than two.
double sample_variance(const std::vector<double>& values);

//! One parameter set of a wave.
struct MatchPoint {
  std::vector<double> x;               //!< one value per parameter
  std::vector<double> implausibility;  //!< one per target (NaN for a target that is not matched)
  double max_implausibility = 0.0;     //!< the largest over the matched targets
  std::size_t worst = 0;               //!< the target giving it
  bool kept = false;
};

//! One wave: its box, its sets.
struct MatchWave {
  std::vector<double> lower, upper;  //!< the box it sampled
  std::vector<MatchPoint> points;
  bool resumed = false;  //!< read back from its wave file
  [[nodiscard]] std::size_t kept() const;
};

//! What history matching found.
struct HistoryMatch {
  std::vector<FitParameter> parameters;
  std::vector<Target> targets;
  std::vector<bool> matched;      //!< one per target: in the window with a weight above 0
  std::vector<double> tolerance;  //!< each target's tolerance share as used
  HistoryMatchOptions options;
  std::vector<MatchWave> waves;  //!< the waves finished: fewer than options.waves when a wave kept no set
  //! With a shard: the wave (from 1) whose other shards' parts are not all there yet (0: none).
  //! The posterior and the report are then not final.
  std::size_t waiting_for_wave = 0;
  //! The posterior sample: the last wave's kept sets.
  [[nodiscard]] std::vector<const MatchPoint*> posterior() const;
  //! The quantile `p` (type 7) of parameter i over the posterior; NaN when it is empty.
  [[nodiscard]] double posterior_quantile(std::size_t i, double p) const;
};

//! The settings a wave depends on, as one line (the scenario file's hash, the parameters, the
//! targets with their tolerances, the seeds, the window, the wave options): a wave file made with
//! other settings is not read back.
std::string history_match_settings(const std::filesystem::path& scenario, const std::vector<FitParameter>& parameters,
                                   const std::vector<Target>& targets, const HistoryMatchOptions& options);

//! Runs the waves. Deterministic: the same sets and implausibilities, to the bit, whatever
//! `jobs` and however the waves are sharded. Throws ScenarioError (bad scenario, path, a target naming no series, no
//! target in the window, no seeds, no points), what a run throws (InvariantViolation, Interrupted: the waves already
//! written stay, so running again resumes after them) and OutputError (a wave file).
HistoryMatch history_match(const std::filesystem::path& scenario, const std::vector<FitParameter>& parameters,
                           const std::vector<Target>& targets, const HistoryMatchOptions& options);

//! A wave's file: `# settings` line, then `point,<key paths>,implausibility,worst_target,kept,I_1,…,I_m`
//! (I_k: target k's implausibility in the targets file's order, empty when not matched; worst_target
//! is the 1-based k of the largest).
std::string format_wave_csv(const HistoryMatch& h, std::size_t wave, const std::string& settings);

//! The same for the sets [begin, end) of one wave (a shard's file).
std::string format_wave_rows(const std::vector<FitParameter>& parameters, const std::vector<Target>& targets,
                             const MatchWave& wave, const std::string& settings, std::size_t begin, std::size_t end);

//! The posterior sample: `<key paths>,implausibility`, one row per kept set of the last wave, in
//! wave order. `aidcsim run --posterior` reads it (posterior.hpp).
std::string format_posterior_csv(const HistoryMatch& h);

//! The report as Markdown: the method and formula, the tolerances, per wave its box, sets and sets
//! kept, the targets that ruled most sets out, and the posterior's 5%, 50% and 95% per parameter.
std::string format_history_match_report(const HistoryMatch& h, const std::string& scenario_name);

//! The kept set with the smallest largest implausibility (ties: the first); none when nothing was kept.
const MatchPoint* best_match(const HistoryMatch& h);

}  // namespace aidc
