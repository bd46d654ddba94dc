#pragma once
//! The results of a sweep on disk: one append-only file per shard (KPIs, and series if kept),
//! written in fsync'd batches, and a manifest per shard, replaced atomically after each batch,
//! giving the completed runs and how many bytes of each file they fill. Bytes past the
//! manifest's count (a batch interrupted by a kill) are ignored, and cut off on --resume, so a
//! run is never lost once recorded and never recorded twice.

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "aidc/sweep/shard.hpp"

namespace aidc::sweep {

//! One finished run as stored.
struct RunRecord {
  std::size_t run = 0;
  bool ok = true;
  std::vector<std::pair<std::string, double>> kpis;  //!< when ok
  std::string error;                                 //!< when not ok: what went wrong, one line
  std::string series;                                //!< CSV lines (kpi.hpp), possibly empty
};

//! Ranges text "0-3,8,10-12" of a sorted index list, and back (nullopt if malformed).
std::string format_ranges(const std::vector<std::size_t>& sorted);
std::optional<std::vector<std::size_t>> parse_ranges(const std::string& text);

//! What a shard's manifest says.
struct Manifest {
  std::uint64_t results_bytes = 0;
  std::uint64_t series_bytes = 0;
  std::vector<std::size_t> done;    //!< sorted
  std::vector<std::size_t> failed;  //!< sorted (also counted in done: they ran)
};

//! Reads DIR/<stem>.manifest; throws std::runtime_error (with the file:line) if malformed.
Manifest read_manifest(const std::filesystem::path& file);

//! Appends batches of runs to one shard's files. Not thread-safe: one writer per shard.
class ShardWriter {
 public:
  //! Opens the shard in `dir`. Without `resume`, a shard that already has a manifest is an
  //! error (std::invalid_argument); with it, the manifest's runs count as done and the files
  //! are cut back to what it covers. Throws OutputError if the files cannot be opened.
  ShardWriter(const std::filesystem::path& dir, const Shard& shard, bool resume);
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
  Manifest manifest_;
};

//! Every run recorded by every shard in `dir` (only what the manifests cover), sorted by run.
//! Throws std::runtime_error if two shards recorded the same run or a file is malformed.
std::vector<RunRecord> read_results(const std::filesystem::path& dir, bool with_series);

}  // namespace aidc::sweep
