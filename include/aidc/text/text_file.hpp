#pragma once
//! Reading a whole input file (a scenario, a sweep file, targets, a run's outputs) with a limit on
//! its size, so that no file, pipe or device can exhaust memory.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace aidc {

//! What is being read, for messages: "no such file; expected a scenario YAML file", "is more than
//! 65 MiB; scenarios are limited to 64 MiB".
struct TextFileKind {
  std::string_view expected;  //!< "a scenario YAML file"
  std::string_view plural;    //!< "scenarios"
};

//! The whole text of `path`, at most max_bytes; a pipe or a device (/dev/zero), which has no size
//! to check first, is read up to one chunk past the limit. nullopt if it cannot be had, with
//! `problem` saying why in words that follow the file's name: "no such file; expected …", "is a
//! directory; expected …", "cannot be opened for reading (check its permissions)", "is more than
//! N MiB; … are limited to M MiB", "read error".
std::optional<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_bytes,
                                          const TextFileKind& kind, std::string& problem);

//! "is more than N MiB; <plural> are limited to M MiB", for text of `bytes` bytes.
std::string too_large_message(std::size_t bytes, std::size_t max_bytes, const TextFileKind& kind);

}  // namespace aidc
