#include "aidc/sweep/results_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "aidc/kernel/interrupt.hpp"
#include "aidc/output/atomic_file.hpp"
#include "aidc/sweep/record_index.hpp"
#include "aidc/sweep/series_codec.hpp"
#include "aidc/sweep/streamed_file.hpp"
#include "aidc/text/number.hpp"

namespace aidc::sweep {

namespace {

constexpr const char* manifest_magic = "aidcsim sweep manifest 1";

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw ResultsError(file.string() + ": " + what);
}

// A shard file that cannot be written (unwritable directory, full disk): an output error, as for
// every other output file.
[[noreturn]] void cannot_write(const std::filesystem::path& file, int err) {
  throw OutputError("cannot write " + file.string() + ": " + std::strerror(err));
}

// Opens a shard file for appending, cut back to `keep_bytes`. Never through a symbolic link
// (O_NOFOLLOW) and only a regular file (a device, a pipe or a directory planted under the name is
// refused, and a pipe never blocks the open); a file shorter than `keep_bytes` is an error, not
// extended.
int open_append(const std::filesystem::path& file, std::uint64_t keep_bytes) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd < 0 && errno == ELOOP) {
    throw OutputError("cannot write " + file.string() + ": it is a symbolic link; expected a regular file");
  }
  // ENXIO: a named pipe no one reads; EISDIR: a directory.
  if (fd < 0 && (errno == ENXIO || errno == EISDIR)) throw OutputError("cannot write " + file.string() + ": not a regular file");
  if (fd < 0) cannot_write(file, errno);
  struct stat st = {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw OutputError("cannot write " + file.string() + ": not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) < keep_bytes) {
    ::close(fd);
    throw ResultsError(fmt::format("{}: {} bytes, shorter than the {} bytes its manifest records", file.string(),
                                   st.st_size, keep_bytes));
  }
  if (::fcntl(fd, F_SETFL, 0) != 0 || ::ftruncate(fd, static_cast<off_t>(keep_bytes)) != 0 ||
      ::lseek(fd, 0, SEEK_END) < 0) {
    const int e = errno;
    ::close(fd);
    throw OutputError("cannot cut " + file.string() + " back to its manifest: " + std::strerror(e));
  }
  return fd;
}

void write_all(int fd, const std::string& data, const std::filesystem::path& file) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) cannot_write(file, errno);
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) cannot_write(file, errno);
}

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return s;
}

// Opens a shard file to read: no symbolic link, a regular file, at least `min_bytes` long.
// Returns its descriptor and size.
std::pair<int, std::uint64_t> open_to_read(const std::filesystem::path& file, std::uint64_t min_bytes,
                                           const std::string& needs) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && errno == ELOOP) fail(file, "a symbolic link; expected a regular file written by aidcsim sweep");
  if (fd < 0) fail(file, std::string("cannot be read: ") + std::strerror(errno));
  struct stat st = {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    fail(file, "not a regular file; expected one written by aidcsim sweep");
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < min_bytes) {
    ::close(fd);
    fail(file, fmt::format("{} bytes, shorter than {}", size, needs));
  }
  return {fd, size};
}

