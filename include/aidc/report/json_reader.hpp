#pragma once
//! A small JSON reader (RFC 8259) for run.json and events.jsonl, with the place of every mistake.

#include <string>
#include <string_view>
#include <vector>

namespace aidc {

//! One JSON value. Objects keep their keys in file order (`keys[i]` names `items[i]`).
struct JsonValue {
  enum class Type { null, boolean, number, string, array, object };
  Type type = Type::null;
  bool boolean = false;
  double number = 0.0;
  std::string string;  //!< a string's value; a number's text as written (exact for big integers)
  std::vector<JsonValue> items;  //!< array elements, or object values
  std::vector<std::string> keys;  //!< object keys
  int line = 0;    //!< where the value starts, 1-based
  int column = 0;

  //! The member `key` of an object, or nullptr (also when this is not an object).
  [[nodiscard]] const JsonValue* find(std::string_view key) const noexcept;
  [[nodiscard]] static std::string_view type_name(Type t) noexcept;
};

//! Parses one JSON document. On a mistake throws ReadError
//! "`where`:line:col: what is wrong; what was expected", with line counted from `first_line`.
JsonValue parse_json(std::string_view text, std::string_view where, int first_line = 1);

}  // namespace aidc
