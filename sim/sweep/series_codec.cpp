#include "aidc/sweep/series_codec.hpp"

#include <unistd.h>
#include <zlib.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "aidc/sweep/results_store.hpp"

namespace aidc::sweep {

namespace {

constexpr int level = 6;
constexpr int gzip_window_bits = 15 + 16;  // a 32 KiB window, with the gzip header and trailer
constexpr int memory_level = 8;
constexpr std::size_t chunk_bytes = 64 * 1024;

}  // namespace

std::string gzip_member(std::string_view text) {
  z_stream z{};
  // zlib's gzip header: no name, no comment, modification time 0; the operating system byte is
  // fixed when zlib is built.
  if (deflateInit2(&z, level, Z_DEFLATED, gzip_window_bits, memory_level, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::bad_alloc();
  }
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&z, Z_FINISH);
  const auto written = z.total_out;
  deflateEnd(&z);
  if (status != Z_STREAM_END) throw std::runtime_error("zlib could not compress a series");  // deflateBound is enough
  out.resize(written);
  return out;
}

std::string inflate_member(int fd, std::uint64_t offset, std::uint64_t end, std::uint64_t& member_bytes,
                           const std::string& file) {
  const auto fail = [&](const std::string& what) {
    throw ResultsError(fmt::format("{}: byte {}: {}; expected the gzip members aidcsim sweep writes", file, offset, what));
  };
  z_stream z{};
  if (inflateInit2(&z, gzip_window_bits) != Z_OK) throw std::bad_alloc();
  struct End {
    z_stream& z;
    ~End() { inflateEnd(&z); }
  } end_inflate{z};
  std::string in(chunk_bytes, '\0');
  std::string out;
  std::uint64_t at = offset;
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    if (z.avail_in == 0) {
      if (at >= end) fail("a gzip member cut short");
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_bytes, end - at));
      const ssize_t n = ::pread(fd, in.data(), want, static_cast<off_t>(at));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail(std::string("cannot be read: ") + std::strerror(errno));
      if (n == 0) fail("shorter than its manifest says");
      at += static_cast<std::uint64_t>(n);
      z.next_in = reinterpret_cast<Bytef*>(in.data());
      z.avail_in = static_cast<uInt>(n);
    }
    const std::size_t had = out.size();
    if (had + chunk_bytes > max_series_member_bytes + chunk_bytes) {
      fail(fmt::format("a member of more than {} bytes of text", max_series_member_bytes));
    }
    out.resize(had + chunk_bytes);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + had);
    z.avail_out = static_cast<uInt>(chunk_bytes);
    status = inflate(&z, Z_NO_FLUSH);
    out.resize(had + chunk_bytes - z.avail_out);
    if (status == Z_NEED_DICT || status == Z_DATA_ERROR) fail(std::string("damaged gzip data (") + (z.msg ? z.msg : "bad data") + ")");
    if (status == Z_MEM_ERROR) throw std::bad_alloc();
    if (status == Z_BUF_ERROR && z.avail_in != 0) fail("damaged gzip data");
  }
  if (out.size() > max_series_member_bytes) fail(fmt::format("a member of more than {} bytes of text", max_series_member_bytes));
  member_bytes = z.total_in;
  return out;
}

}  // namespace aidc::sweep
