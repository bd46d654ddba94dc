#pragma once
//! A sweep directory's recorded runs, found once and then read one at a time in any order: the
//! merge streams runs.csv and series.csv from it, run by run, so its memory does not grow with
//! the records or the runs. Where each run's record is (32 bytes a run) is kept in memory for a
//! sweep of up to `memory_runs` runs; past that, in an unnamed temporary file in the sweep
//! directory (O_TMPFILE; where the file system has none, a new name made with O_EXCL |
//! O_NOFOLLOW and removed at once), never seen under a name and gone with the process however it
//! ends, of which a few blocks are held at a time. (A directory that refuses the temporary, e.g.
//! read only, has the index kept in memory.) Building it reads and checks every shard file in
//! full, as read_results does: every line parsed, every gzip member inflated and its checksum
//! checked, each run recorded once, the shards split alike and from one base scenario.

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
  //! `memory_runs`: the most runs whose index is kept in memory (default_memory_runs).
  RecordIndex(const std::filesystem::path& dir, std::size_t runs, bool with_series, const std::string& only = "",
              std::size_t memory_runs = default_memory_runs);
  //! The largest sweep whose index stays in memory: 16,384 runs, 512 KiB.
  static constexpr std::size_t default_memory_runs = 1u << 14;
  ~RecordIndex();
  RecordIndex(RecordIndex&&) noexcept;
  RecordIndex& operator=(RecordIndex&&) noexcept;
  RecordIndex(const RecordIndex&) = delete;
  RecordIndex& operator=(const RecordIndex&) = delete;

  [[nodiscard]] std::size_t runs() const noexcept { return runs_; }
  [[nodiscard]] std::size_t recorded() const noexcept { return recorded_; }
  [[nodiscard]] std::size_t failed() const noexcept { return failed_; }
  //! Throws ResultsError (OutputError) if the index's temporary file cannot be read (written back).
  [[nodiscard]] bool is_recorded(std::size_t run) const { return run < runs_ && entries_.get(run).shard != none; }
  //! Whether the index is kept in a temporary file (the sweep is larger than `memory_runs`).
  [[nodiscard]] bool on_disk() const noexcept { return entries_.on_disk(); }

  //! The record of a recorded run, read from its shard, without its series (append_series).
  //! Throws ResultsError if the shard file was changed or replaced since it was indexed.
  RunRecord read(std::size_t run);
  //! Appends the series lines of a run to `out` (nothing if it kept none, is not recorded, or
  //! the index was made without series).
  void append_series(std::size_t run, std::string& out);

 private:
  static constexpr std::uint32_t none = 0;  // shards are numbered from 1 here: zeros are no entry
  struct Entry {
    std::uint64_t line_offset = 0;
    std::uint64_t series_offset = 0;
    std::uint32_t line_bytes = 0;
    std::uint32_t series_bytes = 0;
    std::uint32_t shard = none;  // 1 + its place in shards_
    std::uint32_t unused = 0;
  };
  static_assert(sizeof(Entry) == 32);
  // Each run's Entry, in a vector or in a temporary file read and written a block at a time
  // through a few cached blocks (the least recently used written back first).
  class Entries {
   public:
    Entries() = default;
    Entries(const std::filesystem::path& dir, std::size_t runs, std::size_t memory_runs);
    ~Entries();
    Entries(Entries&&) noexcept;
    Entries& operator=(Entries&&) noexcept;
    Entries(const Entries&) = delete;
    Entries& operator=(const Entries&) = delete;
    [[nodiscard]] Entry get(std::size_t run) const;
    void set(std::size_t run, const Entry& e);
    [[nodiscard]] bool on_disk() const noexcept { return fd_ >= 0; }

   private:
    static constexpr std::size_t block_entries = 1024, cached_blocks = 8;
    struct Block {
      std::size_t number = static_cast<std::size_t>(-1);
      std::uint64_t used = 0;  // when last used
      bool dirty = false;
      std::vector<Entry> entries;
      Entry& at(std::size_t run) noexcept;
    };
    Block& block_of(std::size_t run) const;
    void write_back(Block& b) const;
    std::vector<Entry> memory_;
    int fd_ = -1;
    std::string file_;  // for messages
    mutable std::vector<Block> blocks_;
    mutable std::uint64_t clock_ = 0;
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
  Entries entries_;
  std::vector<ShardFiles> shards_;
  std::size_t recorded_ = 0, failed_ = 0;
  bool with_series_ = false;
  static constexpr std::uint32_t no_shard = 0xffffffffu;
  std::uint32_t open_ = no_shard;  // the shard whose files are open
  int results_fd_ = -1, series_fd_ = -1;
};

}  // namespace aidc::sweep
