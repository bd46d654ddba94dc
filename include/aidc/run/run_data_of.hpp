#pragma once
//! A finished run as a report sees it (RunData), made from memory: the recorder, the event log and
//! run.json's content, without writing and parsing the files back.

#include "aidc/output/run_info.hpp"
#include "aidc/report/run_data.hpp"
#include "aidc/run/run_scenario.hpp"

namespace aidc {

//! The RunData read_run_directory would read from the files write_run_directory makes of `result`
//! and `info`, value for value: series in the order timeseries.csv lists them, a figure that is
//! not finite as null (NaN), the seed as written. `dir` is left empty. Cost: linear in the samples.
RunData run_data_of(const RunResult& result, const RunInfo& info);

}  // namespace aidc
