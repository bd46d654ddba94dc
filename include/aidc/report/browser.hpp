#pragma once
//! Headless Chromium, driven from aidcsim to draw static figures with the same charting code as
//! the interactive report (ECharts needs a browser to lay out and draw).

#include <filesystem>
#include <optional>
#include <string>

namespace aidc {

//! The browser to use: $AIDC_CHROMIUM if set, else the first of chromium, chromium-browser,
//! google-chrome found on PATH; nullopt if none.
std::optional<std::filesystem::path> find_chromium();

//! Loads `html_file` in headless `chromium` (a profile of its own in a temporary directory, no
//! network needed) and returns the page's DOM once loaded and its scripts have run. Throws
//! OutputError if the browser cannot start, fails, or takes longer than `timeout_seconds`.
std::string dump_dom_headless(const std::filesystem::path& chromium, const std::filesystem::path& html_file,
                              int timeout_seconds = 180);

//! A directory of its own under the system's temporary directory, removed with everything in it
//! when this object goes away.
class TemporaryDirectory {
 public:
  TemporaryDirectory();
  ~TemporaryDirectory();
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace aidc
