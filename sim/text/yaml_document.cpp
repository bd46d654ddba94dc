#include "aidc/text/yaml_document.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/exceptions.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "aidc/text/limits.hpp"

namespace aidc {

namespace {

//! Values (nodes) a scenario may hold once aliases are expanded. Without aliases a document has
//! fewer nodes than bytes, so this bounds only what anchors and aliases repeat (a "billion
//! laughs" file is refused at once) while never limiting a plain file.
std::size_t node_budget(std::string_view text) { return text.size() + limits::max_alias_values; }

//! Offset of the first byte that does not belong to valid UTF-8 (overlong forms, surrogates and
//! code points above U+10FFFF count as invalid), or nullopt.
std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > text.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::nullopt;
}

std::string too_deep_message(const YamlDocumentKind& kind) {
  return "lists and mappings are nested more than " + std::to_string(limits::max_nesting_depth) +
         " levels deep (counting what anchors and aliases repeat); expected a " + std::string(kind.noun) +
         " a few levels deep";
}

// ---- YAML syntax errors in plain words ---------------------------------------------------------

//! Bytes of a UTF-8 byte-order mark at the start of text (yaml-cpp's marks do not count it).
std::size_t bom_size(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

//! 1-based line and column of a byte offset.
SourceLocation location_of(std::string_view text, std::size_t offset, const std::string& source) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const auto line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
  const std::size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  return {source, line, static_cast<int>(offset - line_start) + 1};
}

//! Offset just past the quoted value opening at `open` (text[open] is ' or "), or npos if it
//! never closes before `limit`.
std::size_t skip_quoted(std::string_view text, std::size_t open, std::size_t limit) {
  const char quote = text[open];
  for (std::size_t j = open + 1; j < limit; ++j) {
    if (quote == '"' && text[j] == '\\') {
      ++j;
    } else if (text[j] == quote) {
      if (quote == '\'' && j + 1 < limit && text[j + 1] == '\'') {
        ++j;  // '' is a quote inside single quotes
      } else {
        return j + 1;
      }
    }
  }
  return std::string_view::npos;
}

//! What is still open at a byte offset: brackets, innermost last, and a quoted value.
struct OpenAt {
  std::vector<std::size_t> brackets;  //!< offsets of '[' and '{'
  std::optional<std::size_t> quote;   //!< offset of a quote not closed by the end of its line
};

//! What is open at byte offset `limit`, found by a light scan that knows comments and quoted
//! values. The scan stops at a quoted value that does not close on its own line.
OpenAt open_at(std::string_view text, std::size_t limit) {
  limit = std::min(limit, text.size());
  std::vector<std::size_t> open;
  bool value_start = true;  // a value may begin here (line start, after ': ', '- ', '[', ',')
  char prev = '\n';
  for (std::size_t i = 0; i < limit; ++i) {
    const char c = text[i];
    if (c == '\n') {
      value_start = true;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      if (prev == ':' || prev == '-' || prev == '?' || (prev == ',' && !open.empty())) value_start = true;
    } else if (c == '#' && (prev == ' ' || prev == '\t' || prev == '\n')) {
      while (i + 1 < limit && text[i + 1] != '\n') ++i;
    } else if ((c == '"' || c == '\'') && value_start) {
      const std::size_t end = skip_quoted(text, i, limit);
      const std::size_t eol = text.find('\n', i);
      if (end == std::string_view::npos || (eol != std::string_view::npos && end > eol)) return {open, i};
      i = end - 1;
      value_start = false;
    } else if ((c == '[' || c == '{') && (value_start || !open.empty())) {
      open.push_back(i);
      value_start = true;
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
      value_start = false;
    } else if (c == ',' && !open.empty()) {
      value_start = true;
    } else {
      value_start = false;
    }
    prev = text[i];
  }
  return {open, std::nullopt};
}

//! The text of 0-based line `line`, without its line break.
std::string_view line_text(std::string_view text, int line) {
  std::size_t start = 0;
  for (int i = 0; i < line; ++i) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  std::string_view rest = text.substr(start);
  rest = rest.substr(0, rest.find('\n'));
  if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
  return rest;
}

//! yaml-cpp's parse error as a diagnostic in plain words, at the most likely place of the mistake.
Diagnostic syntax_problem(std::string_view text, const std::string& source, const YAML::Mark& mark,
                          const std::string& what) {
  namespace msg = YAML::ErrorMsg;
  const SourceLocation at{source, mark.line + 1, mark.column + 1};
  auto problem = [](SourceLocation where, const std::string& message) {
    return Diagnostic{Diagnostic::Severity::error, std::move(where), "", "invalid YAML: " + message};
  };
  // A '[' or '{' left open makes yaml-cpp stumble later, often lines further on: point at it
  // when it is open where yaml-cpp stopped and still open at the end of the file.
  const bool flow_end_missing = what == msg::END_OF_SEQ_FLOW || what == msg::END_OF_MAP_FLOW;
  const bool may_be_unclosed = flow_end_missing || what == msg::BLOCK_ENTRY || what == msg::MAP_VALUE ||
                               what == msg::MAP_KEY || what == msg::END_OF_MAP || what == msg::END_OF_SEQ;
  if (may_be_unclosed && !mark.is_null()) {
    const std::size_t limit = static_cast<std::size_t>(std::max(mark.pos, 0)) + bom_size(text);
    const OpenAt scan = open_at(text, limit);
    if (scan.quote && location_of(text, *scan.quote, source).line <= mark.line) {
      // A quote left open swallows the lines after it, and yaml-cpp stumbles further on.
      return problem(
          location_of(text, *scan.quote, source),
          std::string("this quoted value is not closed on its line; expected a closing ") + text[*scan.quote]);
    }
    const std::vector<std::size_t>& at_error = scan.brackets;
    if (!at_error.empty()) {
      const std::size_t open = at_error.back();
      const char c = text[open];
      const std::vector<std::size_t> at_end = open_at(text, text.size()).brackets;
      if (std::find(at_end.begin(), at_end.end(), open) != at_end.end()) {
        return problem(location_of(text, open, source), std::string("this '") + c + "' is never closed; expected a '" +
                                                            (c == '[' ? ']' : '}') + "' at the end of the " +
                                                            (c == '[' ? "list" : "mapping"));
      }
      if (flow_end_missing) {
        const SourceLocation opened = location_of(text, open, source);
        return problem(at, std::string("the ") + (c == '[' ? "list" : "mapping") + " opened with '" + c + "' at line " +
                               std::to_string(opened.line) + ", column " + std::to_string(opened.column) +
                               " is malformed here; expected " + (c == '[' ? "values" : "'key: value' items") +
                               " separated by ', ' and a closing '" + (c == '[' ? ']' : '}') + "'");
      }
    }
  }
  if (may_be_unclosed && mark.line >= 0) {
    // `-name: x`: a dash without its space is not a list item.
    const std::string_view here = line_text(text, mark.line);
    const std::size_t first = here.find_first_not_of(' ');
    if (first != std::string_view::npos && here[first] == '-' && first + 1 < here.size() && here[first + 1] != ' ' &&
        here[first + 1] != '-') {
      return problem({source, mark.line + 1, static_cast<int>(first) + 1},
                     "a list item needs a space after '-'; expected '- " + std::string(here.substr(first + 1)) + "'");
    }
  }
  if (what == msg::MAP_VALUE && mark.line > 0) {
    // `power 1.3 kW` or `power:1.3 kW` on the line above: yaml-cpp takes it for a value and
    // stumbles on the next ':'.
    int above = mark.line - 1;
    while (above >= 0) {
      const std::string_view t = line_text(text, above);
      const std::size_t first = t.find_first_not_of(' ');
      if (first != std::string_view::npos && t[first] != '#') break;
      --above;
    }
    if (above >= 0) {
      std::string_view t = line_text(text, above);
      const std::size_t comment = t.find(" #");
      if (comment != std::string_view::npos) t = t.substr(0, comment);
      while (!t.empty() && (t.back() == ' ' || t.back() == '\r')) t.remove_suffix(1);
      const std::size_t first = t.find_first_not_of(' ');
      const bool plain = first != std::string_view::npos &&
                         std::string_view("-[{\"'?&*!|>%@`").find(t[first]) == std::string_view::npos;
      if (plain && t.find(": ") == std::string_view::npos && t.back() != ':') {
        const SourceLocation where{source, above + 1, static_cast<int>(first) + 1};
        if (t.find(':') != std::string_view::npos) {
          return problem(where, "this line has no space after its ':'; expected 'key: value'");
        }
        return problem(where, "this line has no ':'; expected 'key: value'");
      }
    }
  }
  if (what == msg::END_OF_SEQ_FLOW) return problem(at, "a '[' list is not closed; expected a ']'");
  if (what == msg::END_OF_MAP_FLOW) return problem(at, "a '{' mapping is not closed; expected a '}'");
  if (what == msg::FLOW_END) {
    return problem(at, "this closing bracket matches no opening one; expected a '[' or '{' before it, or no bracket");
  }
  if (what == msg::TAB_IN_INDENTATION) {
    return problem(at, "a tab is used for indentation; expected spaces (YAML does not allow tabs there)");
  }
  if (what == msg::MAP_VALUE) {
    return problem(at,
                   "unexpected ':' here; expected 'key: value' lined up with the keys around it "
                   "(check the indentation of this line and the one above, or quote a value that holds ': ')");
  }
  if (what == msg::BLOCK_ENTRY) {
    return problem(at, "unexpected list item '- ' here; expected it lined up with the other items of its list");
  }
  if (what == msg::END_OF_MAP || what == msg::END_OF_SEQ) {
    return problem(at,
                   "the indentation of this line does not match the lines above; expected it lined up "
                   "with the keys or list items it belongs with");
  }
  if (what.rfind(msg::INVALID_ESCAPE, 0) == 0) {
    return problem(at, "unknown escape in a double-quoted value; expected '\\\\' for a backslash, or single quotes");
  }
  std::string plain;
  for (const char c : what) {
    if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char hex[] = "0123456789abcdef";
      plain += std::string("\\x") + hex[(c >> 4) & 0xf] + hex[c & 0xf];
    } else {
      plain += c;
    }
  }
  return problem(at, plain);
}

