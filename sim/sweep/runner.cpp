#include "aidc/sweep/runner.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "aidc/kernel/interrupt.hpp"
#include "aidc/output/atomic_file.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/loader.hpp"
#include "aidc/sweep/check.hpp"
#include "aidc/sweep/design.hpp"
#include "aidc/sweep/kpi.hpp"
#include "aidc/sweep/lock.hpp"
#include "aidc/sweep/record_index.hpp"
#include "aidc/sweep/results_store.hpp"
#include "aidc/text/limits.hpp"
#include "aidc/text/text_file.hpp"

namespace aidc::sweep {

namespace {

std::string diagnostics_text(const ScenarioError& e) {
  std::string out;
  for (const auto& d : e.diagnostics()) {
    if (d.severity != Diagnostic::Severity::error) continue;
    if (!out.empty()) out += " | ";
    out += d.str();
  }
  return out;
}

// The problems of the sweep's fixed `set:` assignments, placed where each is written in the
// sweep file rather than on a command line it never had.
std::vector<Diagnostic> at_set_list(const ScenarioError& e, const SweepSpec& spec) {
  std::vector<Diagnostic> out = e.diagnostics();
  for (auto& d : out) {
    for (std::size_t i = 0; i < spec.overrides.size() && i < spec.overrides_at.size(); ++i) {
      if (d.where.file != "--set " + spec.overrides[i]) continue;
      d.where = spec.overrides_at[i];
      d.key_path = "set[" + std::to_string(i) + "]" + (d.key_path.empty() ? "" : ": " + d.key_path);
      break;
    }
  }
  return out;
}

// Writes DIR/sweep.yaml, or checks that the one there is this sweep's. The file is written
// under a temporary name and linked to its own (link(2) never replaces a file), so of two sweeps
// started at once on one directory, one writes it and the other finds it.
void claim_directory(const std::filesystem::path& dir, const std::string& spec_text) {
  ensure_output_directory(dir);
  const auto file = dir / "sweep.yaml";
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(file, ec))) {
    const auto staged = dir / (".sweep.yaml." + std::to_string(::getpid()));
    write_file_atomically(staged, spec_text);
    const int linked = ::link(staged.c_str(), file.c_str());
    const int link_errno = errno;
    std::filesystem::remove(staged, ec);
    if (linked != 0 && link_errno != EEXIST) {
      throw OutputError("cannot write " + file.string() + ": " + std::strerror(link_errno));
    }
  }
  if (read_sweep_file(file) != spec_text) {
    throw std::invalid_argument(file.string() + " is another sweep's spec; use a fresh directory for this one");
  }
}

// Refuses to run `shard` in `dir` beside shards of another split or of another base scenario.
void check_other_shards(const std::filesystem::path& dir, const Shard& shard, const std::string& base_hash,
                        std::size_t runs) {
  for (const auto& other : shards_on_disk(dir, runs)) {
    if (other.shard.count != shard.count) {
      throw std::invalid_argument(fmt::format(
          "{} holds {} of a split into {} shards; this is shard {}/{}: pass --shard K/{} (in a Slurm array the "
          "generated sweep.sbatch does), or use another directory",
          dir.string(), other.stem, other.shard.count, shard.index, shard.count, other.shard.count));
    }
    if (!other.base_hash.empty() && other.base_hash != base_hash) {
      throw std::invalid_argument(fmt::format(
          "{} ran another base scenario ({}; now {}): the base scenario (or a file it extends) changed since the "
          "sweep started; restore it, or run the sweep in a new directory",
          (dir / (other.stem + ".manifest")).string(), other.base_hash, base_hash));
    }
  }
}

