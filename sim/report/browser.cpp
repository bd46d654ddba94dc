#include "aidc/report/browser.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "aidc/output/atomic_file.hpp"

extern char** environ;

namespace aidc {

TemporaryDirectory::TemporaryDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "aidcsim-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw OutputError("cannot create a temporary directory in " + std::filesystem::temp_directory_path().string() +
                      ": " + std::strerror(errno));
  }
  path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::optional<std::filesystem::path> find_chromium() {
  if (const char* chosen = std::getenv("AIDC_CHROMIUM"); chosen != nullptr && *chosen != '\0') {
    return std::filesystem::path(chosen);
  }
  const char* path = std::getenv("PATH");
  const std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::size_t start = 0;
    while (start <= dirs.size()) {
      const std::size_t end = std::min(dirs.find(':', start), dirs.size());
      const std::filesystem::path candidate = std::filesystem::path(dirs.substr(start, end - start)) / name;
      if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
      start = end + 1;
    }
  }
  return std::nullopt;
}

std::string dump_dom_headless(const std::filesystem::path& chromium, const std::filesystem::path& html_file,
                              int timeout_seconds) {
  TemporaryDirectory profile;
  const std::filesystem::path log = profile.path() / "browser.log";
  std::vector<std::string> args = {chromium.string(),
                                   "--headless",
                                   "--disable-gpu",
                                   "--no-sandbox",
                                   "--no-first-run",
                                   "--disable-extensions",
                                   "--disable-background-networking",
                                   "--hide-scrollbars",
                                   "--user-data-dir=" + (profile.path() / "profile").string(),
                                   "--virtual-time-budget=30000",
                                   "--dump-dom",
                                   "file://" + std::filesystem::absolute(html_file).string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out_pipe[2];
  if (::pipe(out_pipe) != 0) throw OutputError(std::string("cannot start the browser: pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  posix_spawn_file_actions_addclose(&actions, out_pipe[1]);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);  // its own process group: a timeout ends all of it
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, chromium.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out_pipe[1]);
  if (spawned != 0) {
    ::close(out_pipe[0]);
    throw OutputError("cannot start the browser " + chromium.string() + ": " + std::strerror(spawned) +
                      " (install Chromium with tools/setup, or set AIDC_CHROMIUM)");
  }

  std::string dom;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  bool timed_out = false;
  char buffer[1 << 16];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out_pipe[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = ::read(out_pipe[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    dom.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(out_pipe[0]);
  if (timed_out) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    throw OutputError("the browser " + chromium.string() + " took longer than " + std::to_string(timeout_seconds) +
                      " s to draw " + html_file.string());
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || dom.empty()) {
    std::ifstream in(log);
    std::ostringstream text;
    text << in.rdbuf();
    std::string tail = text.str();
    if (tail.size() > 2000) tail = "…" + tail.substr(tail.size() - 2000);
    throw OutputError("the browser " + chromium.string() + " failed on " + html_file.string() +
                      (WIFEXITED(status) ? " (exit " + std::to_string(WEXITSTATUS(status)) + ")" : " (killed)") +
                      (tail.empty() ? "" : ":\n" + tail));
  }
  return dom;
}

}  // namespace aidc