//! The quote a quoted value opening at byte `offset` (BOM not counted) starts with, when it never
//! closes; 0 otherwise.
char unclosed_quote_at(std::string_view text, std::size_t offset) {
  const std::size_t pos = offset + bom_size(text);
  if (pos >= text.size() || (text[pos] != '"' && text[pos] != '\'')) return 0;
  return skip_quoted(text, pos, text.size()) == std::string_view::npos ? text[pos] : 0;
}

//! Records the error and throws everything recorded.
[[noreturn]] void fail_with(Diagnostics& diags, SourceLocation where, const std::string& message) {
  diags.error(std::move(where), "", message);
  throw ScenarioError(diags.all());
}

}  // namespace

Tree parse_yaml_document(std::string_view yaml_text, const std::string& file, Diagnostics& diags,
                         const YamlDocumentKind& kind) {
  const auto at = [&](const Tree& node) {
    return node.is_defined() && !node.where().file.empty() ? node.where() : SourceLocation{file, 0, 0};
  };
  if (const auto bad = first_invalid_utf8(yaml_text)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(yaml_text[*bad])));
    fail_with(diags, location_of(yaml_text, *bad, file), std::string("the file is not UTF-8 text (byte ") + byte +
                                                 " here); save it as UTF-8 (Latin-1 and Windows-1252 accents need converting)");
  }
  YamlStream stream;
  const std::size_t max_values = node_budget(yaml_text);
  try {
    stream = read_yaml(std::string(yaml_text), file, max_values);
  } catch (const YAML::DeepRecursion& e) {
    fail_with(diags, {file, e.mark.line + 1, e.mark.column + 1}, too_deep_message(kind));
  } catch (const YAML::Exception& e) {
    const Diagnostic d = syntax_problem(yaml_text, file, e.mark, e.msg);
    diags.error(d.where, d.key_path, d.message);
    throw ScenarioError(diags.all());
  }
  switch (stream.outcome) {
    case YamlStream::Outcome::done:
      break;
    case YamlStream::Outcome::too_many_values:
      fail_with(diags, stream.stopped_at, "the document has more than " + std::to_string(max_values) +
                                  " values (counting what anchors and aliases repeat); " + std::string(kind.plural) +
                                  " are limited to that");
    case YamlStream::Outcome::too_deep:
      fail_with(diags, stream.stopped_at, too_deep_message(kind));
    case YamlStream::Outcome::stuck: {
      const std::size_t pos = stream.stopped_at_offset + bom_size(yaml_text);
      const char c = pos < yaml_text.size() ? yaml_text[pos] : ' ';
      fail_with(diags, stream.stopped_at,
           c == ','
               ? std::string("invalid YAML: a ',' outside any '[ ]' list or '{ }' mapping; expected ',' only "
                             "between the items of one")
               : std::string("invalid YAML: unexpected '") + c + "' here; expected 'key: value' or a list item");
    }
  }
  const Tree tree = stream.documents.empty() ? Tree() : stream.documents.front();
  if (!tree.is_defined() || tree.is_null()) {
    fail_with(diags, {file, 1, 1}, "the file is empty; expected a " + std::string(kind.noun) + " with keys " + std::string(kind.keys));
  }
  // yaml-cpp accepts a quoted value that runs to the end of the file when the file ends in a
  // newline; it would swallow the rest of the file.
  if (const auto& last = stream.last_non_plain_scalar) {
    if (const char quote = unclosed_quote_at(yaml_text, last->first)) {
      fail_with(diags, last->second,
           std::string("invalid YAML: this quoted value is never closed; expected a closing ") + quote + " on the same line");
    }
  }
  // Only the first document would be read: say so rather than ignore the rest.
  for (std::size_t i = 1; i < stream.documents.size(); ++i) {
    if (!stream.documents[i].is_defined() || stream.documents[i].is_null()) continue;
    diags.error(at(stream.documents[i]), "",
                "a second YAML document starts here (after '---'); expected one " + std::string(kind.noun) + " per file");
    break;
  }
  if (!tree.is_map()) {
    fail_with(diags, at(tree), "expected a " + std::string(kind.noun) + ": a mapping with keys " + std::string(kind.keys) +
                       "; got " + describe_node(tree));
  }
  if (kind.known_key_count > 0) {
    const auto known = [&](const std::string& key) {
      return std::find(kind.known_keys, kind.known_keys + kind.known_key_count, key) != kind.known_keys + kind.known_key_count;
    };
    const bool any = std::any_of(tree.entries().begin(), tree.entries().end(),
                                 [&](const Tree::Entry& e) { return e.first.is_scalar() && known(e.first.scalar()); });
    if (!any) {
      fail_with(diags, {file, 1, 1}, "expected a " + std::string(kind.noun) + ": a mapping with keys " +
                                          std::string(kind.keys) + "; none of this file's keys is a " +
                                          std::string(kind.noun) + "'s (its contents are not shown)");
    }
  }
  return tree;
}

}  // namespace aidc
