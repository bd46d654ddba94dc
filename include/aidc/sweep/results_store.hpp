#pragma once
//! The results of a sweep on disk: one append-only file per shard for the KPIs (<stem>.results)
//! and one for the kept series (<stem>.series.gz, a gzip member per run: series_codec.hpp; a
//! shard begun by an older aidcsim keeps its plain <stem>.series when resumed),
//! written in fsync'd batches, and a manifest per shard, replaced atomically after each batch,
//! giving the completed runs and how many bytes of each file they fill. Bytes past the
//! manifest's count (a batch interrupted by a kill) are ignored, and cut off on --resume, so a
//! run is never lost once recorded and never recorded twice.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aidc/sweep/shard.hpp"

namespace aidc::sweep {

//! A shard file that is not what aidcsim wrote: malformed, a link, larger or shorter than its
//! manifest allows. what(): "FILE[:LINE:COL]: what is wrong; what was expected". Bad input.
class ResultsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! One finished run as stored.
struct RunRecord {
  std::size_t run = 0;
  bool ok = true;
  std::vector<std::pair<std::string, double>> kpis;  //!< when ok
  std::string error;                                 //!< when not ok: what went wrong, one line
  std::string series;                                //!< CSV lines (kpi.hpp), possibly empty
};

//! The most runs a sweep may have (make_run_table's default), bounding what a manifest may claim.
inline constexpr std::size_t max_sweep_runs = 10'000'000;

//! Ranges text "0-3,8,10-12" of a sorted index list, and back (nullopt if malformed, or if a run
//! is not below `runs`: the sweep's run count bounds the list before it is built).
std::string format_ranges(const std::vector<std::size_t>& sorted);
std::optional<std::vector<std::size_t>> parse_ranges(const std::string& text, std::size_t runs = max_sweep_runs);

//! What a shard's manifest says.
struct Manifest {
  std::uint64_t results_bytes = 0;
  std::uint64_t series_bytes = 0;  //!< of <stem>.series.gz if series_gzip, else of <stem>.series
  bool series_gzip = false;        //!< the series are gzip members (series_codec.hpp): `series_gz_bytes`
  std::vector<std::size_t> done;    //!< sorted
  std::vector<std::size_t> failed;  //!< sorted (also counted in done: they ran)
  std::string base_hash;            //!< the base scenario the shard ran (check.hpp); empty in older manifests
};

//! Reads exactly `bytes` at `offset` of the open file `fd` into `out` (retrying interrupted reads);
//! throws ResultsError naming `file` if it cannot be read or is shorter.
void read_file_range(int fd, std::uint64_t offset, std::size_t bytes, std::string& out,
                     const std::filesystem::path& file);

//! Calls `line(text, offset)` for each '\n'-ended line of the first `bytes` of the open file
//! `fd` (text without its '\n'), reading a megabyte at a time and honouring a stop between
//! reads; a line longer than `max_line_bytes` throws ResultsError naming `file`. An unterminated
//! last line is left in `rest`, and its offset returned (nullopt: the bytes end with a line).
std::optional<std::uint64_t> for_each_line(int fd, std::uint64_t bytes, const std::filesystem::path& file,
                                           std::size_t max_line_bytes,
                                           const std::function<void(std::string_view, std::uint64_t)>& line,
                                           std::string& rest);

//! Reads DIR/<stem>.manifest of a sweep of `runs` runs; throws ResultsError (with the
//! file:line:col) if malformed, if it names a run past `runs`, or if it is larger than such a
//! manifest can be. Like every shard file it is opened without following a symbolic link and
//! must be a regular file. Without `with_runs`, `done` and `failed` are checked but left empty
//! (what reads only the byte counts and hash, as the merge, keeps nothing per run).
Manifest read_manifest(const std::filesystem::path& file, std::size_t runs = max_sweep_runs, bool with_runs = true);

//! Appends batches of runs to one shard's files. Not thread-safe: one writer per shard.
class ShardWriter {
 public:
  //! Opens the shard in `dir`. Without `resume`, a shard that already has a manifest is an
  //! error (std::invalid_argument); with it, the manifest's runs count as done and the files
  //! are cut back to what it covers (a file shorter than its manifest says is an error:
  //! ResultsError). `runs` is the sweep's run count (see read_manifest). Throws OutputError
  //! if the files cannot be opened: they are never opened through a symbolic link, and must be
  //! regular files.
  //! `base_hash` (base_scenario_hash) is written into the manifest; on resume, a manifest that
  //! records another is refused (std::invalid_argument): the base scenario changed.
  ShardWriter(const std::filesystem::path& dir, const Shard& shard, bool resume, std::size_t runs = max_sweep_runs,
              std::string base_hash = "");
  ~ShardWriter();
  ShardWriter(const ShardWriter&) = delete;
  ShardWriter& operator=(const ShardWriter&) = delete;

