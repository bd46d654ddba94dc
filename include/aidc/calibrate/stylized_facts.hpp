#pragma once
//! Stylized facts: named rules the record supports (prices fall from the 2023 peak, capex rises,
//! power binds in the US by 2025…), each checked on a back-test's ensemble — on the median of
//! every series across the seeds, and in each seed for the share of seeds where it holds.

#include <compare>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/kernel/quarter.hpp"
#include "aidc/model/metric.hpp"
#include "aidc/output/recorder.hpp"

namespace aidc {

//! One series of a run: entity kind, entity and metric.
struct SeriesKey {
  EntityKind kind = EntityKind::global;
  std::string entity;
  Metric metric = Metric::installed_h100e;
  auto operator<=>(const SeriesKey&) const = default;
};

//! The series a fact reads, each by quarter. A series or quarter that is absent is not there.
using SeriesTable = std::map<SeriesKey, std::map<Quarter, double>>;

//! One fact: its name, the rule as text, where the record (or the model's docs) states it, the
//! metrics it reads, and its measure: a number computed from the series (none when a series or
//! quarter it needs is missing), which must lie strictly between `above` and `below` to hold.
struct StylizedFact {
  std::string name;
  std::string rule;
  std::string source;
  std::vector<Metric> metrics;
  std::function<std::optional<double>(const SeriesTable&)> measure;
  double above = 0.0;
  double below = 0.0;
  [[nodiscard]] bool holds(double value) const noexcept { return above < value && value < below; }
};

//! The checklist `aidcsim backtest` reports, in order (the table of scenarios/README.md, Calibration).
const std::vector<StylizedFact>& stylized_facts();

//! How a fact fared on an ensemble.
struct FactResult {
  std::optional<double> value;     //!< its measure on the median series (none: n/a)
  std::size_t seeds_measured = 0;  //!< seeds where it could be measured
  std::size_t seeds_holding = 0;   //!< of those, where it holds
  //! "pass", "fail", or "n/a" when the median series lack what it needs.
  [[nodiscard]] std::string_view status(const StylizedFact& fact) const noexcept;
};

//! The series of `recorder` whose metric one of `facts` reads.
SeriesTable fact_series(const Recorder& recorder, const std::vector<StylizedFact>& facts);

//! Each series' median across `seeds` at each quarter (over the seeds that have it).
SeriesTable median_series(const std::vector<SeriesTable>& seeds);

//! Each fact on the median of `seeds` and in each seed.
std::vector<FactResult> evaluate_facts(const std::vector<StylizedFact>& facts, const std::vector<SeriesTable>& seeds);

}  // namespace aidc
