#include "aidc/sweep/record_index.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <optional>
#include <random>
#include <string_view>
#include <utility>

#include "aidc/kernel/interrupt.hpp"
#include "aidc/output/atomic_file.hpp"
#include "aidc/sweep/series_codec.hpp"
#include "aidc/text/number.hpp"

namespace aidc::sweep {

namespace {

// The longest line a shard file may hold (a run's KPIs, one series line): a longer one is refused
// before it is kept whole.
constexpr std::size_t max_line_bytes = 64u << 20;

[[noreturn]] void fail(const std::string& where, const std::string& what) { throw ResultsError(where + ": " + what); }

// Opens a shard file to read: never through a symbolic link, a regular file only, at least
// `min_bytes` long. The descriptor; its device and inode in `st`.
int open_regular(const std::filesystem::path& file, std::uint64_t min_bytes, struct stat& st) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && errno == ELOOP) fail(file.string(), "a symbolic link; expected a regular file written by aidcsim sweep");
  if (fd < 0) fail(file.string(), std::string("cannot be read: ") + std::strerror(errno));
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    fail(file.string(), "not a regular file; expected one written by aidcsim sweep");
  }
  if (static_cast<std::uint64_t>(st.st_size) < min_bytes) {
    ::close(fd);
    fail(file.string(), fmt::format("{} bytes, shorter than the {} bytes its manifest records", st.st_size, min_bytes));
  }
  return fd;
}

// Closes a descriptor when it goes out of scope.
struct Closer {
  int fd;
  ~Closer() {
    if (fd >= 0) ::close(fd);
  }
};

// Reads exactly `bytes` at `offset`.
void read_at(int fd, std::uint64_t offset, std::size_t bytes, std::string& out, const std::string& file) {
  read_file_range(fd, offset, bytes, out, file);
}

// Calls `line(text, offset)` for each line of the first `bytes` of `fd` (the last one may lack
// its '\n').
template <class F>
void each_line(int fd, std::uint64_t bytes, const std::string& file, F&& line) {
  std::string rest;
  if (const auto offset = sweep::for_each_line(fd, bytes, file, max_line_bytes, line, rest)) line(std::string_view(rest), *offset);
}

// A run number at the start of a series line (up to its first ',').
std::optional<std::uint64_t> series_run(std::string_view line) { return parse_whole(line.substr(0, line.find(','))); }

// One line of a shard's results file: RUN \t ok \t NAME=VALUE;… or RUN \t failed \t ERROR.
RunRecord parse_result_line(std::string_view line, std::size_t runs, const std::string& where) {
  const auto bad = [&] { fail(where, "malformed result line"); };
  const auto t1 = line.find('\t'), t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
  if (t2 == std::string_view::npos) bad();
  const auto run = parse_whole(line.substr(0, t1));
  if (!run) bad();
  if (*run >= runs) fail(where + ":1", fmt::format("run {} is past the sweep's {} runs", *run, runs));
  const std::string_view status = line.substr(t1 + 1, t2 - t1 - 1);
  RunRecord r;
  r.run = static_cast<std::size_t>(*run);
  r.ok = status == "ok";
  if (!r.ok && status != "failed") bad();
  const std::string_view rest = line.substr(t2 + 1);
  if (r.ok) {
    std::string_view items(rest);
    while (!items.empty()) {
      const auto semi = items.find(';');
      const auto item = items.substr(0, semi);
      items = semi == std::string_view::npos ? std::string_view() : items.substr(semi + 1);
      const auto eq = item.rfind('=');  // a KPI expression's name holds '=' too
      if (eq == std::string_view::npos) bad();
      const auto text = item.substr(eq + 1);
      double v = 0.0;
      if (const auto parsed = parse_decimal(text)) v = *parsed;
      else if (text == "nan") v = NAN;
      else if (text == "inf") v = INFINITY;
      else if (text == "-inf") v = -INFINITY;
      else bad();
      r.kpis.emplace_back(std::string(item.substr(0, eq)), v);
    }
  } else {
    r.error = std::string(rest);
  }
  return r;
}


// The index's temporary: unnamed (O_TMPFILE) in `dir`, or, where the file system cannot, made
// under a new name (O_CREAT | O_EXCL | O_NOFOLLOW: nothing already there is opened) and removed
// at once, with SIGINT and SIGTERM held back in between. -1 if the directory refuses both.
int index_temporary(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
  sigset_t held, saved;
  sigemptyset(&held);
  sigaddset(&held, SIGINT);
  sigaddset(&held, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &held, &saved);
  std::random_device random;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    const auto name = dir / fmt::format(".index.tmp.{}.{:08x}", ::getpid(), random());
    fd = ::open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ::unlink(name.c_str());
    } else if (errno != EEXIST) {
      break;
    }
  }
  ::pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  return fd;
}

}  // namespace

