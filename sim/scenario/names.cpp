#include "names.hpp"

#include <cstdio>

#include "aidc/scenario/names.hpp"

namespace aidc {

std::optional<std::string> name_problem(std::string_view name) {
  constexpr std::string_view expected = "expected printable text (letters, digits, spaces, punctuation)";
  if (name.size() > max_name_bytes) {
    return "is " + std::to_string(name.size()) + " bytes long; expected at most " + std::to_string(max_name_bytes);
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    unsigned code = 0;
    if (c < 0x20 || c == 0x7F) {
      code = c;
    } else if (c == 0xC2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) <= 0x9F) {
      code = static_cast<unsigned char>(name[i + 1]);  // U+0080–U+009F
    } else if (c == 0xE2 && i + 2 < name.size() && static_cast<unsigned char>(name[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(name[i + 2]) == 0xA8 || static_cast<unsigned char>(name[i + 2]) == 0xA9)) {
      code = 0x2000u + static_cast<unsigned char>(name[i + 2]) - 0x80u;  // U+2028, U+2029
    } else {
      continue;
    }
    const char* what = code == '\n' ? "a newline" : code == '\r' ? "a carriage return" : code == '\t' ? "a tab"
                       : code >= 0x2028                           ? "a line separator"
                                                                  : "a control character";
    char unicode[16];
    std::snprintf(unicode, sizeof unicode, "U+%04X", code);
    return "contains " + std::string(what) + " (" + unicode + ") at byte " + std::to_string(i + 1) + "; " +
           std::string(expected);
  }
  return std::nullopt;
}

namespace detail {

namespace {

void walk(YamlContext& ctx, const Tree& node, const std::string& path) {
  if (node.is_sequence()) {
    // Items by name where they have a valid one, as elsewhere (agents[meta].debt[0]), else by index.
    for (std::size_t i = 0; i < node.size(); ++i) {
      const Tree name = node[i].is_map() ? node[i].child("name") : Tree();
      const bool named = name.is_scalar() && !name.scalar().empty() && !name_problem(name.scalar());
      walk(ctx, node[i], path + "[" + (named ? name.scalar() : std::to_string(i)) + "]");
    }
  } else if (node.is_map()) {
    for (const auto& [key, value] : node.entries()) {
      if (!key.is_scalar()) continue;
      const std::string here = path.empty() ? key.scalar() : path + "." + key.scalar();
      if (key.scalar() == "name" && value.is_scalar()) {
        if (const auto problem = name_problem(value.scalar())) ctx.error(value, here, "the name " + *problem);
      } else {
        walk(ctx, value, here);
      }
    }
  }
}

}  // namespace

void check_names(YamlContext& ctx, const Tree& root) { walk(ctx, root, ""); }

}  // namespace detail

}  // namespace aidc
