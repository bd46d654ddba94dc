#pragma once
//! Runs a shard of a sweep on a pool of threads, recording results in batches as they finish.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "aidc/sweep/shard.hpp"
#include "aidc/sweep/sweep_spec.hpp"

namespace aidc::sweep {

//! How far a sweep has got: runs finished (this shard, including earlier sessions) and failed,
//! of the shard's total, and the seconds since this session started.
struct SweepProgress {
  std::size_t done = 0, failed = 0, total = 0, done_this_session = 0;
  double elapsed_seconds = 0.0;
  std::size_t threads = 0;        //!< worker threads that started (fewer than asked if the system refused some)
  std::string thread_error;       //!< why a worker thread could not start ("" if all did)
};

struct SweepOptions {
  std::filesystem::path dir;       //!< the results directory
  std::size_t threads = 1;
  Shard shard;
  bool resume = false;             //!< skip the runs the shard's manifest lists
  double batch_seconds = 2.0;      //!< a batch is written at least this often…
  std::size_t batch_runs = 64;     //!< …or as soon as it holds this many runs
  double check_seconds = 2.0;      //!< how long check_sweep may instantiate design points first
  std::function<void(const SweepProgress&)> progress;  //!< after each batch (called on one thread)
};

//! Runs the shard: the base scenario is read once and the sweep checked against it (check.hpp:
//! ScenarioError before anything is written); each run's scenario is the base plus the run's
//! `--set` assignments, seeded as design.hpp says. A run that fails (bad value, broken
//! invariant) is recorded with its error and the sweep goes on. Writes DIR/sweep.yaml (the spec
//! text) first and holds the shard's lock (lock.hpp) while it runs; refused
//! (std::invalid_argument): a DIR holding another sweep, a shard another process is running,
//! shards of another split (another N), or shards that ran another base scenario (its hash,
//! recorded in every manifest, differs: checked on --resume too). Once SIGINT or SIGTERM asks to stop (kernel/interrupt.hpp), no run
//! starts, runs in progress stop at their next quarter and stay pending, and the runs finished
//! are written before it returns (done < total then). Returns the final progress.
SweepProgress run_sweep(const SweepSpec& spec, const std::string& spec_text, const SweepOptions& options);

}  // namespace aidc::sweep