// Reads `bytes` from `fd` (closed after).
std::string read_fd(int fd, std::uint64_t bytes, const std::filesystem::path& file) {
  std::string out(bytes, '\0');
  std::size_t done = 0;
  while (done < bytes) {
    const ssize_t n = ::read(fd, out.data() + done, bytes - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      fail(file, "shorter than its manifest says");
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return out;
}

std::string manifest_text(const Manifest& m, const std::string& base_hash) {
  return fmt::format("{}\nresults_bytes {}\n{} {}\ndone {}\nfailed {}\n{}", manifest_magic, m.results_bytes,
                     m.series_gzip ? "series_gz_bytes" : "series_bytes", m.series_bytes, format_ranges(m.done),
                     format_ranges(m.failed), base_hash.empty() ? std::string() : "base_hash " + base_hash + "\n");
}

// Reads `bytes` at `offset` of `fd`.
std::string read_range(int fd, std::uint64_t offset, std::size_t bytes, const std::filesystem::path& file) {
  std::string out;
  read_file_range(fd, offset, bytes, out, file);
  return out;
}

// Closes a descriptor when it goes out of scope.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

// The records of a shard file's first `bytes` in order: each one's run, offset and size. The
// results and plain series are lines (a run's lines together, as the writer appends them), the
// compressed series one gzip member per run.
struct Piece {
  std::size_t run = 0;
  std::uint64_t offset = 0, bytes = 0;
};

std::vector<Piece> line_pieces(int fd, std::uint64_t bytes, const std::filesystem::path& file, char separator,
                               std::size_t runs, bool group_by_run) {
  std::vector<Piece> out;
  const auto line = [&](std::string_view text, std::uint64_t offset) {
    const auto run = parse_whole(text.substr(0, text.find(separator)));
    if (!run || *run >= runs) fail(file.string() + fmt::format(": byte {}", offset), "a record of no run of this sweep");
    if (group_by_run && !out.empty() && out.back().run == *run && out.back().offset + out.back().bytes == offset) {
      out.back().bytes += text.size() + 1;
      return;
    }
    out.push_back({static_cast<std::size_t>(*run), offset, text.size() + 1});
  };
  std::string rest;
  if (for_each_line(fd, bytes, file, std::string::npos, line, rest)) {
    fail(file, fmt::format("the {} bytes its manifest records end inside a line", bytes));
  }
  return out;
}

std::vector<Piece> member_pieces(int fd, std::uint64_t bytes, const std::filesystem::path& file, std::size_t runs) {
  std::vector<Piece> out;
  for (std::uint64_t at = 0; at < bytes;) {
    throw_if_interrupted("reading " + file.string());
    std::uint64_t member = 0;
    const std::string text = inflate_member(fd, at, bytes, member, file.string());
    const auto run = parse_whole(std::string_view(text).substr(0, text.find(',')));
    if (!run || *run >= runs) fail(file.string() + fmt::format(": byte {}", at), "a series of no run of this sweep");
    out.push_back({static_cast<std::size_t>(*run), at, member});
    at += member;
  }
  return out;
}

// Opens a shard file to read (no link, a regular file, at least `bytes` long).
int open_shard_file(const std::filesystem::path& file, std::uint64_t bytes) {
  return open_to_read(file, bytes, fmt::format("the {} bytes its manifest records", bytes)).first;
}

// Writes a copy of `file` (its pieces) beside it: the pieces of kept runs, then those of
// `failed` runs. Returns the bytes of the kept ones; the copy is committed by the caller.
std::uint64_t reorder_copy(int fd, const std::filesystem::path& file, const std::vector<Piece>& pieces,
                           const std::vector<bool>& failed, StreamedFile& copy) {
  constexpr std::uint64_t chunk_bytes = 1u << 20;
  std::uint64_t kept = 0;
  for (const bool second : {false, true}) {
    for (const Piece& p : pieces) {
      if (failed[p.run] != second) continue;
      for (std::uint64_t at = 0; at < p.bytes; at += chunk_bytes) {
        copy.write(read_range(fd, p.offset + at, static_cast<std::size_t>(std::min(chunk_bytes, p.bytes - at)), file));
      }
      if (!second) kept += p.bytes;
    }
  }
  return kept;
}

}  // namespace

std::string format_ranges(const std::vector<std::size_t>& sorted) {
  std::string out;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += j == i ? std::to_string(sorted[i]) : fmt::format("{}-{}", sorted[i], sorted[j]);
    i = j + 1;
  }
  return out;
}

namespace {

// Checks run ranges ("0-3,8"): sorted, below `runs`; each run appended to `out` if given.
// False if malformed.
bool check_ranges(std::string_view rest, std::size_t runs, std::vector<std::size_t>* out) {
  std::optional<std::uint64_t> last;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const auto dash = item.find('-');
    const auto a = parse_whole(item.substr(0, dash));
    const auto b = dash == std::string_view::npos ? a : parse_whole(item.substr(dash + 1));
    if (!a || !b || *b < *a || *b >= runs || (last && *a <= *last)) return false;
    last = *b;
    if (out != nullptr) {
      for (auto v = *a; v <= *b; ++v) out->push_back(static_cast<std::size_t>(v));
    }
  }
  return true;
}

}  // namespace

std::optional<std::vector<std::size_t>> parse_ranges(const std::string& text, std::size_t runs) {
  std::vector<std::size_t> out;
  if (!check_ranges(text, runs, &out)) return std::nullopt;
  return out;
}

