#pragma once
// `aidcsim sweep`: run a sweep (or a shard of it), and its merge, status, analyze, rerun, retry and report commands.

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>

namespace aidc::cli {

struct SweepCommand {
  CLI::App* app = nullptr;
  CLI::App* merge = nullptr;
  CLI::App* status = nullptr;
  CLI::App* analyze = nullptr;
  CLI::App* rerun = nullptr;
  CLI::App* report = nullptr;
  CLI::App* retry = nullptr;
  std::string spec;
  std::string dir;
  std::size_t threads = 0;  // 0: every core
  std::string shard;
  bool resume = false;
  std::size_t batch_runs = 64;
  bool progress = false;
  bool dry_run = false;
  bool allow_incomplete = false;
  std::string kpis;
  std::size_t bootstrap = 1000;
  double confidence = 0.95;
  double prim_quantile = 0.9;
  std::size_t run = 0;           // rerun: the run
  std::string rerun_output;      // rerun: its directory (default DIR/run-N)
  std::string rerun_scenario;    // rerun: the base scenario, when DIR's sweep.yaml does not find it
  std::string report_output;     // report: the HTML file (default DIR/report.html)
  std::string retry_scenario;    // retry: the base scenario, when DIR's sweep.yaml does not find it
};

//! Declares `sweep` and its subcommands on `app`.
void add_sweep_command(CLI::App& app, SweepCommand& command);

//! Whether `path` is a sweep file (a top-level `design:` or `parameters:`), for `aidcsim validate`.
bool is_sweep_file(const std::string& path);

//! `aidcsim validate SWEEP.yaml`: the sweep checked against its base scenario (sweep/check.hpp)
//! and described; nothing runs. Returns 0, or 2 after printing every problem.
int validate_sweep_file(const std::string& path);

//! Runs whichever of them was parsed; returns the exit code (0 ok, 1 output error, 2 bad input;
//! a sweep stopped by SIGINT or SIGTERM: 128 + the signal, after saying how to resume it). Runs
//! that fail are recorded and do not change the exit code, for `sweep` and `sweep retry` alike.
int run_sweep_command(SweepCommand& command);

}  // namespace aidc::cli
