#pragma once
//! Writing output files so that a reader never sees half a file under its final name.

#include <filesystem>
#include <stdexcept>
#include <string_view>

namespace aidc {

//! An output could not be written (unwritable directory, disk full…); what() says which file and why.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! Writes `content` to `path.tmp.<pid>` in the same directory, flushes it, then renames it to
//! `path` (atomic on POSIX). On any failure the temporary file is removed and OutputError thrown.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

//! Creates `dir` (and parents) if needed; throws OutputError if it cannot or is not a directory.
void ensure_output_directory(const std::filesystem::path& dir);

}  // namespace aidc