Manifest read_manifest(const std::filesystem::path& file, std::size_t runs, bool with_runs) {
  // At most every run in `done` and in `failed`, each written in full: a larger file is not a
  // manifest of this sweep, and is refused before it is read.
  const std::uint64_t max_bytes = 64 + 2 * 24 * static_cast<std::uint64_t>(runs) + 4096;
  const auto [fd, size] = open_to_read(file, 0, "");
  if (size > max_bytes) {
    ::close(fd);
    fail(file.string() + ":1:1", fmt::format("{} bytes; a manifest of a sweep of {} runs has at most {}", size, runs, max_bytes));
  }
  const std::string text = read_fd(fd, size, file);
  Manifest m;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  bool seen_series = false;
  while (std::getline(in, line)) {
    ++number;
    const auto space = line.find(' ');
    const auto where = fmt::format(":{}:{}", number, space == std::string::npos ? 1 : space + 2);
    if (number == 1) {
      if (line != manifest_magic) fail(file.string() + fmt::format(":{}:1", number), "not a sweep manifest");
      continue;
    }
    const std::string key = line.substr(0, space);
    const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "results_bytes" || key == "series_bytes" || key == "series_gz_bytes") {
      const auto v = parse_whole(value);
      if (!v) fail(file.string() + where, "expected a byte count");
      if (key != "results_bytes") {
        if (seen_series) fail(file.string() + fmt::format(":{}:1", number), "a second series byte count");
        seen_series = true;
        m.series_gzip = key == "series_gz_bytes";
      }
      (key == "results_bytes" ? m.results_bytes : m.series_bytes) = *v;
      // The count is checked against the file it counts before anything trusts it.
      auto counted = file;
      counted.replace_extension(key == "results_bytes" ? ".results" : m.series_gzip ? ".series.gz" : ".series");
      struct stat st = {};
      const bool present = ::lstat(counted.c_str(), &st) == 0;
      if (present && S_ISLNK(st.st_mode)) fail(counted, "a symbolic link; expected a regular file written by aidcsim sweep");
      if (*v > 0 && (!present || static_cast<std::uint64_t>(st.st_size) < *v)) {
        fail(file.string() + where,
             present ? fmt::format("{} {} is more than {} holds ({} bytes); expected the manifest written with it", key,
                                   *v, counted.filename().string(), st.st_size)
                     : fmt::format("{} {}, but {} is missing", key, *v, counted.filename().string()));
      }
    } else if (key == "base_hash") {
      const bool well_formed = value.size() == 24 && value.starts_with("fnv1a64:") &&
                               value.find_first_not_of("0123456789abcdef", 8) == std::string::npos;
      if (!well_formed) fail(file.string() + where, "expected fnv1a64:<16 hex digits>");
      m.base_hash = value;
    } else if (key == "done" || key == "failed") {
      auto& listed = key == "done" ? m.done : m.failed;
      listed.clear();
      if (!check_ranges(value, runs, with_runs ? &listed : nullptr)) {
        fail(file.string() + where,
             fmt::format("expected sorted run ranges such as 0-3,8, of runs below {} (the sweep's run count)", runs));
      }
    } else {
      fail(file.string() + fmt::format(":{}:1", number), "unknown line '" + key.substr(0, 40) + "'");
    }
  }
  if (number == 0) fail(file, "empty");
  return m;
}

ShardWriter::ShardWriter(const std::filesystem::path& dir, const Shard& shard, bool resume, std::size_t runs,
                         std::string base_hash)
    : dir_(dir), stem_(shard.stem()), base_hash_(std::move(base_hash)) {
  const auto manifest_file = dir_ / (stem_ + ".manifest");
  if (std::filesystem::exists(manifest_file)) {
    if (!resume) {
      throw std::invalid_argument(manifest_file.string() +
                                  " exists: this shard already ran here; use --resume to continue it, or another directory");
    }
    manifest_ = read_manifest(manifest_file, runs);
    if (!base_hash_.empty() && !manifest_.base_hash.empty() && manifest_.base_hash != base_hash_) {
      throw std::invalid_argument(fmt::format(
          "{} ran another base scenario ({}; now {}): the base scenario (or a file it extends) changed since this "
          "shard started; restore it to resume, or run the sweep in a new directory",
          manifest_file.string(), manifest_.base_hash, base_hash_));
    }
  }
  // New shards compress their series; one begun with plain series keeps them plain.
  if (manifest_.series_bytes == 0) manifest_.series_gzip = true;
  series_name_ = stem_ + (manifest_.series_gzip ? ".series.gz" : ".series");
  results_fd_ = open_append(dir_ / (stem_ + ".results"), manifest_.results_bytes);
  try {
    series_fd_ = open_append(dir_ / series_name_, manifest_.series_bytes);
  } catch (...) {
    ::close(results_fd_);
    throw;
  }
}

