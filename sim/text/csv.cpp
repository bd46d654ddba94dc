#include "aidc/text/csv.hpp"

#include "aidc/text/number.hpp"

namespace aidc {

namespace {

//! Text a spreadsheet would run as a formula, or that starts with the neutralizing quote itself.
bool needs_neutralizing(std::string_view s) {
  if (s.empty()) return false;
  switch (s.front()) {
    case '+':  // `+3` is a number to a spreadsheet, though not to from_chars
      return !parse_number(s.substr(1)).has_value() || (s.size() > 1 && (s[1] == '-' || s[1] == '+'));
    case '=': case '-': case '@': case '\'':
      return !parse_number(s).has_value();
    default:
      return false;
  }
}

}  // namespace

std::string csv_field(std::string_view s) {
  const bool neutralize = needs_neutralizing(s);
  if (!neutralize && s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = neutralize ? "\"'" : "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::optional<std::vector<CsvField>> split_csv_line(std::string_view line, CsvProblem& problem) {
  std::vector<CsvField> fields;
  std::size_t i = 0;
  while (true) {
    CsvField f;
    f.column = static_cast<int>(i) + 1;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) {
          problem = {f.column, "unterminated quoted field; expected a closing '\"'"};
          return std::nullopt;
        }
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            f.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        f.text += line[i++];
      }
      if (i < line.size() && line[i] != ',') {
        problem = {static_cast<int>(i) + 1,
                   std::string("unexpected '") + line[i] + "' after a quoted field; expected ','"};
        return std::nullopt;
      }
      // Only csv_field writes a quoted field starting with ', and only to neutralize it.
      if (!f.text.empty() && f.text.front() == '\'' && needs_neutralizing(std::string_view(f.text).substr(1))) {
        f.text.erase(0, 1);
      }
    } else {
      const std::size_t comma = line.find(',', i);
      const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
      f.text.assign(line.substr(i, end - i));
      i = end;
    }
    fields.push_back(std::move(f));
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return fields;
}

}  // namespace aidc
