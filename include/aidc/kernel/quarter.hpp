#pragma once
//! A calendar quarter (2025Q3 = Jul–Sep 2025): the simulation's unit of time.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aidc {

//! A calendar quarter stored as one integer (year * 4 + quarter - 1), so comparison and
//! arithmetic are integer operations. Valid years are 1000..9999, so labels are always `YYYYQn`.
class Quarter {
 public:
  static constexpr int min_year = 1000;
  static constexpr int max_year = 9999;

  constexpr Quarter() = default;
  //! Builds year/quarter; quarter_of_year in 1..4. Throws std::out_of_range when invalid.
  Quarter(int year, int quarter_of_year);
  //! From the raw index (year * 4 + quarter - 1).
  static constexpr Quarter from_index(std::int32_t index) noexcept {
    Quarter q;
    q.index_ = index;
    return q;
  }
  //! Parses `2025Q3` (also accepts a lowercase q). Returns nullopt for anything else.
  static std::optional<Quarter> parse(std::string_view text) noexcept;

  [[nodiscard]] constexpr std::int32_t index() const noexcept { return index_; }
  [[nodiscard]] constexpr int year() const noexcept { return floor_div(index_, 4); }
  //! 1..4
  [[nodiscard]] constexpr int quarter_of_year() const noexcept { return index_ - 4 * year() + 1; }
  //! The label, e.g. "2025Q3".
  [[nodiscard]] std::string str() const;

  constexpr Quarter operator+(std::int32_t quarters) const noexcept { return from_index(index_ + quarters); }
  constexpr Quarter operator-(std::int32_t quarters) const noexcept { return from_index(index_ - quarters); }
  constexpr Quarter& operator+=(std::int32_t quarters) noexcept { index_ += quarters; return *this; }
  constexpr Quarter& operator++() noexcept { ++index_; return *this; }
  //! Number of quarters from `other` to this one (may be negative).
  constexpr std::int32_t operator-(Quarter other) const noexcept { return index_ - other.index_; }
  constexpr auto operator<=>(const Quarter&) const noexcept = default;

 private:
  static constexpr int floor_div(int a, int b) noexcept { return a >= 0 ? a / b : -((-a + b - 1) / b); }
  std::int32_t index_ = 0;
};

//! Hours in one quarter: 8766 hours per average year / 4 (the model's conversion factor).
inline constexpr double hours_per_quarter = 2191.5;

}  // namespace aidc
