#include "aidc/kernel/quarter.hpp"

#include <stdexcept>

namespace aidc {

Quarter::Quarter(int year, int quarter_of_year) {
  if (year < min_year || year > max_year || quarter_of_year < 1 || quarter_of_year > 4) {
    throw std::out_of_range("quarter out of range: year " + std::to_string(year) + ", quarter " +
                            std::to_string(quarter_of_year));
  }
  index_ = year * 4 + quarter_of_year - 1;
}

std::optional<Quarter> Quarter::parse(std::string_view text) noexcept {
  // Exactly four digits, 'Q' or 'q', one digit 1..4.
  if (text.size() != 6 || (text[4] != 'Q' && text[4] != 'q')) return std::nullopt;
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = text[static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return std::nullopt;
    year = year * 10 + (c - '0');
  }
  const char q = text[5];
  if (q < '1' || q > '4' || year < min_year) return std::nullopt;
  return Quarter(year, q - '0');
}

std::string Quarter::str() const {
  return std::to_string(year()) + "Q" + std::to_string(quarter_of_year());
}

}  // namespace aidc
