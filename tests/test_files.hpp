#pragma once
// Files for tests: a fresh directory under the build tree, and a whole file read back.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace aidc::test {

//! AIDC_BINARY_DIR/test-tmp/<name>, emptied and created.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(AIDC_BINARY_DIR) / "test-tmp" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

//! The bytes of a file ("" if it cannot be read).
inline std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace aidc::test
