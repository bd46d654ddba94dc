#pragma once
// Shared by the scenario tests: a small valid scenario to mutate one mistake at a time, and
// helpers to find where a mistake was made and what was said about it.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/text/diagnostic.hpp"
#include "aidc/scenario/loader.hpp"

namespace aidc::test {

//! A small scenario that is valid as written.
inline constexpr std::string_view minimal = R"(name: mini
run:
  start: 2024Q1
  end: 2026Q4
  seed: 7

vendors:
  - name: nvidia
    capacity: {2024Q1: 100k, 2026Q4: 300k}
    lead_time: 2 quarters

chips:
  - name: H100
    vendor: nvidia
    family: gpu
    available_from: 2024Q1
    bf16_tflops: 989
    power: 1.3 kW
    rack_power: 40 kW
    price: $50k
    economic_life: 3 years
    markets: [us]

regions:
  - name: us-east
    bloc: us
    generation: 185 GW
    other_load: 150 GW
    power_price: $60/MWh
    interconnection_time: 5 years
  - name: china-west
    bloc: china
    generation: 400 GW
    other_load: 300 GW
    power_price: $40/MWh
    interconnection_time: 1 year

sites:
  - {name: east-1, owner: acme, region: us-east, capacity: 200 MW, rack_density: 40 kW, online: 2024Q1}

agents:
  - name: acme
    kind: hyperscaler
    bloc: us
    cash: $50B
    vendors: [nvidia]
    regions: [us-east]
    strategy: {target_share: 50%}
    book_life: 6 years
    new_site: {capacity: 300 MW, rack_density: 60 kW, build_time: 2 years}
    fleet:
      - {chip: H100, count: 50k, site: east-1}

demand:
  - bloc: us
    base: 500k
    growth: 50%
    reference_price: $2.30/h
)";

// minimal with `from` (which must occur exactly once) replaced by `to`.
inline std::string with(std::string_view from, std::string_view to, std::string text = std::string(minimal)) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' is not in the scenario";
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "'" << from << "' occurs more than once";
  return text.replace(at, from.size(), to);
}

// 1-based line of the first occurrence of needle in text.
inline int line_of(std::string_view text, std::string_view needle) {
  const std::size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  return static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
}

// 1-based column of the first occurrence of needle in text.
inline int column_of(std::string_view text, std::string_view needle) {
  const std::size_t at = text.find(needle);
  const std::size_t line_start = text.rfind('\n', at);
  return static_cast<int>(at - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
}

// The diagnostics of a scenario that must fail to load.
inline std::vector<Diagnostic> problems(std::string_view text, const std::string& source = "mini.yaml") {
  try {
    (void)load_scenario_text(text, source);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "the scenario loaded without errors";
  return {};
}

// The only diagnostic of a scenario with exactly one mistake.
inline Diagnostic only_problem(std::string_view text, const std::string& source = "mini.yaml") {
  const auto ds = problems(text, source);
  if (ds.size() != 1) {
    std::string all;
    for (const auto& d : ds) all += "\n  " + d.str();
    ADD_FAILURE() << "expected exactly one problem, got " << ds.size() << ":" << all;
  }
  return ds.empty() ? Diagnostic{} : ds.front();
}

inline bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_TRUE(contains((haystack), (needle))) << "'" << (haystack) << "' does not contain '" << (needle) << "'"

}  // namespace aidc::test
