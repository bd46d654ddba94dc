#include "aidc/output/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

namespace aidc {

namespace {

[[noreturn]] void cannot_write(const std::filesystem::path& shown, int err) {
  throw OutputError("cannot write " + shown.string() + ": " + std::strerror(err));
}

// What kind of file a mode is, for messages.
const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a named pipe";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Why `name` in the directory open as `dir_fd` cannot be replaced by an output file, or "" if it
// can: it does not exist, or is a regular file, or a symbolic link to one or to nothing (rename
// replaces the link itself, never what it points to).
std::string refusal(int dir_fd, const char* name, const std::filesystem::path& shown) {
  struct stat st = {};
  if (::fstatat(dir_fd, name, &st, 0) != 0 || S_ISREG(st.st_mode)) return {};
  struct stat link = {};
  const bool via_link = ::fstatat(dir_fd, name, &link, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(link.st_mode);
  return shown.string() + ": it is " + (via_link ? std::string("a symbolic link to ") : std::string()) + kind_of(st.st_mode) +
         "; expected a regular file or a new name (aidcsim never writes over devices, pipes or directories)";
}

// A name no one can have prepared: the usual `stem.<pid>` first, then with a random suffix.
std::string candidate(const std::string& stem, int attempt) {
  std::string name = stem + "." + std::to_string(::getpid());
  if (attempt == 0) return name;
  static thread_local std::mt19937_64 bits{std::random_device{}()};
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, ".%016llx", static_cast<unsigned long long>(bits()));
  return name + suffix;
}
constexpr int attempts = 64;

// SIGINT and SIGTERM held back while a temporary exists, so no signal (not even a second one,
// which ends the process) can leave it behind; they are delivered once it is renamed or removed.
class SignalsHeld {
 public:
  SignalsHeld() {
    sigset_t held;
    sigemptyset(&held);
    sigaddset(&held, SIGINT);
    sigaddset(&held, SIGTERM);
    ::pthread_sigmask(SIG_BLOCK, &held, &saved_);
  }
  ~SignalsHeld() { ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t saved_{};
};

// Creates a new file in `dir_fd` (O_EXCL | O_NOFOLLOW: never one that exists, never through a
// symbolic link) named `stem.<pid>` or, if that exists, `stem.<pid>.<random>`; returns its
// descriptor and sets `name`.
int create_new(int dir_fd, const std::string& stem, std::string& name, const std::filesystem::path& shown) {
  for (int attempt = 0; attempt < attempts; ++attempt) {
    name = candidate(stem, attempt);
    const int fd = ::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) return fd;
    if (errno != EEXIST) cannot_write(shown, errno);
  }
  cannot_write(shown, EEXIST);
}

// Writes `content` to the new file `fd` (named `name` in `dir_fd`) and flushes it to disk; on
// failure removes it and throws OutputError naming `shown`, the name the user knows it by.
void write_and_sync(int fd, int dir_fd, const std::string& name, std::string_view content,
                    const std::filesystem::path& shown) {
  const auto fail = [&](int err) {
    ::close(fd);
    ::unlinkat(dir_fd, name.c_str(), 0);
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
    ::unlinkat(dir_fd, name.c_str(), 0);
    cannot_write(shown, err);
  }
}

// The directory that holds `path`, open for the *at() calls.
int open_parent(const std::filesystem::path& path) {
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) cannot_write(path, errno);
  return fd;
}

class Descriptor {
 public:
  explicit Descriptor(int fd = -1) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string output_file_refusal(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  if (name.empty() || name == "." || name == "..") {
    return path.string() + ": it is a directory; expected a file name";
  }
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const Descriptor dir(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) return {};  // a directory still to be made, or an error the write reports
  return refusal(dir.get(), name.c_str(), path);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  if (const std::string why = output_file_refusal(path); !why.empty()) throw OutputError("cannot write " + why);
  const Descriptor dir(open_parent(path));
  const std::string name = path.filename().string();
  const SignalsHeld held;
  std::string tmp;
  const int fd = create_new(dir.get(), name + ".tmp", tmp, path);
  write_and_sync(fd, dir.get(), tmp, content, path);
  if (::renameat(dir.get(), tmp.c_str(), dir.get(), name.c_str()) != 0) {
    const int err = errno;
    ::unlinkat(dir.get(), tmp.c_str(), 0);
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

StagedFiles::StagedFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}

StagedFiles::~StagedFiles() {
  if (staging_fd_ >= 0) {
    // Only what this object wrote, through the directory it made: never anything put in its place.
    for (const auto& name : names_) ::unlinkat(staging_fd_, name.c_str(), 0);
    ::close(staging_fd_);
    ::unlinkat(dir_fd_, staging_name_.c_str(), AT_REMOVEDIR);
  }
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

void StagedFiles::write(const std::string& name, std::string_view content) {
  if (staging_fd_ < 0) {
    if (dir_fd_ < 0) {
      dir_fd_ = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dir_fd_ < 0) cannot_write(dir_ / name, errno);
    }
    // A fresh directory, never one that exists (mkdir fails on any name already taken, a
    // symbolic link included), private to this user until its files are renamed out of it.
    for (int attempt = 0;; ++attempt) {
      if (attempt == attempts) cannot_write(dir_ / name, EEXIST);
      staging_name_ = candidate(".tmp", attempt);
      if (::mkdirat(dir_fd_, staging_name_.c_str(), 0700) == 0) break;
      if (errno != EEXIST) cannot_write(dir_ / name, errno);
    }
    staging_fd_ = ::openat(dir_fd_, staging_name_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (staging_fd_ < 0) {
      const int err = errno;
      ::unlinkat(dir_fd_, staging_name_.c_str(), AT_REMOVEDIR);
      cannot_write(dir_ / name, err);
    }
    // Read back through the descriptor where /proc allows it, so the files read are the ones
    // written even if someone renames the staging directory meanwhile.
    const std::filesystem::path by_descriptor = "/proc/self/fd/" + std::to_string(staging_fd_);
    std::error_code ec;
    staging_ = std::filesystem::is_directory(by_descriptor, ec) ? by_descriptor : dir_ / staging_name_;
  }
  if (std::find(names_.begin(), names_.end(), name) != names_.end()) {
    ::unlinkat(staging_fd_, name.c_str(), 0);  // written again: the new content replaces the old
    names_.erase(std::find(names_.begin(), names_.end(), name));
  }
  const int fd = ::openat(staging_fd_, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) cannot_write(dir_ / name, errno);
  names_.push_back(name);
  write_and_sync(fd, staging_fd_, name, content, dir_ / name);
}

void StagedFiles::commit() {
  for (const auto& name : names_) {
    if (const std::string why = refusal(dir_fd_, name.c_str(), dir_ / name); !why.empty()) {
      throw OutputError("cannot write " + why);
    }
  }
  {
    const SignalsHeld held;
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (::renameat(staging_fd_, names_[i].c_str(), dir_fd_, names_[i].c_str()) != 0) {
        const int err = errno;
        names_.erase(names_.begin(), names_.begin() + static_cast<std::ptrdiff_t>(i));
        cannot_write(dir_ / names_.front(), err);
      }
    }
  }
  names_.clear();
  ::close(staging_fd_);
  staging_fd_ = -1;
  ::unlinkat(dir_fd_, staging_name_.c_str(), AT_REMOVEDIR);
}

}  // namespace aidc
