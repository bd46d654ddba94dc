#pragma once
//! timeseries.csv: the tidy table of every recorded value.

#include <string>

#include "aidc/output/recorder.hpp"

namespace aidc {

//! Header `quarter,entity_kind,entity,metric,value`, one row per sample in recording order.
//! Values use the shortest text that reads back as the same double, so equal runs give equal bytes.
std::string format_timeseries_csv(const Recorder& recorder);

}  // namespace aidc
