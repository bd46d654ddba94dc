#include "aidc/scenario/units.hpp"

#include "aidc/text/number.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace aidc {

namespace {

struct UnitFactor {
  std::string_view unit;
  double factor;  // multiply the number by this to get the canonical unit
};

constexpr std::array power_units{UnitFactor{"W", 1e-6}, UnitFactor{"kW", 1e-3}, UnitFactor{"MW", 1.0},
                                 UnitFactor{"GW", 1e3}};
constexpr std::array duration_units{
    UnitFactor{"quarter", 1.0}, UnitFactor{"quarters", 1.0}, UnitFactor{"q", 1.0},
    UnitFactor{"year", 4.0},    UnitFactor{"years", 4.0},    UnitFactor{"y", 4.0},
    UnitFactor{"month", 1.0 / 3.0}, UnitFactor{"months", 1.0 / 3.0}};
constexpr std::array memory_units{UnitFactor{"MB", 1.0}, UnitFactor{"GB", 1e3}, UnitFactor{"TB", 1e6}};
constexpr std::array energy_price_units{UnitFactor{"/MWh", 1.0}, UnitFactor{"/kWh", 1e3}};
constexpr std::array hour_units{UnitFactor{"/h", 1.0}, UnitFactor{"/hour", 1.0}};
constexpr std::array per_mw_units{UnitFactor{"/MW", 1.0}, UnitFactor{"/kW", 1e3}, UnitFactor{"/GW", 1e-3}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Reads a leading decimal number; returns chars consumed (0 if none). Sets too_big when the
// text is a number beyond what a double holds (1e400).
std::size_t read_number(std::string_view s, double& value, bool& too_big) {
  const auto* first = s.data();
  const auto result = std::from_chars(first, first + s.size(), value, std::chars_format::general);
  too_big = result.ec == std::errc::result_out_of_range;
  if (result.ec != std::errc()) return 0;
  return static_cast<std::size_t>(result.ptr - first);
}

template <std::size_t N>
bool match_unit(std::string_view rest, const std::array<UnitFactor, N>& units, double& factor) {
  for (const auto& u : units) {
    if (rest == u.unit) {
      factor = u.factor;
      return true;
    }
  }
  return false;
}

std::string describe(Dimension d) {
  switch (d) {
    case Dimension::number: return "a number";
    case Dimension::count: return "a count such as '500k' or '1.2M'";
    case Dimension::fraction: return "a fraction such as '8%' or '0.08'";
    case Dimension::power: return "a power such as '350 MW' (units W, kW, MW, GW)";
    case Dimension::money: return "an amount of money such as '$52B' (suffixes k, M, B, T)";
    case Dimension::price_per_hour: return "a price per hour such as '$2.28/h'";
    case Dimension::price_per_mwh: return "an energy price such as '$45/MWh' (or /kWh)";
    case Dimension::money_per_mw: return "a cost per MW such as '$11.7M/MW'";
    case Dimension::duration: return "a duration such as '10 quarters', '6 years' or '18 months'";
    case Dimension::memory: return "an amount of memory such as '16 GB' (units MB, GB, TB)";
  }
  return "a value";
}

}  // namespace

std::string_view canonical_unit(Dimension d) noexcept {
  switch (d) {
    case Dimension::number: return "";
    case Dimension::count: return "count";
    case Dimension::fraction: return "fraction";
    case Dimension::power: return "MW";
    case Dimension::money: return "USD";
    case Dimension::price_per_hour: return "USD/h";
    case Dimension::price_per_mwh: return "USD/MWh";
    case Dimension::money_per_mw: return "USD/MW";
    case Dimension::duration: return "quarters";
    case Dimension::memory: return "MB";
  }
  return "";
}

std::string_view unit_example(Dimension d) noexcept {
  switch (d) {
    case Dimension::number: return "1.5";
    case Dimension::count: return "500k";
    case Dimension::fraction: return "8%";
    case Dimension::power: return "350 MW";
    case Dimension::money: return "$52B";
    case Dimension::price_per_hour: return "$2.28/h";
    case Dimension::price_per_mwh: return "$45/MWh";
    case Dimension::money_per_mw: return "$11.7M/MW";
    case Dimension::duration: return "10 quarters";
    case Dimension::memory: return "16 GB";
  }
  return "";
}

std::variant<double, std::string> parse_quantity(std::string_view text, Dimension dim, double bare_factor) {
  const std::string_view original = trim(text);
  auto fail = [&]() -> std::variant<double, std::string> {
    return "expected " + describe(dim) + ", got '" + std::string(original) + "'";
  };
  auto too_large = [&](bool tiny) -> std::variant<double, std::string> {
    return "'" + std::string(original) + "' is " + (tiny ? "too close to zero" : "too large") +
           " a number to represent; expected " + describe(dim);
  };
  std::string_view s = original;
  // A sign may come before the dollar sign: `-$2B` is read like `$-2B`.
  const bool negative = s.size() > 1 && s.front() == '-' && s[1] == '$';
  if (negative) s.remove_prefix(1);
  const bool dollar = !s.empty() && s.front() == '$';
  if (dollar) s.remove_prefix(1);
  const bool is_money = dim == Dimension::money || dim == Dimension::price_per_hour ||
                        dim == Dimension::price_per_mwh || dim == Dimension::money_per_mw;
  if (dollar && !is_money) return fail();
  if (negative && (!dollar || s.empty() || s.front() == '-' || s.front() == '+')) return fail();

  double value = 0.0;
  bool too_big = false;
  const std::size_t used = read_number(s, value, too_big);
  if (too_big) {
    // from_chars says only "out of range": a negative exponent means the number underflowed.
    const std::string_view digits = s.substr(0, s.find_first_of(" kKMBT/%$"));
    const std::size_t e = digits.find_first_of("eE");
    return too_large(e != std::string_view::npos && e + 1 < digits.size() && digits[e + 1] == '-');
  }
  if (used == 0 || !std::isfinite(value)) return fail();
  if (negative) value = -value;
  s.remove_prefix(used);

  // Magnitude suffix (k, M, B, T) directly after the number, for money and counts.
  if ((is_money || dim == Dimension::count) && !s.empty() && magnitude_factor(s.front()) > 0.0 &&
      (s.size() == 1 || s[1] == '/' || s[1] == ' ')) {
    value *= magnitude_factor(s.front());
    s.remove_prefix(1);
  }
  const std::string_view unit = trim(s);
  // A rate written with '$' must say what it is per: '$3.5B' for a cost per MW is almost always
  // a total cost typed by mistake. Bare numbers are read in the canonical unit.
  const bool is_rate = dim == Dimension::price_per_hour || dim == Dimension::price_per_mwh ||
                       dim == Dimension::money_per_mw;
  if (is_rate && dollar && unit.empty()) {
    return "expected " + describe(dim) + ", got '" + std::string(original) + "', which has no '/" +
           std::string(canonical_unit(dim)).substr(4) + "'";
  }
  double factor = 1.0;
  switch (dim) {
    case Dimension::number:
    case Dimension::count:
    case Dimension::money:
      if (!unit.empty()) return fail();
      break;
    case Dimension::fraction:
      if (unit == "%") factor = 0.01;
      else if (!unit.empty()) return fail();
      break;
    case Dimension::power:
      if (unit.empty()) factor = bare_factor;
      else if (!match_unit(unit, power_units, factor)) return fail();
      break;
    case Dimension::duration:
      if (!unit.empty() && !match_unit(unit, duration_units, factor)) return fail();
      break;
    case Dimension::memory:
      if (!unit.empty() && !match_unit(unit, memory_units, factor)) return fail();
      break;
    case Dimension::price_per_hour:
      if (!unit.empty() && !match_unit(unit, hour_units, factor)) return fail();
      break;
    case Dimension::price_per_mwh:
      if (!unit.empty() && !match_unit(unit, energy_price_units, factor)) return fail();
      break;
    case Dimension::money_per_mw:
      if (!unit.empty() && !match_unit(unit, per_mw_units, factor)) return fail();
      break;
  }
  const double result = value * factor;
  if (!std::isfinite(result)) return too_large(false);
  return result;
}

}  // namespace aidc
