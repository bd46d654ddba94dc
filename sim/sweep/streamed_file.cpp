#include "aidc/sweep/streamed_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#include "aidc/kernel/interrupt.hpp"
#include "aidc/output/atomic_file.hpp"

namespace aidc::sweep {

namespace {

constexpr std::size_t buffer_bytes = 1u << 20;

[[noreturn]] void cannot_write(const std::filesystem::path& path, int err) {
  throw OutputError("cannot write " + path.string() + ": " + std::strerror(err));
}

}  // namespace

StreamedFile::StreamedFile(std::filesystem::path path) : path_(std::move(path)) {
  if (const std::string why = output_file_refusal(path_); !why.empty()) throw OutputError("cannot write " + why);
  const std::filesystem::path parent = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  dir_fd_ = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) cannot_write(path_, errno);
  sigset_t held;
  sigemptyset(&held);
  sigaddset(&held, SIGINT);
  sigaddset(&held, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &held, &saved_mask_);
  std::mt19937_64 bits{std::random_device{}()};
  const std::string stem = path_.filename().string() + ".tmp." + std::to_string(::getpid());
  for (int attempt = 0; attempt < 64 && fd_ < 0; ++attempt) {
    temporary_ = stem;
    if (attempt > 0) {
      char suffix[24];
      std::snprintf(suffix, sizeof suffix, ".%016llx", static_cast<unsigned long long>(bits()));
      temporary_ += suffix;
    }
    fd_ = ::openat(dir_fd_, temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ < 0 && errno != EEXIST) break;
  }
  if (fd_ < 0) {
    const int err = errno;
    ::close(dir_fd_);
    ::pthread_sigmask(SIG_SETMASK, &saved_mask_, nullptr);
    cannot_write(path_, err);
  }
  buffer_.reserve(buffer_bytes);
}

StreamedFile::~StreamedFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlinkat(dir_fd_, temporary_.c_str(), 0);
  }
  ::close(dir_fd_);
  ::pthread_sigmask(SIG_SETMASK, &saved_mask_, nullptr);  // a held signal is delivered now
}

void StreamedFile::flush() {
  // A stop asked for while the signals are held is pending: end here, the temporary removed.
  sigset_t pending;
  if (::sigpending(&pending) == 0) {
    for (const int signal : {SIGINT, SIGTERM}) {
      if (sigismember(&pending, signal) == 1 && sigismember(&saved_mask_, signal) == 0) {
        throw Interrupted(signal, "writing " + path_.string());
      }
    }
  }
  for (std::size_t done = 0; done < buffer_.size();) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) cannot_write(path_, errno);
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void StreamedFile::write(std::string_view text) {
  // Filled to its size and written out, so the buffer never grows past it.
  while (!text.empty()) {
    const std::string_view part = text.substr(0, buffer_bytes - buffer_.size());
    buffer_ += part;
    text.remove_prefix(part.size());
    if (buffer_.size() >= buffer_bytes) flush();
  }
}

void StreamedFile::commit() {
  flush();
  if (::fsync(fd_) != 0) cannot_write(path_, errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlinkat(dir_fd_, temporary_.c_str(), 0);
    cannot_write(path_, err);
  }
  if (::renameat(dir_fd_, temporary_.c_str(), dir_fd_, path_.filename().c_str()) != 0) {
    const int err = errno;
    ::unlinkat(dir_fd_, temporary_.c_str(), 0);
    cannot_write(path_, err);
  }
}

}  // namespace aidc::sweep