  [[nodiscard]] const Manifest& manifest() const noexcept { return manifest_; }
  //! Appends the batch to the files, fsyncs them, then replaces the manifest atomically. Throws
  //! OutputError ("cannot write FILE: reason") if they cannot be written; what was appended past
  //! the manifest then is cut off on --resume.
  void append(const std::vector<RunRecord>& batch);

 private:
  std::filesystem::path dir_;
  std::string stem_;
  int results_fd_ = -1;
  int series_fd_ = -1;
  std::string series_name_;  // <stem>.series.gz, or <stem>.series for a shard resumed from plain series
  Manifest manifest_;
  std::string base_hash_;
};

//! Readies the failed runs of a shard to be run again (`aidcsim sweep retry`): afterwards the
//! manifest lists them as neither done nor failed (pending), and a ShardWriter opened with
//! `resume` runs them as --resume runs pending runs. Returns them (sorted; empty, and nothing
//! touched, if the shard has none). `runs` and `base_hash` as for ShardWriter: a manifest that
//! records another base scenario is refused (std::invalid_argument).
//!
//! The order makes every moment safe to stop or crash at, the shard always holding each run once:
//!  1. the results file and the series file (if it holds a failed run's series) are each copied
//!     to a temporary beside it, the records of the kept runs first and those of the failed runs
//!     after them (so each copy holds the same records as the file, in another order, and has its
//!     size; bytes past the manifest are left out), flushed to disk, and renamed over the file.
//!     The old manifest describes the reordered files as well as the old ones: a stop before or
//!     between the renames leaves the failed runs failed, recorded once.
//!  2. the manifest is replaced (atomically) by one whose byte counts end where the kept records
//!     end and whose done list no longer names the failed runs. Their old records now lie past
//!     the manifest, where every reader ignores them and ShardWriter cuts them off: the runs are
//!     pending, recorded nowhere.
//! The caller holds the shard's lock (lock.hpp) throughout. Throws ResultsError, before
//! anything changes, if a file is not what aidcsim wrote (a link, too short, a run the manifest
//! lists as failed recorded twice or not at all), OutputError if a file cannot be
//! written, Interrupted if a stop is asked for while the copies are written (nothing changed).
std::vector<std::size_t> set_aside_failed_runs(const std::filesystem::path& dir, const Shard& shard,
                                               std::size_t runs = max_sweep_runs, const std::string& base_hash = "");

//! The shards recorded in `dir`: each manifest's stem ("shard-K-of-N"), its shard, and the base
//! scenario hash it records. Sorted by name.
struct ShardOnDisk {
  std::string stem;
  Shard shard;
  std::string base_hash;
};
std::vector<ShardOnDisk> shards_on_disk(const std::filesystem::path& dir, std::size_t runs = max_sweep_runs);

//! Every run recorded by every shard in `dir` (only what the manifests cover), sorted by run, all
//! in memory: for a large sweep read them one at a time through a RecordIndex (record_index.hpp).
//! Throws ResultsError if two shards recorded the same run, if shards record different base
//! scenarios or different shard counts, or a file is malformed; sizes
//! the manifests claim are checked against the files before anything is read.
std::vector<RunRecord> read_results(const std::filesystem::path& dir, bool with_series,
                                    std::size_t runs = max_sweep_runs);

}  // namespace aidc::sweep
