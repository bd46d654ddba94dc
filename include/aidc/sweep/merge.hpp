#pragma once
//! Reading a sweep directory back: how far it got, and its shards combined into one table.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/sweep/design.hpp"
#include "aidc/sweep/design_stream.hpp"
#include "aidc/sweep/record_index.hpp"
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

//! A sweep directory opened to be read run by run (`sweep merge` and `status`): its spec, its
//! design made a point at a time (design_stream.hpp) and the index of its records
//! (record_index.hpp): neither the run table nor the records are held, so reading it in run
//! order takes the same memory for 1,000 runs as for 100,000.
struct SweepDirectory {
  SweepSpec spec;
  DesignStream design;
  RecordIndex index;
};

//! Opens DIR; throws as read_sweep_directory. `memory_runs`: as RecordIndex's.
SweepDirectory open_sweep_directory(const std::filesystem::path& dir, bool with_series,
                                    std::size_t memory_runs = RecordIndex::default_memory_runs);

//! As the SweepResults overloads above, reading one record at a time.
std::string format_status(SweepDirectory& sweep, std::size_t max_errors = 5);
std::size_t pending_runs(const SweepDirectory& sweep);

//! Receives an output file piece by piece (a StreamedFile's write, streamed_file.hpp).
using TextSink = std::function<void(std::string_view)>;

//! runs.csv, byte for byte as format_runs_csv, given to `sink` a row at a time: the records are
//! read twice (the KPI columns first, then the rows), one at a time; `sink` is first called once
//! the columns are known, and until then a stop is polled (Interrupted). Returns the rows written.
std::size_t write_runs_csv(SweepDirectory& sweep, const TextSink& sink);

//! series.csv, byte for byte as format_series_csv, given to `sink` a run at a time.
void write_series_csv(SweepDirectory& sweep, const TextSink& sink);

}  // namespace aidc::sweep