ShardWriter::~ShardWriter() {
  if (results_fd_ >= 0) ::close(results_fd_);
  if (series_fd_ >= 0) ::close(series_fd_);
}

void ShardWriter::append(const std::vector<RunRecord>& batch) {
  if (batch.empty()) return;
  std::string results, series;
  for (const auto& r : batch) {
    results += std::to_string(r.run);
    if (r.ok) {
      results += "\tok\t";
      for (std::size_t i = 0; i < r.kpis.size(); ++i) {
        fmt::format_to(std::back_inserter(results), "{}{}={}", i ? ";" : "", r.kpis[i].first, r.kpis[i].second);
      }
    } else {
      results += "\tfailed\t" + one_line(r.error);
      manifest_.failed.insert(std::upper_bound(manifest_.failed.begin(), manifest_.failed.end(), r.run), r.run);
    }
    results += '\n';
    if (manifest_.series_gzip && !r.series.empty()) series += gzip_member(r.series);
    else series += r.series;
    manifest_.done.insert(std::upper_bound(manifest_.done.begin(), manifest_.done.end(), r.run), r.run);
  }
  write_all(results_fd_, results, dir_ / (stem_ + ".results"));
  if (!series.empty()) write_all(series_fd_, series, dir_ / series_name_);
  manifest_.results_bytes += results.size();
  manifest_.series_bytes += series.size();
  write_file_atomically(dir_ / (stem_ + ".manifest"), manifest_text(manifest_, base_hash_));
}

std::vector<ShardOnDisk> shards_on_disk(const std::filesystem::path& dir, std::size_t runs) {
  std::vector<ShardOnDisk> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (!name.starts_with("shard-") || !name.ends_with(".manifest")) continue;
    const std::string stem = name.substr(0, name.size() - std::string(".manifest").size());
    const auto of = stem.find("-of-");
    const auto shard = of == std::string::npos ? std::nullopt
                                               : parse_shard(stem.substr(6, of - 6) + "/" + stem.substr(of + 4));
    if (!shard || shard->stem() != stem) fail(entry.path(), "not the manifest of a shard (shard-K-of-N.manifest)");
    out.push_back({stem, *shard, read_manifest(entry.path(), runs, false).base_hash});
  }
  std::sort(out.begin(), out.end(), [](const ShardOnDisk& a, const ShardOnDisk& b) { return a.stem < b.stem; });
  return out;
}

std::vector<RunRecord> read_results(const std::filesystem::path& dir, bool with_series, std::size_t runs) {
  RecordIndex index(dir, runs, with_series);
  std::vector<RunRecord> records;
  records.reserve(index.recorded());
  for (std::size_t run = 0; run < index.runs(); ++run) {
    if (!index.is_recorded(run)) continue;
    records.push_back(index.read(run));
    index.append_series(run, records.back().series);
  }
  return records;
}

}  // namespace aidc::sweep

