#pragma once
//! The files of a run directory, named once for the code that writes them (aidc::run's
//! write_run_directory) and the code that reads them back (report's read_run_directory). The wide
//! tables are named by wide_csv_file_name (wide_csv.hpp).

#include <string_view>

namespace aidc::run_files {

inline constexpr std::string_view timeseries_csv = "timeseries.csv";  //!< every value, tidy
inline constexpr std::string_view events_jsonl = "events.jsonl";      //!< the event log
inline constexpr std::string_view run_json = "run.json";              //!< provenance and entities
inline constexpr std::string_view report_html = "report.html";        //!< with --report
inline constexpr std::string_view ensemble_csv = "ensemble.csv";      //!< ensembles: quantiles across seeds
inline constexpr std::string_view seeds_csv = "seeds.csv";            //!< ensembles: key figures of each seed
inline constexpr std::string_view seeds_dir = "seeds";                //!< ensembles with --per-seed: seeds/<seed>/

}  // namespace aidc::run_files
