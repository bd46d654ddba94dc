#pragma once
//! A run's directory: every output file of one run, written together.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "aidc/output/run_info.hpp"
#include "aidc/report/run_data.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! What write_run_directory wrote: run.json's content and the run as a report sees it.
struct WrittenRun {
  RunInfo info;  //!< info.outputs lists the files written next to run.json
  RunData data;  //!< made from memory (run_data_of), as `aidcsim report` would read the files back
};

//! Writes `result` (a run of `spec` with `seed`) into `dir`: timeseries.csv, events.jsonl, the wide
//! tables, run.json and, with `with_report`, report.html (run_files.hpp names them). Every file is
//! staged first and all are renamed into `dir` together at the end: an error or an interruption
//! (SIGINT/SIGTERM, checked before each file) leaves `dir` as it was. Throws OutputError or
//! Interrupted.
WrittenRun write_run_directory(const std::filesystem::path& dir, const ScenarioSpec& spec, std::uint64_t seed,
                               const RunResult& result, bool with_report);

//! A file a kind of run adds to its directory (an ensemble's quantiles), staged with the others.
struct ExtraRunFile {
  std::string_view name;
  std::function<std::string()> format;
};

//! The writer behind write_run_directory and the ensemble's: `info` describes the run (seed or
//! seeds; its outputs are filled here), `extra` files are staged after the wide tables, and
//! `complete_data` finishes the RunData made from memory before the report is drawn.
WrittenRun write_run_files(const std::filesystem::path& dir, RunInfo info, const RunResult& result, bool with_report,
                           std::span<const ExtraRunFile> extra = {},
                           const std::function<void(RunData&)>& complete_data = {});

//! What `aidcsim run` prints once the directory is written: the scenario, seed and horizon, the
//! year-by-year summary, the key moments, and which files went where.
std::string format_run_text(const ScenarioSpec& spec, const RunResult& result, const WrittenRun& written,
                            const std::filesystem::path& dir, bool with_report);

}  // namespace aidc