namespace aidc::sweep {

std::vector<std::size_t> set_aside_failed_runs(const std::filesystem::path& dir, const Shard& shard, std::size_t runs,
                                               const std::string& base_hash) {
  const std::string stem = shard.stem();
  const auto manifest_file = dir / (stem + ".manifest");
  Manifest m = read_manifest(manifest_file, runs);
  if (!base_hash.empty() && !m.base_hash.empty() && m.base_hash != base_hash) {
    throw std::invalid_argument(fmt::format(
        "{} ran another base scenario ({}; now {}): the base scenario (or a file it extends) changed since this "
        "shard started; restore it to retry its runs, or run the sweep in a new directory",
        manifest_file.string(), m.base_hash, base_hash));
  }
  if (m.failed.empty()) return {};
  std::vector<bool> failed(runs, false);
  for (const auto run : m.failed) failed[run] = true;

  // Everything is read and checked before anything is written.
  const auto results_file = dir / (stem + ".results");
  const auto series_file = dir / (stem + (m.series_gzip ? ".series.gz" : ".series"));
  const FdCloser results_fd{open_shard_file(results_file, m.results_bytes)};
  const auto results = line_pieces(results_fd.fd, m.results_bytes, results_file, '\t', runs, false);
  std::vector<int> lines(runs, 0);
  for (const Piece& p : results) ++lines[p.run];
  for (const auto run : m.failed) {
    if (lines[run] != 1) {
      fail(results_file, fmt::format("run {} is listed as failed by {} but recorded {} times; expected once",
                                     run, manifest_file.filename().string(), lines[run]));
    }
  }
  const FdCloser series_fd{m.series_bytes > 0 ? open_shard_file(series_file, m.series_bytes) : -1};
  std::vector<Piece> series;
  if (m.series_bytes > 0) {
    series = m.series_gzip ? member_pieces(series_fd.fd, m.series_bytes, series_file, runs)
                           : line_pieces(series_fd.fd, m.series_bytes, series_file, ',', runs, true);
  }

  // 1. Each file reordered, its failed records last (same records, same size), renamed over it.
  //    The copies are committed in the reverse order of their making, so that the signals each
  //    holds back are let in once both are in place. A series file that holds no series of a
  //    failed run (a failed run usually keeps none) is left as it is.
  const bool series_touched =
      std::any_of(series.begin(), series.end(), [&](const Piece& p) { return failed[p.run]; });
  std::uint64_t results_kept = 0, series_kept = m.series_bytes;
  {
    StreamedFile results_copy(results_file);
    results_kept = reorder_copy(results_fd.fd, results_file, results, failed, results_copy);
    if (series_touched) {
      StreamedFile series_copy(series_file);
      series_kept = reorder_copy(series_fd.fd, series_file, series, failed, series_copy);
      series_copy.commit();
    }
    results_copy.commit();
  }
  // 2. The manifest ends before the failed records: they are pending.
  const std::vector<std::size_t> set_aside = m.failed;
  std::vector<std::size_t> done;
  for (const auto run : m.done) {
    if (!failed[run]) done.push_back(run);
  }
  m.done = std::move(done);
  m.failed.clear();
  m.results_bytes = results_kept;
  m.series_bytes = series_kept;
  write_file_atomically(manifest_file, manifest_text(m, m.base_hash.empty() ? base_hash : m.base_hash));
  return set_aside;
}

std::optional<std::uint64_t> for_each_line(int fd, std::uint64_t bytes, const std::filesystem::path& file,
                                           std::size_t max_line_bytes,
                                           const std::function<void(std::string_view, std::uint64_t)>& line,
                                           std::string& rest) {
  constexpr std::size_t chunk_bytes = 1u << 20;
  const auto too_long = [&] { fail(file, fmt::format("a line of more than {} bytes", max_line_bytes)); };
  std::string chunk;
  rest.clear();
  std::uint64_t rest_offset = 0;
  for (std::uint64_t at = 0; at < bytes; at += chunk.size()) {
    throw_if_interrupted("reading " + file.string());  // a large sweep takes a while: a stop is not kept waiting
    read_file_range(fd, at, static_cast<std::size_t>(std::min<std::uint64_t>(chunk_bytes, bytes - at)), chunk, file);
    std::size_t pos = 0;
    while (pos < chunk.size()) {
      const auto nl = chunk.find('\n', pos);
      if (nl == std::string::npos) {
        if (rest.empty()) rest_offset = at + pos;
        rest.append(chunk, pos, std::string::npos);
        if (rest.size() > max_line_bytes) too_long();
        break;
      }
      if (rest.empty()) {
        line(std::string_view(chunk).substr(pos, nl - pos), at + pos);
      } else {
        rest.append(chunk, pos, nl - pos);
        if (rest.size() > max_line_bytes) too_long();
        line(std::string_view(rest), rest_offset);
        rest.clear();
      }
      pos = nl + 1;
    }
  }
  if (rest.empty()) return std::nullopt;
  return rest_offset;
}

void read_file_range(int fd, std::uint64_t offset, std::size_t bytes, std::string& out,
                     const std::filesystem::path& file) {
  out.resize(bytes);
  std::size_t done = 0;
  while (done < bytes) {
    const ssize_t n = ::pread(fd, out.data() + done, bytes - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(file, std::string("cannot be read: ") + std::strerror(errno));
    if (n == 0) fail(file, "shorter than its manifest says");
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace aidc::sweep
