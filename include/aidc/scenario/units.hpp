#pragma once
//! Values with units, as written in scenario files: `120 kW`, `$11.7M/MW`, `6 years`, `8%`.

#include <string>
#include <string_view>
#include <variant>

namespace aidc {

//! What a scenario value measures. Each dimension has one canonical unit, the unit of the
//! spec field it lands in (the field's name says it: power_mw, price_usd, life_quarters…).
enum class Dimension {
  number,          //!< plain number, no unit
  count,           //!< a count; accepts k/M/B suffixes (`500k` chips)
  fraction,        //!< `8%` or `0.08` → 0.08
  power,           //!< canonical MW; accepts W, kW, MW, GW
  money,           //!< canonical USD; `$52B`, `$25k`, `25000`
  price_per_hour,  //!< canonical USD per hour; `$2.28/h`
  price_per_mwh,   //!< canonical USD per MWh; `$45/MWh`, `$0.045/kWh`
  money_per_mw,    //!< canonical USD per MW; `$11.7M/MW`
  duration,        //!< canonical quarters; `10 quarters`, `6 years`, `18 months`
  memory,          //!< canonical MB (10^6 bytes); `512 MB`, `16 GB`, `1 TB`
};

//! The canonical unit a bare number is read in, for messages and docs ("MW", "quarters").
std::string_view canonical_unit(Dimension d) noexcept;
//! An example of a valid value, for messages ("1.2 GW").
std::string_view unit_example(Dimension d) noexcept;

//! Parses a value of the given dimension into its canonical unit. On failure returns a message
//! saying what was expected, e.g. "expected a power such as '350 MW' (W, kW, MW, GW), got '3 years'".
//! A bare number (no unit) is read in the canonical unit times `bare_factor` (e.g. 1e-3 where a
//! power key reads bare numbers as kW).
std::variant<double, std::string> parse_quantity(std::string_view text, Dimension dim, double bare_factor = 1.0);

}  // namespace aidc
