#pragma once
//! A finished run read back from its directory (timeseries.csv, events.jsonl, run.json): what
//! `report` and `compare` draw from, so they work on any run, not only the one just made.

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aidc/kernel/quarter.hpp"
#include "aidc/model/metric.hpp"

namespace aidc {

//! One line of events.jsonl.
struct RunEvent {
  Quarter quarter;
  EntityKind entity_kind = EntityKind::global;
  std::string entity;
  std::string kind;
  std::string cause;
  std::vector<std::pair<std::string, double>> figures;  //!< in file order; NaN for null

  //! The figure named `name`, or 0 if the event has none.
  [[nodiscard]] double figure(std::string_view name) const noexcept;
};

//! A scenario entity as run.json lists it (with its bloc, for grouping series).
struct EntityInfo {
  EntityKind kind = EntityKind::global;
  std::string name;
  std::string bloc;  //!< regions and agents
  std::string role;  //!< agents: hyperscaler, neocloud…
};

//! Everything read from one run directory.
struct RunData {
  std::filesystem::path dir;
  // From run.json (strings as written; empty when absent).
  std::string scenario_name;
  std::string scenario_description;
  std::string scenario_source;
  std::string scenario_hash;
  std::vector<std::string> overrides;
  std::string seed;
  std::string version;
  std::string build_type;
  std::vector<EntityInfo> entities;  //!< empty for runs written before run.json listed them

  Quarter first;                      //!< first quarter of timeseries.csv
  std::vector<Quarter> quarters;      //!< every quarter from first to last
  std::vector<RunEvent> events;

  //! One series per (kind, entity, metric), values indexed like `quarters` (NaN when absent).
  [[nodiscard]] const std::vector<double>* series(EntityKind kind, std::string_view entity,
                                                  std::string_view metric) const;
  //! The value at `q`, or NaN.
  [[nodiscard]] double value(EntityKind kind, std::string_view entity, std::string_view metric, Quarter q) const;
  //! The same, by Metric (the report's own charts and figures name metrics so).
  [[nodiscard]] const std::vector<double>* series(EntityKind kind, std::string_view entity, Metric metric) const {
    return series(kind, entity, metric_name(metric));
  }
  [[nodiscard]] double value(EntityKind kind, std::string_view entity, Metric metric, Quarter q) const {
    return value(kind, entity, metric_name(metric), q);
  }
  //! Entities of a kind in the order they first appear in timeseries.csv.
  [[nodiscard]] const std::vector<std::string>& entities_of(EntityKind kind) const;
  //! The bloc of a region or agent ("" if unknown).
  [[nodiscard]] std::string bloc_of(EntityKind kind, std::string_view name) const;
  //! Index of `q` in `quarters`, if within the run.
  [[nodiscard]] std::optional<std::size_t> index_of(Quarter q) const;

  //! An ensemble (run.json lists ensemble.csv and seeds.csv): timeseries.csv holds the median of
  //! each value across the seeds, these the rest. Empty for one run.
  std::vector<std::string> seeds;  //!< seeds.csv's seeds, as written, in order
  //! seeds.csv: each key figure (key_figure_values' names) by seed, in the order of `seeds`.
  std::vector<std::pair<std::string, std::vector<double>>> seed_figures;
  //! ensemble.csv: p05, p25, p50, p75, p95 of each series by series_key(), indexed like `quarters`.
  std::unordered_map<std::string, std::array<std::vector<double>, 5>> quantiles_by_key;
  [[nodiscard]] bool ensemble() const noexcept { return !seeds.empty(); }
  //! The quantiles of one series across the seeds (p05…p95), or nullptr.
  [[nodiscard]] const std::array<std::vector<double>, 5>* quantiles(EntityKind kind, std::string_view entity,
                                                                    std::string_view metric) const;
  //! One key figure of every seed, or nullptr.
  [[nodiscard]] const std::vector<double>* seed_figure(std::string_view name) const;

  //! Every series by series_key(); filled by read_run_directory (use series() to look one up).
  std::unordered_map<std::string, std::vector<double>> series_by_key;
  //! Entities by EntityKind index, in first-appearance order (use entities_of()).
  std::vector<std::vector<std::string>> names_by_kind = std::vector<std::vector<std::string>>(entity_kind_names.size());
};

//! Key of a series in RunData::series_by_key: "kind|entity|metric".
std::string series_key(EntityKind kind, std::string_view entity, std::string_view metric);

//! The entity kind named `name` ("agent"), if any.
std::optional<EntityKind> parse_entity_kind(std::string_view name) noexcept;

//! Reads `dir`'s timeseries.csv, events.jsonl and run.json, and, when run.json lists them among
//! its outputs (an ensemble), ensemble.csv and seeds.csv. Throws ReadError naming the file, the
//! line and column, what is wrong and what was expected (a missing file, a bad header, a value
//! that is not a number, a quarter out of order…). Cost: linear in the files' size.
RunData read_run_directory(const std::filesystem::path& dir);

}  // namespace aidc
