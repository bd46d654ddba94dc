#pragma once
//! One parameter of the scenario language as data: how its value is written (ValueKind), its unit,
//! default and allowed values (Range). The schema (schema.hpp) lists them per section; the YAML
//! reader checks values against them.

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "aidc/scenario/units.hpp"

namespace aidc {

//! Allowed interval of a number, in the parameter's canonical unit.
struct Range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;

  static Range any() { return {}; }
  static Range non_negative() { return {0.0}; }
  static Range positive() { return {0.0, std::numeric_limits<double>::infinity(), true}; }
  static Range unit_interval() { return {0.0, 1.0}; }
  [[nodiscard]] bool contains(double v) const noexcept;
  //! "a value from 0 to 1", "a value above 0"…
  [[nodiscard]] std::string describe() const;
};

//! How a parameter's value is written.
enum class ValueKind {
  text,            //!< free text (names, descriptions)
  choice,          //!< one of a fixed list (`family: gpu`)
  reference,       //!< the name of an item defined elsewhere in the scenario (`vendor: nvidia`)
  reference_list,  //!< a list of such names (`vendors: [nvidia, amd]`)
  quantity,        //!< a number with a unit (`power: 1.3 kW`)
  duration,        //!< a whole number of quarters (`6 years`, `18 months`)
  quarter,         //!< a quarter (`2025Q3`)
  seed,            //!< a non-negative whole number
  series,          //!< one value, or quarters mapped to values, linear in between
  mapping,         //!< a nested section
  list,            //!< a list of nested sections
};

//! One parameter of one section.
struct ParamInfo {
  std::string key;
  ValueKind kind = ValueKind::text;
  Dimension dimension = Dimension::number;  //!< for quantity and series
  std::string unit;           //!< the unit a bare number is read in ("kW", "MW", "quarters"…)
  double unit_scale = 1.0;    //!< values in `unit` = canonical values × this (1000 for kW)
  bool required = false;
  std::string default_text;   //!< as a user would write it ("15%", "40 kW"); empty when required
  Range range;                //!< allowed values (quantity, duration, series), in canonical units
  std::vector<std::string> choices;  //!< for choice
  std::string refers_to;      //!< for reference kinds: "vendor", "region"…
  std::size_t max_items = 0;  //!< for list: the most items it may have (see limits.hpp)
  std::string section;        //!< for mapping and list: the nested section's path
  std::string help;           //!< one line
};

}  // namespace aidc
