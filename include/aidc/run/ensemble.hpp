#pragma once
//! An ensemble: one scenario run with many seeds on threads, summed up value by value as the
//! median and the quantiles across the seeds (report/quantile.hpp), the same bytes whatever the
//! number of threads.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/report/key_figures.hpp"
#include "aidc/run/run_directory.hpp"
#include "aidc/run/run_scenario.hpp"

namespace aidc {

//! The most seeds an ensemble takes. Every value of every seed is kept in memory until the
//! quantiles are taken, 8 bytes each: the default scenario records 48,672 values a seed, about
//! 400 MB per 1,000 seeds.
inline constexpr std::size_t max_ensemble_seeds = 10000;

//! The seeds `--seeds` names: "N" is seeds 1 to N, "A-B" seeds A to B (both included). nullopt, with
//! `problem` saying why, for anything else: 0, a range that runs backwards, a seed that is not a
//! whole number, more than max_ensemble_seeds seeds.
std::optional<std::vector<std::uint64_t>> parse_seed_list(std::string_view text, std::string& problem);

//! How to run an ensemble.
struct EnsembleOptions {
  std::vector<std::uint64_t> seeds;  //!< in the order they are reported
  std::size_t jobs = 1;              //!< runs at a time
  //! If not empty, each seed's whole run is written into `per_seed_dir`/<seed>/ (write_run_directory,
  //! without a report) as soon as it is done.
  std::filesystem::path per_seed_dir;
  //! Told after each seed is done (seeds done, seeds in all), from the thread that finished it, one
  //! call at a time.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

//! What an ensemble produced, the same whatever the threads.
struct EnsembleResult {
  std::vector<std::uint64_t> seeds;
  //! The recorder holds, for each value some seed recorded (quarter, entity, metric), its median
  //! across the seeds that recorded it, in the first seed's order; the events are the first seed's;
  //! events_executed is summed over the seeds and wall_seconds is the ensemble's.
  RunResult median;
  //! p05, p25, p50, p75, p95 of each value, indexed like median.recorder.samples().
  std::vector<std::array<double, 5>> quantiles;
  //! Each seed's key figures (key_figures of its run), in the order of `seeds`.
  std::vector<KeyFigures> figures;
  std::size_t threads = 0;  //!< worker threads that started
};

//! Runs `spec` once per seed, `options.jobs` at a time. Throws what a run throws (the one of the
//! earliest seed that failed: InvariantViolation, Interrupted, OutputError), once every thread has
//! stopped; the runs not yet started are then skipped.
EnsembleResult run_ensemble(const ScenarioSpec& spec, const EnsembleOptions& options);

//! The same over several scenarios: specs[i] runs once with options.seeds[i] (a posterior
//! sample's rows, each its own parameters); the events and the per-seed layout are specs[0]'s.
//! Throws std::invalid_argument if the counts differ.
EnsembleResult run_ensemble(const std::vector<ScenarioSpec>& specs, const EnsembleOptions& options);

//! Writes an ensemble into `dir` as write_run_directory writes one run: timeseries.csv and the wide
//! tables hold the medians, events.jsonl the first seed's events, ensemble.csv the quantiles,
//! seeds.csv each seed's key figures, run.json the seeds (its `seed` is the first), and with
//! `with_report` report.html with the spread shaded. All staged and renamed together.
WrittenRun write_ensemble_directory(const std::filesystem::path& dir, const ScenarioSpec& spec,
                                    const EnsembleResult& ensemble, bool with_report);

//! ensemble.csv: `quarter,entity_kind,entity,metric,p05,p25,p50,p75,p95`, rows as timeseries.csv's.
std::string format_ensemble_csv(const EnsembleResult& ensemble);
//! seeds.csv: `seed,` then key_figure_values' names; one row per seed, in order.
std::string format_seeds_csv(const EnsembleResult& ensemble);

//! What `aidcsim run --seeds` prints: the scenario, the seeds, the yearly table of medians, the
//! key moments of the median series, each key figure as median [5%–95%], the files written.
std::string format_ensemble_text(const ScenarioSpec& spec, const EnsembleResult& ensemble, const WrittenRun& written,
                                 const std::filesystem::path& dir, bool with_report);

//! Moves `staged` (a per_seed_dir filled by run_ensemble) to `dir`/seeds, replacing what was there.
//! Throws OutputError.
void commit_seed_directories(const std::filesystem::path& staged, const std::filesystem::path& dir);

}  // namespace aidc
