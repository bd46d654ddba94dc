#pragma once
//! The wide tables: one CSV per kind of entity, one row per quarter and entity, one column per
//! metric (units in the names). The same values as timeseries.csv, laid out for spreadsheets.

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
