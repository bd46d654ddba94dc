#include "aidc/text/number.hpp"

#include <charconv>
#include <cmath>

namespace aidc {

double magnitude_factor(char c) noexcept {
  switch (c) {
    case 'k': case 'K': return 1e3;
    case 'M': return 1e6;
    case 'B': return 1e9;
    case 'T': return 1e12;
    default: return 0.0;
  }
}

std::optional<double> parse_decimal(std::string_view text) noexcept {
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_number(std::string_view text) noexcept {
  double factor = 1.0;
  if (!text.empty() && magnitude_factor(text.back()) > 0.0) {
    factor = magnitude_factor(text.back());
    text.remove_suffix(1);
  }
  const auto v = parse_decimal(text);
  if (!v || !std::isfinite(*v * factor)) return std::nullopt;
  return *v * factor;
}

std::optional<std::uint64_t> parse_whole(std::string_view text) noexcept {
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace aidc
