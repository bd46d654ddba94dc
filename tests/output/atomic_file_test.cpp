#include "aidc/output/atomic_file.hpp"

#include <gtest/gtest.h>

#include "../test_files.hpp"

#include <fstream>
#include <sstream>

namespace aidc {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) { return test::fresh_dir("atomic-file/" + name); }
using test::read;

TEST(AtomicFile, WritesAndReplacesWithoutLeavingTemporaries) {
  const fs::path dir = fresh_dir("atomic");
  write_file_atomically(dir / "x.csv", "first\n");
  write_file_atomically(dir / "x.csv", "second\n");
  EXPECT_EQ(read(dir / "x.csv"), "second\n");
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1);
}

TEST(AtomicFile, MissingDirectoryIsAClearError) {
  const fs::path dir = fresh_dir("atomic-missing");
  try {
    write_file_atomically(dir / "no" / "such" / "x.csv", "data");
    FAIL() << "expected OutputError";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot write"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("x.csv"), std::string::npos) << e.what();
  }
}

TEST(AtomicFile, EnsureOutputDirectory) {
  const fs::path dir = fresh_dir("ensure");
  ensure_output_directory(dir / "a" / "b");
  EXPECT_TRUE(fs::is_directory(dir / "a" / "b"));
  ensure_output_directory(dir / "a" / "b");  // idempotent
  std::ofstream(dir / "file") << "x";
  EXPECT_THROW(ensure_output_directory(dir / "file"), OutputError);
  EXPECT_THROW(ensure_output_directory(dir / "file" / "sub"), OutputError);
}

}  // namespace
}  // namespace aidc