// Runs `pending` (runs of the writer's shard) on a pool of threads, appending each batch to
// `writer` as it finishes; `progress` counts on from what it holds.
SweepProgress run_pending(const SweepSpec& spec, const RunTable& table, const ScenarioTemplate& base,
                          ShardWriter& writer, const std::vector<std::size_t>& pending, const SweepOptions& options,
                          SweepProgress progress, std::chrono::steady_clock::time_point started) {
  const std::vector<KpiExpression> expressions = kpi_expressions(spec.kpis);
  const auto load = [&](const std::vector<std::string>& overrides) { return base.instantiate(overrides, false); };
  std::mutex mutex;
  std::condition_variable ready;
  std::vector<RunRecord> finished;
  std::atomic<std::size_t> next{0};
  std::size_t workers_left = std::max<std::size_t>(1, std::min(options.threads, pending.size()));
  if (pending.empty()) workers_left = 0;

  const auto work = [&] {
    for (std::size_t n; interrupt_signal() == 0 && (n = next.fetch_add(1)) < pending.size();) {
      const std::size_t index = pending[n];
      RunRecord record;
      record.run = index;
      try {
        const ScenarioSpec scenario = load(table.overrides(spec, index));
        const RunResult result = run_scenario(scenario, table.runs[index].seed);
        record.kpis = run_kpis(result.recorder, expressions);
        record.series = series_lines(result.recorder, index, spec.series_metrics);
      } catch (const Interrupted&) {
        break;  // a signal cut the run short: it stays pending, for --resume
      } catch (const ScenarioError& e) {
        record.ok = false;
        record.error = "invalid scenario: " + diagnostics_text(e);
      } catch (const InvariantViolation& e) {
        record.ok = false;
        record.error = std::string("invariant violated: ") + e.what();
      } catch (const std::exception& e) {
        record.ok = false;
        record.error = std::string("error: ") + e.what();
      }
      {
        const std::lock_guard lock(mutex);
        finished.push_back(std::move(record));
      }
      ready.notify_one();
    }
    {
      const std::lock_guard lock(mutex);
      --workers_left;
    }
    ready.notify_one();
  };

  // A thread the system will not start (a process or memory limit) is reported, not fatal: the
  // sweep goes on with the threads that did start, and fails clearly if none did.
  std::vector<std::thread> pool;
  const std::size_t wanted = workers_left;
  for (std::size_t t = 0; t < wanted; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error& e) {
      const std::lock_guard lock(mutex);
      workers_left -= wanted - t;
      progress.thread_error = e.code().message();
      break;
    }
  }
  progress.threads = pool.size();
  if (pool.empty() && wanted > 0) {
    throw std::runtime_error("cannot start a worker thread: " + progress.thread_error + "; nothing was run");
  }
  auto last_write = std::chrono::steady_clock::now();
  std::exception_ptr write_error;
  for (;;) {
    std::vector<RunRecord> batch;
    bool all_done = false;
    {
      std::unique_lock lock(mutex);
      const auto deadline = last_write + std::chrono::duration<double>(options.batch_seconds);
      ready.wait_until(lock, deadline, [&] { return finished.size() >= options.batch_runs || workers_left == 0; });
      all_done = workers_left == 0;
      if (all_done || finished.size() >= options.batch_runs || std::chrono::steady_clock::now() >= deadline) {
        batch.swap(finished);
      }
    }
    if (!batch.empty() && !write_error) {
      try {
        writer.append(batch);
      } catch (...) {
        write_error = std::current_exception();
        next = pending.size();  // stop handing out runs
      }
      for (const auto& r : batch) progress.failed += r.ok ? 0 : 1;
      progress.done += batch.size();
      progress.done_this_session += batch.size();
    }
    if (!batch.empty() || all_done) {
      last_write = std::chrono::steady_clock::now();
      progress.elapsed_seconds = std::chrono::duration<double>(last_write - started).count();
      if (options.progress) options.progress(progress);
    }
    if (all_done) break;
  }
  for (auto& t : pool) t.join();
  if (write_error) std::rethrow_exception(write_error);
  progress.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return progress;
}

}  // namespace

SweepProgress run_sweep(const SweepSpec& spec, const std::string& spec_text, const SweepOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const RunTable table = make_run_table(spec);
  // The base scenario is read and parsed once; each run applies its overrides to that tree (the
  // resolved text, which only run.json needs, is not written).
  const ScenarioTemplate base = load_base_scenario(spec);
  std::string base_hash;
  try {
    base_hash = base_scenario_hash(spec, base);  // a broken base scenario stops the sweep before any run
  } catch (const ScenarioError& e) {
    throw ScenarioError(at_set_list(e, spec));
  }
  (void)check_sweep(spec, base, table, options.check_seconds);

  claim_directory(options.dir, spec_text);
  const ShardLock shard_lock(options.dir, options.shard);
  check_other_shards(options.dir, options.shard, base_hash, table.runs.size());
  ShardWriter writer(options.dir, options.shard, options.resume, table.runs.size(), base_hash);
  const std::set<std::size_t> done_before(writer.manifest().done.begin(), writer.manifest().done.end());

  const std::size_t first = options.shard.begin(table.runs.size()), last = options.shard.end(table.runs.size());
  std::vector<std::size_t> pending;
  for (std::size_t i = first; i < last; ++i) {
    if (!done_before.count(i)) pending.push_back(i);
  }

  SweepProgress progress;
  progress.total = last - first;
  progress.done = done_before.size();
  progress.failed = writer.manifest().failed.size();

  return run_pending(spec, table, base, writer, pending, options, progress, started);
}

