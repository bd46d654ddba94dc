#pragma once
//! A sweep directory's recorded runs, found once and then read one at a time in any order: the
//! merge streams runs.csv and series.csv from it, run by run, so its memory does not grow with
//! the records (32 bytes a run of the sweep, and one shard's file descriptors, whatever each run
//! recorded). Building it reads and checks every shard file in full, as read_results does:
//! every line parsed, every gzip member inflated and its checksum checked, each run recorded
//! once, the shards split alike and from one base scenario.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "aidc/sweep/results_store.hpp"

namespace aidc::sweep {

class RecordIndex {
 public:
  //! Indexes DIR's shards of a sweep of `runs` runs (their series too if `with_series`). Throws
  //! ResultsError ("FILE[:LINE[:COL]]: what is wrong") for a damaged or foreign shard file, a link
  //! in place of one, or shards that do not belong together; Interrupted if a stop is asked for
  //! (interrupt.hpp: polled a MiB or a member at a time).
  //! With `only` ("shard-K-of-N"), only that shard's records are indexed (the others' manifests
  //! are still checked to agree with it): a shard checked while others are being written.
  RecordIndex(const std::filesystem::path& dir, std::size_t runs, bool with_series, const std::string& only = "");
  ~RecordIndex();
  RecordIndex(RecordIndex&&) noexcept;
  RecordIndex& operator=(RecordIndex&&) noexcept;
  RecordIndex(const RecordIndex&) = delete;
  RecordIndex& operator=(const RecordIndex&) = delete;

  [[nodiscard]] std::size_t runs() const noexcept { return runs_; }
  [[nodiscard]] std::size_t recorded() const noexcept { return recorded_; }
  [[nodiscard]] std::size_t failed() const noexcept { return failed_; }
  [[nodiscard]] bool is_recorded(std::size_t run) const noexcept {
    return run < entries_.size() && entries_[run].shard != none;
  }

  //! The record of a recorded run, read from its shard, without its series (append_series).
  //! Throws ResultsError if the shard file was changed or replaced since it was indexed.
  RunRecord read(std::size_t run);
  //! Appends the series lines of a run to `out` (nothing if it kept none, is not recorded, or
  //! the index was made without series).
  void append_series(std::size_t run, std::string& out);

 private:
  static constexpr std::uint32_t none = 0xffffffffu;
  struct Entry {
    std::uint64_t line_offset = 0;
    std::uint64_t series_offset = 0;
    std::uint32_t line_bytes = 0;
    std::uint32_t series_bytes = 0;
    std::uint32_t shard = none;
  };
  enum class SeriesFormat : std::uint8_t { none, plain, gzip };
  struct ShardFiles {
    std::string stem;
    std::filesystem::path results, series;
    SeriesFormat series_format = SeriesFormat::none;
    std::uint64_t results_bytes = 0, series_bytes = 0;
    dev_t results_dev = 0, series_dev = 0;
    ino_t results_ino = 0, series_ino = 0;
  };
  void index_results(std::uint32_t shard);
  void index_series(std::uint32_t shard);
  void open_shard(std::uint32_t shard);
  void close_shard() noexcept;

  std::size_t runs_ = 0;
  std::vector<Entry> entries_;  // up to the last run recorded
  std::vector<ShardFiles> shards_;
  std::size_t recorded_ = 0, failed_ = 0;
  bool with_series_ = false;
  std::uint32_t open_ = none;  // the shard whose files are open
  int results_fd_ = -1, series_fd_ = -1;
};

}  // namespace aidc::sweep
