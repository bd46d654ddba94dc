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

//! Why `path` cannot be an output file, or "" if it can. Outputs replace regular files only: a
//! path naming a directory, a device (/dev/null), a pipe or a socket, or a symbolic link to one,
//! is refused ("out/x: it is a symbolic link to a character device; expected a regular file or a new
//! name…"). A symbolic link to a regular file is replaced by the new file, never written through.
std::string output_file_refusal(const std::filesystem::path& path);

//! Writes `content` to a new temporary file in the same directory, flushes it to disk, then
//! renames it to `path` (atomic on POSIX). The temporary, `path.tmp.<pid>`, is created with
//! O_EXCL | O_NOFOLLOW: a file or link already there under that name is never opened, another
//! name (`path.tmp.<pid>.<random>`) is taken instead. SIGINT and SIGTERM are held back from its
//! creation until it is renamed or removed, so no signal leaves it behind. Throws OutputError if
//! `path` is refused by output_file_refusal or on any failure (the temporary is then removed).
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

//! Creates `dir` (and parents) if needed; throws OutputError if it cannot or is not a directory.
void ensure_output_directory(const std::filesystem::path& dir);

//! A set of files of one directory replaced together: each is written and flushed to disk in a
//! staging directory, DIR/.tmp.<pid>/, under its own name (so the set can be read back before
//! anything changes), and commit() renames them all into DIR. Until commit() no file under DIR
//! changes; without it (an error, an interruption) the destructor removes the staging directory.
//! The staging directory is always made fresh (mode 0700; if the name is taken, by anything,
//! `.tmp.<pid>.<random>` instead) and used only through its descriptor, so nothing planted in DIR
//! is ever written through; the destructor removes only the files it wrote.
class StagedFiles {
 public:
  //! Stages files for `dir`, which must exist (ensure_output_directory). Touches nothing yet.
  explicit StagedFiles(std::filesystem::path dir);
  ~StagedFiles();
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;

  //! Writes DIR/.tmp.<pid>/`name`; throws OutputError naming DIR/`name`.
  void write(const std::string& name, std::string_view content);
  //! Where the staged files can be read, until commit(): /proc/self/fd/N, the staging directory
  //! by its descriptor, where /proc is mounted; its path otherwise.
  [[nodiscard]] const std::filesystem::path& staging_dir() const noexcept { return staging_; }
  //! Renames every staged file into DIR, in the order written, and removes the staging directory.
  //! Throws OutputError if a final name is refused by output_file_refusal (nothing is renamed then)
  //! or if a rename fails (the files renamed before it stay).
  void commit();

 private:
  std::filesystem::path dir_;
  std::filesystem::path staging_;
  std::string staging_name_;
  std::vector<std::string> names_;
  int dir_fd_ = -1;
  int staging_fd_ = -1;
};

}  // namespace aidc
