#include "aidc/sweep/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "aidc/output/atomic_file.hpp"

namespace aidc::sweep {

namespace {

std::string holder_text() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "?");
  const std::time_t now = std::time(nullptr);
  char when[32] = {};
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return fmt::format("pid {} host {} since {}\n", ::getpid(), host, when);
}

std::string read_holder(int fd) {
  char buffer[512] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text.empty() ? "an unknown process" : text;
}

void write_holder(int fd) {
  const std::string text = holder_text();
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, text.data(), text.size(), 0);
}

}  // namespace

ShardLock::ShardLock(const std::filesystem::path& dir, const Shard& shard) : file_(dir / (shard.stem() + ".lock")) {
  const std::string name = file_.string();
  for (int attempt = 0; attempt < 5; ++attempt) {
    int fd = ::open(file_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) {
      if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {  // another process opened it first and holds it
        ::close(fd);
        continue;
      }
      write_holder(fd);
      fd_ = fd;
      return;
    }
    if (errno != EEXIST) throw OutputError("cannot create " + name + ": " + std::strerror(errno));
    fd = ::open(file_.c_str(), O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) continue;  // released meanwhile
    if (fd < 0 && errno == ELOOP) {
      throw std::invalid_argument(name + " is a symbolic link; expected a lock file aidcsim made (remove it)");
    }
    if (fd < 0) throw OutputError("cannot open " + name + ": " + std::strerror(errno));
    struct stat held = {}, now = {};
    if (::fstat(fd, &held) != 0 || !S_ISREG(held.st_mode)) {
      ::close(fd);
      throw std::invalid_argument(name + " is not a regular file; expected a lock file aidcsim made (remove it)");
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const std::string holder = read_holder(fd);
      ::close(fd);
      throw std::invalid_argument(fmt::format(
          "{} is in use: shard {}/{} of this sweep is being run by {} ({}); wait for it to end, or use another "
          "directory",
          dir.string(), shard.index, shard.count, holder, name));
    }
    // Its holder is gone (killed, preempted): the lock is ours if the name still means this file.
    if (::lstat(file_.c_str(), &now) != 0 || now.st_ino != held.st_ino || now.st_dev != held.st_dev) {
      ::close(fd);
      continue;
    }
    write_holder(fd);
    fd_ = fd;
    return;
  }
  throw std::invalid_argument(name + " keeps changing: another process is taking and releasing it; try again");
}

ShardLock::~ShardLock() {
  if (fd_ < 0) return;
  ::unlink(file_.c_str());
  ::close(fd_);
}

}  // namespace aidc::sweep
