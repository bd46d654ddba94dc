#pragma once
//! CSV text: a field quoted only when it holds CSV syntax (RFC 4180).

#include <string>
#include <string_view>

namespace aidc {

//! `s` as one CSV field: unchanged, or in double quotes (inner quotes doubled) if it holds a
//! comma, a quote or a line break. Entity names come from scenarios, so they may.
inline std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace aidc