RecordIndex::Entries::Entries(const std::filesystem::path& dir, std::size_t runs, std::size_t memory_runs) {
  if (runs > memory_runs) {
    fd_ = index_temporary(dir);
    file_ = "the index of the runs (a temporary file in " + dir.string() + ")";
  }
  if (fd_ < 0) memory_.resize(runs);
}

RecordIndex::Entries::~Entries() {
  if (fd_ >= 0) ::close(fd_);
}

RecordIndex::Entries::Entries(Entries&& other) noexcept
    : memory_(std::move(other.memory_)),
      fd_(std::exchange(other.fd_, -1)),
      file_(std::move(other.file_)),
      blocks_(std::move(other.blocks_)),
      clock_(other.clock_) {}

RecordIndex::Entries& RecordIndex::Entries::operator=(Entries&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    memory_ = std::move(other.memory_);
    fd_ = std::exchange(other.fd_, -1);
    file_ = std::move(other.file_);
    blocks_ = std::move(other.blocks_);
    clock_ = other.clock_;
  }
  return *this;
}

void RecordIndex::Entries::write_back(Block& b) const {
  if (!b.dirty) return;
  const auto* data = reinterpret_cast<const char*>(b.entries.data());
  const std::size_t bytes = b.entries.size() * sizeof(Entry);
  const auto offset = static_cast<off_t>(b.number * block_entries * sizeof(Entry));
  for (std::size_t done = 0; done < bytes;) {
    const ssize_t n = ::pwrite(fd_, data + done, bytes - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw OutputError("cannot write " + file_ + ": " + std::strerror(n < 0 ? errno : ENOSPC));
    done += static_cast<std::size_t>(n);
  }
  b.dirty = false;
}

RecordIndex::Entry& RecordIndex::Entries::Block::at(std::size_t run) noexcept { return entries[run % block_entries]; }

RecordIndex::Entries::Block& RecordIndex::Entries::block_of(std::size_t run) const {
  const std::size_t number = run / block_entries;
  ++clock_;
  Block* victim = nullptr;
  for (Block& b : blocks_) {
    if (b.number == number) {
      b.used = clock_;
      return b;
    }
    if (victim == nullptr || b.used < victim->used) victim = &b;
  }
  if (blocks_.size() < cached_blocks) {
    blocks_.emplace_back();
    victim = &blocks_.back();
  }
  write_back(*victim);
  // A block never written reads as zeros (a hole, or past the end): no entries.
  victim->entries.assign(block_entries, Entry{});
  victim->number = number;
  victim->used = clock_;
  auto* data = reinterpret_cast<char*>(victim->entries.data());
  const std::size_t bytes = block_entries * sizeof(Entry);
  const auto offset = static_cast<off_t>(number * bytes);
  for (std::size_t done = 0; done < bytes;) {
    const ssize_t n = ::pread(fd_, data + done, bytes - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      victim->number = static_cast<std::size_t>(-1);
      fail(file_, std::string("cannot be read: ") + std::strerror(errno));
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return *victim;
}

RecordIndex::Entry RecordIndex::Entries::get(std::size_t run) const {
  if (fd_ < 0) return memory_[run];
  return block_of(run).at(run);
}

void RecordIndex::Entries::set(std::size_t run, const Entry& e) {
  if (fd_ < 0) {
    memory_[run] = e;
    return;
  }
  Block& b = block_of(run);
  b.at(run) = e;
  b.dirty = true;
}

RecordIndex::RecordIndex(const std::filesystem::path& dir, std::size_t runs, bool with_series, const std::string& only,
                         std::size_t memory_runs)
    : runs_(runs), with_series_(with_series) {
  const auto on_disk = shards_on_disk(dir, runs);
  for (const auto& s : on_disk) {
    const auto& first = on_disk.front();
    if (s.shard.count != first.shard.count) {
      throw ResultsError(fmt::format("{}: {} and {} split the sweep differently (into {} and {} shards): shards of "
                                     "two splits cannot be merged; rerun the missing shards with --shard K/{}",
                                     dir.string(), first.stem, s.stem, first.shard.count, s.shard.count,
                                     first.shard.count));
    }
    if (!s.base_hash.empty() && !first.base_hash.empty() && s.base_hash != first.base_hash) {
      throw ResultsError(fmt::format("{}: {} and {} ran different base scenarios ({} and {}): the base scenario "
                                     "changed between shards; rerun them from one scenario in a new directory",
                                     dir.string(), first.stem, s.stem, first.base_hash, s.base_hash));
    }
  }
  for (const auto& s : on_disk) {  // sorted by name: never by directory order
    if (!only.empty() && s.stem != only) continue;
    const Manifest m = read_manifest(dir / (s.stem + ".manifest"), runs, false);
    ShardFiles f;
    f.stem = s.stem;
    f.results = dir / (s.stem + ".results");
    f.series = dir / (s.stem + (m.series_gzip ? ".series.gz" : ".series"));
    f.results_bytes = m.results_bytes;
    f.series_bytes = m.series_bytes;
    f.series_format = !with_series || m.series_bytes == 0 ? SeriesFormat::none
                      : m.series_gzip                     ? SeriesFormat::gzip
                                                          : SeriesFormat::plain;
    shards_.push_back(std::move(f));
  }
  entries_ = Entries(dir, runs, memory_runs);
  for (std::uint32_t k = 0; k < shards_.size(); ++k) {
    index_results(k);
    if (shards_[k].series_format != SeriesFormat::none) index_series(k);
  }
}

RecordIndex::~RecordIndex() { close_shard(); }

RecordIndex::RecordIndex(RecordIndex&& other) noexcept
    : runs_(other.runs_),
      entries_(std::move(other.entries_)),
      shards_(std::move(other.shards_)),
      recorded_(other.recorded_),
      failed_(other.failed_),
      with_series_(other.with_series_),
      open_(std::exchange(other.open_, no_shard)),
      results_fd_(std::exchange(other.results_fd_, -1)),
      series_fd_(std::exchange(other.series_fd_, -1)) {}

RecordIndex& RecordIndex::operator=(RecordIndex&& other) noexcept {
  if (this != &other) {
    close_shard();
    runs_ = other.runs_;
    entries_ = std::move(other.entries_);
    shards_ = std::move(other.shards_);
    recorded_ = other.recorded_;
    failed_ = other.failed_;
    with_series_ = other.with_series_;
    open_ = std::exchange(other.open_, no_shard);
    results_fd_ = std::exchange(other.results_fd_, -1);
    series_fd_ = std::exchange(other.series_fd_, -1);
  }
  return *this;
}

void RecordIndex::index_results(std::uint32_t shard) {
  ShardFiles& f = shards_[shard];
  const std::string file = f.results.string();
  struct stat st = {};
  const Closer fd{open_regular(f.results, f.results_bytes, st)};
  f.results_dev = st.st_dev;
  f.results_ino = st.st_ino;
  int number = 0;
  each_line(fd.fd, f.results_bytes, file, [&](std::string_view line, std::uint64_t offset) {
    ++number;
    const RunRecord r = parse_result_line(line, runs_, fmt::format("{}:{}", file, number));
    Entry e = entries_.get(r.run);
    if (e.shard == shard + 1) fail(fmt::format("{}:{}:1", file, number), fmt::format("run {} is recorded twice", r.run));
    if (e.shard != none) {
      throw ResultsError(fmt::format("run {} is recorded by both {}.manifest and {}.manifest: these shards are from "
                                     "different sweeps",
                                     r.run, shards_[e.shard - 1].stem, f.stem));
    }
    e.shard = shard + 1;
    e.line_offset = offset;
    e.line_bytes = static_cast<std::uint32_t>(line.size());
    entries_.set(r.run, e);
    ++recorded_;
    failed_ += r.ok ? 0 : 1;
  });
}

void RecordIndex::index_series(std::uint32_t shard) {
  ShardFiles& f = shards_[shard];
  const std::string file = f.series.string();
  struct stat st = {};
  const Closer fd{open_regular(f.series, f.series_bytes, st)};
  f.series_dev = st.st_dev;
  f.series_ino = st.st_ino;
  const auto claim = [&](std::uint64_t run, std::uint64_t offset, std::uint64_t bytes, const std::string& where) {
    if (run >= runs_) fail(where, "a line of an unknown run");
    Entry e = entries_.get(run);
    if (e.shard != shard + 1) fail(where, "a line of an unknown run");
    if (e.series_bytes != 0) {
      fail(where, fmt::format("a second series of run {}; expected each run's lines together, as aidcsim sweep writes them", run));
    }
    if (bytes > 0xffffffffu) fail(where, fmt::format("the series of run {} takes more than 4 GiB", run));
    e.series_offset = offset;
    e.series_bytes = static_cast<std::uint32_t>(bytes);
    entries_.set(run, e);
  };
  if (f.series_format == SeriesFormat::plain) {
    // Each run's lines are together: a chunk per run, from its first line to the next run's.
    std::uint64_t run = 0, start = 0, end = 0;
    bool open = false;
    each_line(fd.fd, f.series_bytes, file, [&](std::string_view line, std::uint64_t offset) {
      const auto r = series_run(line);
      if (!r) fail(file, "a line of an unknown run");
      if (open && *r == run) {
        end = offset + line.size() + 1;
        return;
      }
      if (open) claim(run, start, end - start, file);
      run = *r, start = offset, end = offset + line.size() + 1, open = true;
    });
    if (open) claim(run, start, std::min(end, f.series_bytes) - start, file);
    return;
  }
  for (std::uint64_t at = 0; at < f.series_bytes;) {
    throw_if_interrupted("reading " + file);
    std::uint64_t member = 0;
    const std::string text = inflate_member(fd.fd, at, f.series_bytes, member, file);
    const std::string where = fmt::format("{}: byte {}", file, at);
    if (text.empty() || text.back() != '\n') fail(where, "a member that is not whole lines of one run's series");
    const auto run = series_run(text);
    if (!run) fail(where, "a line of an unknown run");
    // Every line of the member is of that run.
    const std::string prefix = std::to_string(*run) + ",";
    for (std::size_t pos = 0; pos < text.size(); pos = text.find('\n', pos) + 1) {
      if (text.compare(pos, prefix.size(), prefix) != 0) fail(where, fmt::format("a line of another run in the series of run {}", *run));
    }
    claim(*run, at, member, where);
    at += member;
  }
}

void RecordIndex::close_shard() noexcept {
  if (results_fd_ >= 0) ::close(results_fd_);
  if (series_fd_ >= 0) ::close(series_fd_);
  results_fd_ = series_fd_ = -1;
  open_ = no_shard;
}

void RecordIndex::open_shard(std::uint32_t shard) {
  if (open_ == shard) return;
  close_shard();
  const ShardFiles& f = shards_[shard];
  const auto changed = [](const std::filesystem::path& file) {
    fail(file.string(), "changed while the sweep was being read; read it again");
  };
  struct stat st = {};
  results_fd_ = open_regular(f.results, f.results_bytes, st);
  if (st.st_dev != f.results_dev || st.st_ino != f.results_ino) {
    close_shard();
    changed(f.results);
  }
  if (f.series_format != SeriesFormat::none) {
    try {
      series_fd_ = open_regular(f.series, f.series_bytes, st);
    } catch (...) {
      close_shard();
      throw;
    }
    if (st.st_dev != f.series_dev || st.st_ino != f.series_ino) {
      close_shard();
      changed(f.series);
    }
  }
  open_ = shard;
}

RunRecord RecordIndex::read(std::size_t run) {
  if (!is_recorded(run)) throw std::out_of_range(fmt::format("run {} is not recorded", run));
  const Entry e = entries_.get(run);
  open_shard(e.shard - 1);
  const std::string file = shards_[e.shard - 1].results.string();
  std::string line;
  read_at(results_fd_, e.line_offset, e.line_bytes, line, file);
  RunRecord r = parse_result_line(line, runs_, fmt::format("{}: byte {}", file, e.line_offset));
  if (r.run != run) fail(file, "changed while the sweep was being read; read it again");
  return r;
}

void RecordIndex::append_series(std::size_t run, std::string& out) {
  if (run >= runs_) return;
  const Entry e = entries_.get(run);
  if (e.shard == none || e.series_bytes == 0) return;
  open_shard(e.shard - 1);
  const ShardFiles& f = shards_[e.shard - 1];
  if (f.series_format == SeriesFormat::plain) {
    std::string chunk;
    read_at(series_fd_, e.series_offset, e.series_bytes, chunk, f.series.string());
    out += chunk;
    return;
  }
  std::uint64_t member = 0;
  out += inflate_member(series_fd_, e.series_offset, f.series_bytes, member, f.series.string());
  if (member != e.series_bytes) fail(f.series.string(), "changed while the sweep was being read; read it again");
}

}  // namespace aidc::sweep
