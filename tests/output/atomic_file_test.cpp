#include "aidc/output/atomic_file.hpp"

#include <gtest/gtest.h>

#include "../test_files.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
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

int entries(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

// A file system that fills up, without privileges: the file size limit (RLIMIT_FSIZE) with
// SIGXFSZ ignored makes write() fail with EFBIG past `bytes`, as a full disk fails with ENOSPC.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*previous_)(int) = nullptr;
};

TEST(AtomicFile, FullDiskIsAClearErrorAndLeavesNothing) {
  const fs::path dir = fresh_dir("atomic-full");
  write_file_atomically(dir / "x.csv", "old\n");
  try {
    const FileSizeLimit limit(4096);
    write_file_atomically(dir / "x.csv", std::string(10000, 'x'));
    FAIL() << "expected OutputError";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + (dir / "x.csv").string() + ": File too large");
  }
  EXPECT_EQ(read(dir / "x.csv"), "old\n");  // the old file stands, no temporary is left
  EXPECT_EQ(entries(dir), 1);
}

TEST(StagedFiles, NothingChangesUntilCommit) {
  const fs::path dir = fresh_dir("staged");
  write_file_atomically(dir / "a.csv", "old a\n");
  {
    StagedFiles files(dir);
    files.write("a.csv", "new a\n");
    files.write("b.csv", "new b\n");
    EXPECT_EQ(read(dir / "a.csv"), "old a\n");
    EXPECT_FALSE(fs::exists(dir / "b.csv"));
    EXPECT_EQ(read(files.staging_dir() / "b.csv"), "new b\n");  // readable before the commit
    files.commit();
  }
  EXPECT_EQ(read(dir / "a.csv"), "new a\n");
  EXPECT_EQ(read(dir / "b.csv"), "new b\n");
  EXPECT_EQ(entries(dir), 2);  // the staging directory is gone
}

TEST(StagedFiles, WithoutCommitNothingIsLeft) {
  const fs::path dir = fresh_dir("staged-abandoned");
  write_file_atomically(dir / "a.csv", "old a\n");
  {
    StagedFiles files(dir);
    files.write("a.csv", "new a\n");
    files.write("b.csv", "new b\n");
  }
  EXPECT_EQ(read(dir / "a.csv"), "old a\n");
  EXPECT_EQ(entries(dir), 1);
}

TEST(StagedFiles, FullDiskIsAClearErrorNamingTheFinalFile) {
  const fs::path dir = fresh_dir("staged-full");
  {
    StagedFiles files(dir);
    files.write("small.csv", "fits\n");
    try {
      const FileSizeLimit limit(4096);
      files.write("big.csv", std::string(10000, 'x'));
      FAIL() << "expected OutputError";
    } catch (const OutputError& e) {
      EXPECT_EQ(std::string(e.what()), "cannot write " + (dir / "big.csv").string() + ": File too large");
    }
    EXPECT_FALSE(fs::exists(files.staging_dir() / "big.csv"));
  }
  EXPECT_EQ(entries(dir), 0);
}

TEST(StagedFiles, UnwritableDirectoryIsAClearError) {
  const fs::path dir = fresh_dir("staged-not-a-dir");
  std::ofstream(dir / "file") << "x";
  StagedFiles files(dir / "file");
  try {
    files.write("a.csv", "data");
    FAIL() << "expected OutputError";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + (dir / "file" / "a.csv").string() + ": Not a directory");
  }
}

TEST(AtomicFile, NeverWritesThroughAPlantedTemporary) {
  const fs::path dir = fresh_dir("atomic-planted");
  std::ofstream(dir / "victim") << "victim\n";
  const std::string tmp = "x.csv.tmp." + std::to_string(::getpid());
  fs::create_symlink(dir / "victim", dir / tmp);
  write_file_atomically(dir / "x.csv", "data\n");
  EXPECT_EQ(read(dir / "victim"), "victim\n");
  EXPECT_EQ(read(dir / "x.csv"), "data\n");
  EXPECT_TRUE(fs::is_symlink(dir / tmp));  // left alone
  EXPECT_EQ(entries(dir), 3);              // no temporary of ours left
}

TEST(AtomicFile, RefusesDevicesPipesDirectoriesAndLinksToThem) {
  const fs::path dir = fresh_dir("atomic-special");
  fs::create_symlink("/dev/null", dir / "null");
  fs::create_directory(dir / "sub");
  std::ofstream(dir / "plain") << "x";
  fs::create_symlink(dir / "plain", dir / "to-plain");
  EXPECT_EQ(output_file_refusal("/dev/null"),
            "/dev/null: it is a character device; expected a regular file or a new name (aidcsim never writes over "
            "devices, pipes or directories)");
  EXPECT_NE(output_file_refusal(dir / "null").find("it is a symbolic link to a character device"), std::string::npos);
  EXPECT_NE(output_file_refusal(dir / "sub").find("it is a directory"), std::string::npos);
  EXPECT_EQ(output_file_refusal(dir / "plain"), "");
  EXPECT_EQ(output_file_refusal(dir / "to-plain"), "");  // the link is replaced, never written through
  EXPECT_EQ(output_file_refusal(dir / "new"), "");
  EXPECT_THROW(write_file_atomically(dir / "null", "x"), OutputError);
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  write_file_atomically(dir / "to-plain", "new\n");
  EXPECT_FALSE(fs::is_symlink(dir / "to-plain"));
  EXPECT_EQ(read(dir / "plain"), "x");
}

TEST(StagedFiles, NeverReusesAStagingDirectory) {
  const fs::path dir = fresh_dir("staged-planted");
  std::ofstream(dir / "victim") << "victim\n";
  const fs::path planted = dir / (".tmp." + std::to_string(::getpid()));
  fs::create_directory(planted);
  fs::create_symlink(dir / "victim", planted / "a.csv");
  {
    StagedFiles files(dir);
    files.write("a.csv", "new a\n");
    EXPECT_EQ(read(files.staging_dir() / "a.csv"), "new a\n");
    files.commit();
  }
  EXPECT_EQ(read(dir / "victim"), "victim\n");
  EXPECT_EQ(read(dir / "a.csv"), "new a\n");
  EXPECT_TRUE(fs::is_symlink(planted / "a.csv"));  // what was planted is left as it was
  EXPECT_EQ(entries(dir), 3);
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
