#pragma once
//! Runs a shard of a sweep on a pool of threads, recording results in batches as they finish.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

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

struct RetryOptions {
  std::filesystem::path dir;           //!< the results directory (its sweep.yaml is the spec)
  std::optional<Shard> shard;          //!< one shard; every shard in DIR if empty
  std::filesystem::path scenario;      //!< the base scenario, if DIR/sweep.yaml's `scenario:` does not find it
  std::size_t threads = 1;
  double batch_seconds = 2.0;
  std::size_t batch_runs = 64;
  bool dry_run = false;                //!< only say what would run
  std::function<void(const SweepProgress&)> progress;  //!< after each batch, per shard
};

//! A shard's runs to retry: recorded as failed, and pending (not recorded: a retry or a sweep
//! that was stopped), each sorted.
struct RetryShard {
  Shard shard;
  std::vector<std::size_t> failed, pending;
};

struct RetryReport {
  std::vector<RetryShard> shards;  //!< the shards looked at, with what they had to run
  std::size_t retried = 0;         //!< runs recorded as failed when the retry began
  std::size_t pending = 0;         //!< runs pending when it began
  std::size_t now_ok = 0;          //!< of the failed ones, those that ran ok this time
  std::size_t still_failed = 0;    //!< …that failed again (recorded with their new error)
  std::size_t left = 0;            //!< runs pending at the end (a stop came): run the retry again
  std::size_t not_reached = 0;     //!< failed runs of shards a stop came before: still failed, untouched
  std::size_t threads = 0;
  std::string thread_error;
  double elapsed_seconds = 0.0;
};

//! `aidcsim sweep retry`: runs again the runs DIR records as failed, in every shard or in one,
//! with the parameters and seeds of DIR/sweep.yaml's design (not checked again: a point that
//! fails fails again, recorded with its new error), and the shard's pending runs with them (as
//! --resume: so a retry that was stopped finishes when run again). Every shard it changes is
//! locked first and until the end (lock.hpp); the whole directory is read and checked before
//! anything changes (record_index.hpp: a damaged, foreign or linked file is a ResultsError);
//! shards that ran another base scenario, or of another split than --shard's, are refused
//! (std::invalid_argument), as on --resume. Each shard's failed records are set aside
//! (set_aside_failed_runs, results_store.hpp: the order of its steps keeps every run recorded
//! once whenever it stops) and the runs run as --resume runs them. A stop (SIGINT, SIGTERM)
//! ends it as it ends a sweep: the runs not finished stay pending. With `dry_run` nothing is
//! locked or changed.
RetryReport retry_sweep(const RetryOptions& options);

}  // namespace aidc::sweep
