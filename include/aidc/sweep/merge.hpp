#pragma once
//! Reading a sweep directory back: how far it got, and its shards combined into one table.

#include <filesystem>
#include <string>
#include <vector>

#include "aidc/sweep/design.hpp"
#include "aidc/sweep/results_store.hpp"
#include "aidc/sweep/sweep_spec.hpp"

namespace aidc::sweep {

//! A sweep directory read back: its spec (DIR/sweep.yaml), run table and recorded runs.
struct SweepResults {
  SweepSpec spec;
  RunTable table;
  std::vector<RunRecord> records;  //!< sorted by run
};

//! Reads DIR. Throws ScenarioError for a bad sweep.yaml and std::runtime_error for damaged files.
SweepResults read_sweep_directory(const std::filesystem::path& dir, bool with_series);

//! Done, failed and pending runs, and the first errors, as text for `aidcsim sweep status`.
std::string format_status(const SweepResults& results, std::size_t max_errors = 5);

//! runs.csv: one row per recorded run, sorted by run: run, point, replication, seed, each
//! parameter (by path), status, every KPI (kpi.hpp), error. Numbers in shortest round-trip form.
std::string format_runs_csv(const SweepResults& results);

//! series.csv: the kept series of every run, sorted by run (header + lines).
std::string format_series_csv(const SweepResults& results);

//! Number of runs of the sweep not recorded yet.
std::size_t pending_runs(const SweepResults& results);

}  // namespace aidc::sweep
