#include "aidc/report/json_reader.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>

#include "aidc/report/read_error.hpp"

namespace aidc {

const JsonValue* JsonValue::find(std::string_view key) const noexcept {
  if (type != Type::object) return nullptr;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return &items[i];
  }
  return nullptr;
}

std::string_view JsonValue::type_name(Type t) noexcept {
  switch (t) {
    case Type::null: return "null";
    case Type::boolean: return "a boolean";
    case Type::number: return "a number";
    case Type::string: return "a string";
    case Type::array: return "an array";
    case Type::object: return "an object";
  }
  return "?";
}

namespace {

constexpr int max_depth = 64;

class Parser {
 public:
  Parser(std::string_view text, std::string_view where, int first_line)
      : text_(text), where_(where), line_(first_line) {}

  JsonValue document() {
    skip_space();
    JsonValue v = value(0);
    skip_space();
    if (pos_ < text_.size()) fail(fmt::format("unexpected '{}' after the value; expected the end", text_[pos_]));
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw ReadError(fmt::format("{}:{}:{}: {}", where_, line_, column(), message));
  }
  int column() const { return static_cast<int>(pos_ - line_start_) + 1; }

  void skip_space() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        line_start_ = ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  std::string describe_here() const {
    if (pos_ >= text_.size()) return "the end of the text";
    const char c = text_[pos_];
    if (static_cast<unsigned char>(c) < 0x20) return fmt::format("a control character (0x{:02x})", static_cast<int>(c));
    return fmt::format("'{}'", c);
  }

  JsonValue value(int depth) {
    if (depth > max_depth) fail(fmt::format("nested deeper than {} levels", max_depth));
    JsonValue v;
    v.line = line_;
    v.column = column();
    if (pos_ >= text_.size()) fail("unexpected end of the text; expected a value");
    const char c = text_[pos_];
    if (c == '{') {
      v.type = JsonValue::Type::object;
      ++pos_;
      skip_space();
      if (peek('}')) return ++pos_, v;
      while (true) {
        skip_space();
        if (!peek('"')) fail(fmt::format("unexpected {}; expected a key in double quotes", describe_here()));
        v.keys.push_back(string());
        skip_space();
        if (!peek(':')) fail(fmt::format("unexpected {}; expected ':' after the key", describe_here()));
        ++pos_;
        skip_space();
        v.items.push_back(value(depth + 1));
        skip_space();
        if (peek(',')) {
          ++pos_;
          continue;
        }
        if (peek('}')) return ++pos_, v;
        fail(fmt::format("unexpected {}; expected ',' or '}}'", describe_here()));
      }
    }
    if (c == '[') {
      v.type = JsonValue::Type::array;
      ++pos_;
      skip_space();
      if (peek(']')) return ++pos_, v;
      while (true) {
        skip_space();
        v.items.push_back(value(depth + 1));
        skip_space();
        if (peek(',')) {
          ++pos_;
          continue;
        }
        if (peek(']')) return ++pos_, v;
        fail(fmt::format("unexpected {}; expected ',' or ']'", describe_here()));
      }
    }
    if (c == '"') {
      v.type = JsonValue::Type::string;
      v.string = string();
      return v;
    }
    if (literal("true")) {
      v.type = JsonValue::Type::boolean;
      v.boolean = true;
      return v;
    }
    if (literal("false")) {
      v.type = JsonValue::Type::boolean;
      return v;
    }
    if (literal("null")) return v;
    if (c == '-' || (c >= '0' && c <= '9')) {
      v.type = JsonValue::Type::number;
      const std::size_t start = pos_;
      v.number = number();
      v.string = std::string(text_.substr(start, pos_ - start));
      return v;
    }
    fail(fmt::format("unexpected {}; expected a value (object, array, string, number, true, false or null)",
                     describe_here()));
  }

  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  double number() {
    const std::size_t start = pos_;
    if (peek('-')) ++pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > from;
    };
    if (!digits()) fail("expected a digit in the number");
    if (peek('.')) {
      ++pos_;
      if (!digits()) fail("expected a digit after the decimal point");
    }
    if (peek('e') || peek('E')) {
      ++pos_;
      if (peek('+') || peek('-')) ++pos_;
      if (!digits()) fail("expected a digit in the exponent");
    }
    const std::string token(text_.substr(start, pos_ - start));
    errno = 0;
    const double v = std::strtod(token.c_str(), nullptr);
    if (errno == ERANGE && (v > 1.0 || v < -1.0)) fail(fmt::format("number {} is out of range", token));
    return v;
  }

  unsigned hex4() {
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      if (pos_ >= text_.size()) fail("unexpected end in a \\u escape; expected 4 hex digits");
      const char h = text_[pos_++];
      code <<= 4;
      if (h >= '0' && h <= '9') code |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f') code |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') code |= static_cast<unsigned>(h - 'A' + 10);
      else fail("expected 4 hex digits after \\u");
    }
    return code;
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  std::string string() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size() || text_[pos_] == '\n') fail("unterminated string; expected a closing '\"'");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail(fmt::format("unexpected {} in a string; escape it", describe_here()));
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) fail("unterminated escape; expected a character after '\\'");
      const char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned code = hex4();
          if (code >= 0xD800 && code < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            const unsigned low = hex4();
            if (low >= 0xDC00 && low < 0xE000) code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code);
          break;
        }
        default:
          --pos_;
          fail(fmt::format("unknown escape '\\{}'; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u", e));
      }
    }
  }

  std::string_view text_;
  std::string_view where_;
  std::size_t pos_ = 0;
  std::size_t line_start_ = 0;
  int line_;
};

}  // namespace

JsonValue parse_json(std::string_view text, std::string_view where, int first_line) {
  return Parser(text, where, first_line).document();
}

}  // namespace aidc