RetryReport retry_sweep(const RetryOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const auto& dir = options.dir;
  const auto spec_file = dir / "sweep.yaml";
  if (!std::filesystem::is_directory(dir)) throw std::invalid_argument(dir.string() + ": not a directory");
  if (!std::filesystem::exists(spec_file)) {
    throw std::invalid_argument(spec_file.string() +
                                " is missing: not a sweep directory (made by `aidcsim sweep SPEC -o DIR`)");
  }
  // The design, seeds and overrides come from the spec the sweep ran (DIR/sweep.yaml); the
  // sweep is not checked again: a design point that failed the check would fail again as a run.
  SweepSpec spec = load_sweep_file(spec_file);
  if (!options.scenario.empty()) spec.scenario = options.scenario;
  const RunTable table = make_run_table(spec);
  const std::size_t runs = table.runs.size();
  const ScenarioTemplate base = load_base_scenario(spec);
  std::string base_hash;
  try {
    base_hash = base_scenario_hash(spec, base);
  } catch (const ScenarioError& e) {
    throw ScenarioError(at_set_list(e, spec));
  }

  const auto on_disk = shards_on_disk(dir, runs);
  if (on_disk.empty()) {
    throw std::invalid_argument(dir.string() + " holds no shard's results yet: run the sweep first (aidcsim sweep SPEC -o " +
                                dir.string() + ")");
  }
  const std::size_t count = on_disk.front().shard.count;
  for (const auto& s : on_disk) {
    if (s.shard.count != count) {
      throw std::invalid_argument(fmt::format("{} holds shards of two splits ({} and {}); expected one",
                                              dir.string(), on_disk.front().stem, s.stem));
    }
    if (!s.base_hash.empty() && s.base_hash != base_hash) {
      throw std::invalid_argument(fmt::format(
          "{} ran another base scenario ({}; now {}): the base scenario (or a file it extends) changed since the "
          "sweep ran; restore it, or name the one it ran with --scenario PATH",
          (dir / (s.stem + ".manifest")).string(), s.base_hash, base_hash));
    }
  }
  std::vector<Shard> selected;
  if (options.shard) {
    if (options.shard->count != count) {
      throw std::invalid_argument(fmt::format("{} holds a split into {} shards; this is shard {}/{}: pass --shard K/{}",
                                              dir.string(), count, options.shard->index, options.shard->count, count));
    }
    const bool present = std::any_of(on_disk.begin(), on_disk.end(),
                                     [&](const ShardOnDisk& s) { return s.shard.index == options.shard->index; });
    if (!present) {
      throw std::invalid_argument(fmt::format("shard {}/{} has not run in {}: run it with aidcsim sweep SPEC -o {} "
                                              "--shard {}/{}",
                                              options.shard->index, count, dir.string(), dir.string(),
                                              options.shard->index, count));
    }
    selected.push_back(*options.shard);
  } else {
    for (const auto& s : on_disk) selected.push_back(s.shard);
  }

  // Every shard retried is locked before anything is read, and stays locked to the end.
  std::vector<std::unique_ptr<ShardLock>> locks;
  if (!options.dry_run) {
    for (const auto& shard : selected) locks.push_back(std::make_unique<ShardLock>(dir, shard));
  }
  // The shards retried are read and checked in full (every record, every series member, each run
  // once) before any file changes: a damaged or planted file stops the retry with nothing changed.
  // One shard retried alone is checked alone: the others may be running (a Slurm array).
  { const RecordIndex check(dir, runs, true, options.shard ? options.shard->stem() : std::string()); }

  RetryReport report;
  for (const auto& shard : selected) {
    const Manifest m = read_manifest(dir / (shard.stem() + ".manifest"), runs);
    RetryShard r;
    r.shard = shard;
    r.failed = m.failed;
    const std::set<std::size_t> done(m.done.begin(), m.done.end());
    for (std::size_t i = shard.begin(runs); i < shard.end(runs); ++i) {
      if (!done.count(i)) r.pending.push_back(i);
    }
    report.retried += r.failed.size();
    report.pending += r.pending.size();
    report.shards.push_back(std::move(r));
  }
  if (options.dry_run) return report;

  SweepOptions run_options;
  run_options.dir = dir;
  run_options.threads = options.threads;
  run_options.batch_runs = options.batch_runs;
  run_options.batch_seconds = options.batch_seconds;
  run_options.progress = options.progress;
  SweepProgress progress;  // over every shard retried
  progress.total = report.retried + report.pending;
  for (auto& r : report.shards) {
    if (interrupt_signal() != 0) {  // a shard not reached keeps its failed runs failed, untouched
      report.not_reached += r.failed.size();
      report.left += r.pending.size();
      continue;
    }
    if (r.failed.empty() && r.pending.empty()) continue;
    (void)set_aside_failed_runs(dir, r.shard, runs, base_hash);
    ShardWriter writer(dir, r.shard, true, runs, base_hash);
    const std::set<std::size_t> done_before(writer.manifest().done.begin(), writer.manifest().done.end());
    std::vector<std::size_t> pending;
    for (std::size_t i = r.shard.begin(runs); i < r.shard.end(runs); ++i) {
      if (!done_before.count(i)) pending.push_back(i);
    }
    run_options.shard = r.shard;
    progress = run_pending(spec, table, base, writer, pending, run_options, progress, started);
    report.threads = std::max(report.threads, progress.threads);
    if (report.thread_error.empty()) report.thread_error = progress.thread_error;
    // What became of the failed runs: the manifest says.
    const Manifest after = writer.manifest();
    const std::set<std::size_t> done_after(after.done.begin(), after.done.end());
    const std::set<std::size_t> failed_after(after.failed.begin(), after.failed.end());
    for (const auto run : r.failed) {
      if (!done_after.count(run)) ++report.left;
      else if (failed_after.count(run)) ++report.still_failed;
      else ++report.now_ok;
    }
    for (const auto run : r.pending) report.left += done_after.count(run) ? 0 : 1;
  }
  report.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace aidc::sweep
