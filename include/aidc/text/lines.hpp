#pragma once
//! The lines of a text (a CSV or JSON-lines file read whole), one at a time, with their numbers.

#include <cstddef>
#include <string_view>

namespace aidc {

//! Walks `text` line by line. Each line comes without its '\n' (a '\r' before it stays: CSV
//! readers strip it); the last line may lack a line end (complete() says so), which readers of
//! files written whole report.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}
  //! Moves to the next line; false once the text is used up.
  bool next() noexcept {
    if (pos_ >= text_.size()) return false;
    std::size_t end = text_.find('\n', pos_);
    complete_ = end != std::string_view::npos;
    if (!complete_) end = text_.size();
    line_ = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++number_;
    return true;
  }
  [[nodiscard]] std::string_view line() const noexcept { return line_; }
  [[nodiscard]] int number() const noexcept { return number_; }  //!< 1-based
  [[nodiscard]] bool complete() const noexcept { return complete_; }  //!< ended with '\n'
  [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }  //!< no line after this one

 private:
  std::string_view text_;
  std::string_view line_;
  std::size_t pos_ = 0;
  int number_ = 0;
  bool complete_ = false;
};

}  // namespace aidc
