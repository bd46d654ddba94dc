#include "aidc/text/key_path.hpp"

namespace aidc {

std::optional<std::vector<KeyPathSegment>> parse_key_path(std::string_view path) {
  std::vector<KeyPathSegment> out;
  std::size_t i = 0;
  while (i < path.size()) {
    KeyPathSegment s;
    const std::size_t end = path.find_first_of(".[", i);
    s.key = std::string(path.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
    i = end == std::string_view::npos ? path.size() : end;
    if (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos || close == i + 1) return std::nullopt;
      s.selector = std::string(path.substr(i + 1, close - i - 1));
      i = close + 1;
    }
    if (s.key.empty() && !s.selector) return std::nullopt;
    out.push_back(std::move(s));
    if (i < path.size()) {
      if (path[i] != '.' || i + 1 == path.size()) return std::nullopt;
      ++i;
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

bool is_multi_selector(std::string_view selector) noexcept {
  return selector == "*" || selector.find('=') != std::string_view::npos;
}

std::size_t assignment_split(std::string_view assignment) noexcept {
  int depth = 0;
  for (std::size_t i = 0; i < assignment.size(); ++i) {
    const char c = assignment[i];
    if (c == '[') ++depth;
    else if (c == ']' && depth > 0) --depth;
    else if (c == '=' && depth == 0) return i > 0 && assignment[i - 1] == '+' ? i - 1 : i;
  }
  return std::string_view::npos;
}

}  // namespace aidc
