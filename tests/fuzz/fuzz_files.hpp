#pragma once
// For the fuzz targets that read directories: one input holds several files, separated by lines
// "--" (`a\n--\nb` is the files a and b), written into a scratch directory of this process.

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace aidc::fuzz {

//! The parts of `input`, at most `count` (the last keeps any further separators).
inline std::vector<std::string_view> split_files(std::string_view input, std::size_t count) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < count) {
    const std::size_t at = input.find("\n--\n");
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at + 1));
    input.remove_prefix(at + 4);
  }
  parts.push_back(input);
  return parts;
}

//! A directory of this process's own, emptied at each call.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("aidc-fuzz-" + name + "-" + std::to_string(::getpid()));
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void write_file(const std::filesystem::path& file, std::string_view content) {
  std::ofstream(file, std::ios::binary).write(content.data(), static_cast<std::streamsize>(content.size()));
}

}  // namespace aidc::fuzz
