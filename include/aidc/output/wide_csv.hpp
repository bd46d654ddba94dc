#pragma once
//! The wide tables: one CSV per kind of entity, one row per quarter and entity, one column per
//! metric (units in the names). The same values as timeseries.csv, laid out for spreadsheets.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/output/recorder.hpp"

namespace aidc {

//! One wide table, ready to write.
struct WideCsv {
  std::string file_name;  //!< "global.csv", "blocs.csv", "regions.csv", "agents.csv", "vendors.csv"
  std::string content;
};

//! The shape of one kind's wide table: its columns (metrics) and rows (entities), each in the
//! order it first appears, and the quarters it spans.
struct WideLayout {
  static constexpr std::size_t absent = static_cast<std::size_t>(-1);
  std::vector<std::size_t> metric_column;  //!< by Metric: its column, or absent
  std::vector<Metric> metrics;             //!< by column
  std::vector<std::size_t> entity_row;     //!< by recorder entity id: its row within a quarter, or absent
  std::vector<std::uint32_t> entities;     //!< by row: the recorder entity id
  std::int32_t first_quarter = 0;          //!< Quarter index of the first quarter
  std::size_t quarters = 0;                //!< 0 when the kind recorded nothing
};

//! The layout of the wide table of one kind.
WideLayout wide_layout(const Recorder& recorder, EntityKind kind);

//! File name of the wide table of a kind of entity ("agents.csv").
std::string_view wide_csv_file_name(EntityKind kind) noexcept;

//! The wide table of one kind: header `quarter,entity,<metric>…` with the metrics that kind
//! records, in the order they are recorded; then one row per quarter and entity (quarters in
//! order, entities in the order they first appear). A value never recorded is an empty cell.
//! Numbers are written as in timeseries.csv (the shortest text that reads back exactly).
std::string format_wide_csv(const Recorder& recorder, EntityKind kind);

//! Every kind that recorded something, in EntityKind order.
std::vector<WideCsv> format_wide_csvs(const Recorder& recorder);

}  // namespace aidc
