#pragma once
//! Writing output files so that a reader never sees half a file under its final name.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace aidc {

//! An output could not be written (unwritable directory, disk full…); what() names the file and
//! gives the operating system's reason: "cannot write out/timeseries.csv: No space left on device".
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! Writes `content` to `path.tmp.<pid>` in the same directory, flushes it to disk, then renames
//! it to `path` (atomic on POSIX). On any failure the temporary file is removed and OutputError
//! thrown.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

//! Creates `dir` (and parents) if needed; throws OutputError if it cannot or is not a directory.
void ensure_output_directory(const std::filesystem::path& dir);

//! A set of files of one directory replaced together: each is written and flushed to disk in a
//! staging directory, DIR/.tmp.<pid>/, under its own name (so the set can be read back before
//! anything changes), and commit() renames them all into DIR. Until commit() no file under DIR
//! changes; without it (an error, an interruption) the destructor removes the staging directory.
class StagedFiles {
 public:
  //! Stages files for `dir`, which must exist (ensure_output_directory). Touches nothing yet.
  explicit StagedFiles(std::filesystem::path dir);
  ~StagedFiles();
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;

  //! Writes DIR/.tmp.<pid>/`name`; throws OutputError naming DIR/`name`.
  void write(const std::string& name, std::string_view content);
  //! Where the staged files are, until commit().
  [[nodiscard]] const std::filesystem::path& staging_dir() const noexcept { return staging_; }
  //! Renames every staged file into DIR, in the order written, and removes the staging directory.
  //! Throws OutputError if a rename fails (the files renamed before it stay).
  void commit();

 private:
  std::filesystem::path dir_;
  std::filesystem::path staging_;
  std::vector<std::string> names_;
  bool staging_created_ = false;
};

}  // namespace aidc
