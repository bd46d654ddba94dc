#pragma once
//! An output file too large to build in memory, written piece by piece and renamed into place
//! at the end, so a reader never sees half of it under its name (as write_file_atomically,
//! output/atomic_file.hpp, for a file built whole).

#include <filesystem>
#include <signal.h>
#include <string>
#include <string_view>

namespace aidc::sweep {

class StreamedFile {
 public:
  //! Creates the temporary `path.tmp.<pid>` (or `path.tmp.<pid>.<random>` if that name is taken
  //! by anything) beside `path`, with O_EXCL | O_NOFOLLOW: nothing already there is ever opened
  //! or written through. Throws OutputError if `path` is refused (output_file_refusal: a
  //! directory, a device, a pipe…) or the temporary cannot be made. SIGINT and SIGTERM are held
  //! back from then until commit() or destruction, so no signal ends the process with the
  //! temporary left behind; write() turns one that came into Interrupted.
  explicit StreamedFile(std::filesystem::path path);
  //! Without commit(): removes the temporary (never anything else), and lets the held signals in.
  ~StreamedFile();
  StreamedFile(const StreamedFile&) = delete;
  StreamedFile& operator=(const StreamedFile&) = delete;

  //! Appends `text` (buffered; written out a MiB at a time). Throws OutputError if the disk
  //! refuses it, Interrupted ("SIGINT while writing PATH") if a stop was asked for.
  void write(std::string_view text);
  //! Writes what is buffered, flushes the file to disk and renames it to `path`.
  void commit();

 private:
  void flush();
  std::filesystem::path path_;
  std::string temporary_;
  std::string buffer_;
  int dir_fd_ = -1;
  int fd_ = -1;
  sigset_t saved_mask_{};
};

}  // namespace aidc::sweep
