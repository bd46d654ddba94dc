#include "aidc/output/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace aidc {

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
  auto fail = [&](const char* what, int err) {
    std::remove(tmp.c_str());
    throw OutputError("cannot write " + path.string() + ": " + what + ": " + std::strerror(err));
  };
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) fail("open", errno);
  const std::size_t written = std::fwrite(content.data(), 1, content.size(), f);
  const int write_err = errno;
  if (written != content.size()) {
    std::fclose(f);
    fail("write", write_err);
  }
  if (std::fflush(f) != 0 || ::fsync(::fileno(f)) != 0) {
    const int err = errno;
    std::fclose(f);
    fail("flush", err);
  }
  if (std::fclose(f) != 0) fail("close", errno);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("rename", errno);
}

void ensure_output_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw OutputError("cannot create output directory " + dir.string() + ": " + ec.message());
  if (!std::filesystem::is_directory(dir, ec)) {
    throw OutputError("output path " + dir.string() + " exists and is not a directory");
  }
}

}  // namespace aidc
