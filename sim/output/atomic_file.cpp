#include "aidc/output/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace aidc {

namespace {

[[noreturn]] void cannot_write(const std::filesystem::path& shown, int err) {
  throw OutputError("cannot write " + shown.string() + ": " + std::strerror(err));
}

// Writes `content` to `file` (created or truncated) and flushes it to disk; on failure removes
// `file` and throws OutputError naming `shown`, the name the user knows it by.
void write_and_sync(const std::filesystem::path& file, std::string_view content, const std::filesystem::path& shown) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) cannot_write(shown, errno);
  const auto fail = [&](int err) {
    ::close(fd);
    ::unlink(file.c_str());
    cannot_write(shown, err);
  };
  for (std::size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(errno);
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail(errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(file.c_str());
    cannot_write(shown, err);
  }
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
  write_and_sync(tmp, content, path);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    cannot_write(path, err);
  }
}

void ensure_output_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw OutputError("cannot create output directory " + dir.string() + ": " + ec.message());
  if (!std::filesystem::is_directory(dir, ec)) {
    throw OutputError("output path " + dir.string() + " exists and is not a directory");
  }
}

StagedFiles::StagedFiles(std::filesystem::path dir)
    : dir_(std::move(dir)), staging_(dir_ / (".tmp." + std::to_string(::getpid()))) {}

StagedFiles::~StagedFiles() {
  if (!staging_created_) return;
  std::error_code ec;
  std::filesystem::remove_all(staging_, ec);
}

void StagedFiles::write(const std::string& name, std::string_view content) {
  if (!staging_created_) {
    if (::mkdir(staging_.c_str(), 0755) != 0 && errno != EEXIST) cannot_write(dir_ / name, errno);
    staging_created_ = true;
  }
  write_and_sync(staging_ / name, content, dir_ / name);
  names_.push_back(name);
}

void StagedFiles::commit() {
  for (const auto& name : names_) {
    if (std::rename((staging_ / name).c_str(), (dir_ / name).c_str()) != 0) cannot_write(dir_ / name, errno);
  }
  names_.clear();
  if (staging_created_ && ::rmdir(staging_.c_str()) == 0) staging_created_ = false;
}

}  // namespace aidc
