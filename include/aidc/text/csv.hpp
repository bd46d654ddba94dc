#pragma once
//! CSV, one dialect for every file aidcsim writes or reads (RFC 4180): fields separated by commas,
//! a field holding a comma, a quote, CR or LF written in double quotes with its quotes doubled.
//! Text that a spreadsheet would run as a formula is neutralized on the way out and restored on
//! the way in.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aidc {

//! `s` as one CSV field: unchanged when it needs nothing; in double quotes (inner quotes doubled)
//! when it holds a comma, a quote or a line break. Text starting with `=`, `+`, `-` or `@` (which a
//! spreadsheet would take for a formula) or with `'` is written quoted behind a `'` (`"'=x"`), as
//! spreadsheets expect; a field that is a number (`-0.5`, `221k`) is never changed. Entity names
//! come from scenarios, so they may need either.
std::string csv_field(std::string_view s);

//! One field of a CSV line as read back: its text (quotes undone, a neutralizing `'` removed)
//! and the 1-based column it starts at.
struct CsvField {
  std::string text;
  int column = 1;
};

//! A line that is not CSV: where (1-based column) and what, in words.
struct CsvProblem {
  int column = 1;
  std::string message;
};

//! Splits one line (without its line end) into fields. On malformed quoting returns nullopt and
//! sets `problem` ("unterminated quoted field; expected a closing '\"'", "unexpected 'x' after a
//! quoted field; expected ','").
std::optional<std::vector<CsvField>> split_csv_line(std::string_view line, CsvProblem& problem);

}  // namespace aidc
