// _aidcsim: the compiled half of the Python package `aidcsim` (python/aidcsim/__init__.py is the
// other). It loads scenarios, runs them with the GIL released and hands a run's numbers over as
// NumPy arrays built here, column by column, with no Python object per value. The Python side
// turns them into pandas DataFrames.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "aidc/kernel/interrupt.hpp"
#include "aidc/output/atomic_file.hpp"
#include "aidc/output/run_info.hpp"
#include "aidc/output/summary.hpp"
#include "aidc/output/wide_csv.hpp"
#include "aidc/report/html_report.hpp"
#include "aidc/report/key_figures.hpp"
#include "aidc/run/ensemble.hpp"
#include "aidc/run/run_data_of.hpp"
#include "aidc/run/run_directory.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/loader.hpp"
#include "aidc/sweep/kpi.hpp"
#include "aidc/sweep/merge.hpp"
#include "aidc/sweep/runner.hpp"
#include "aidc/sweep/sweep_spec.hpp"
#include "aidc/text/diagnostic.hpp"
#include "aidc/text/limits.hpp"
#include "aidc/version.hpp"

namespace py = pybind11;

namespace {

// pandas counts quarters ('Q-DEC' periods) from 1970Q1; Quarter::index() from year 0.
constexpr std::int64_t pandas_quarter_offset = 1970 * 4;

// The exception classes of the package, made once when the module is imported and kept for the
// life of the process (never destroyed: the interpreter may be finalizing when statics are).
struct Errors {
  PyObject* scenario_error = nullptr;
  PyObject* invariant_violation = nullptr;
  PyObject* output_error = nullptr;
  PyObject* interrupted = nullptr;
};
Errors& errors() {
  static Errors e;
  return e;
}

py::dict diagnostic_dict(const aidc::Diagnostic& d) {
  py::dict out;
  out["severity"] = d.severity == aidc::Diagnostic::Severity::error ? "error" : "warning";
  out["file"] = d.where.file;
  out["line"] = d.where.line;
  out["column"] = d.where.column;
  out["key_path"] = d.key_path;
  out["message"] = d.message;
  out["text"] = d.str();
  return out;
}

py::list diagnostic_list(const std::vector<aidc::Diagnostic>& diagnostics) {
  py::list out;
  for (const auto& d : diagnostics) out.append(diagnostic_dict(d));
  return out;
}

// Raises aidcsim.ScenarioError: the message is every diagnostic on its own line (as `aidcsim
// validate` prints them), `.diagnostics` one dict per diagnostic.
void raise_scenario_error(const aidc::ScenarioError& e) {
  std::string message;
  for (const auto& d : e.diagnostics()) {
    if (!message.empty()) message += '\n';
    message += d.str();
  }
  if (message.empty()) message = e.what();
  py::object cls = py::reinterpret_borrow<py::object>(errors().scenario_error);
  py::object instance = cls(message);
  instance.attr("diagnostics") = diagnostic_list(e.diagnostics());
  PyErr_SetObject(errors().scenario_error, instance.ptr());
}

// A loaded scenario: the validated spec (shared, read-only) and where it came from.
struct Scenario {
  std::shared_ptr<const aidc::ScenarioSpec> spec;
};

// Where a scenario comes from, as the Python side says it.
struct Source {
  std::optional<std::filesystem::path> path;  // a file
  std::optional<std::string> text;            // YAML text
  std::string text_name = "<string>";          // names the text in messages
};

aidc::ScenarioSpec load_spec(const Source& source, const std::vector<std::string>& overrides) {
  if (source.path) return aidc::load_scenario_file(*source.path, overrides);
  if (source.text) return aidc::load_scenario_text(*source.text, source.text_name, overrides);
  return aidc::load_default_scenario(overrides);
}

aidc::ScenarioTemplate load_template(const Source& source) {
  if (source.path) return aidc::ScenarioTemplate::from_file(*source.path);
  if (source.text) return aidc::ScenarioTemplate(*source.text, source.text_name);
  return aidc::ScenarioTemplate::default_scenario();
}

Source make_source(const std::optional<std::filesystem::path>& path, const std::optional<std::string>& text,
                   const std::string& text_name) {
  Source s;
  s.path = path;
  s.text = text;
  if (!text_name.empty()) s.text_name = text_name;
  return s;
}

Scenario load(const std::optional<std::filesystem::path>& path, const std::optional<std::string>& text,
              const std::string& text_name, const std::vector<std::string>& overrides) {
  const Source source = make_source(path, text, text_name);
  std::shared_ptr<aidc::ScenarioSpec> spec;
  {
    py::gil_scoped_release release;
    spec = std::make_shared<aidc::ScenarioSpec>(load_spec(source, overrides));
  }
  return Scenario{std::move(spec)};
}

// A finished run (or ensemble) kept in memory.
struct Run {
  std::shared_ptr<const aidc::ScenarioSpec> spec;
  std::uint64_t seed = 0;
  aidc::RunResult result;                        // one run
  std::shared_ptr<aidc::EnsembleResult> ensemble;  // an ensemble: result is unused, median is the run

  [[nodiscard]] const aidc::RunResult& run() const { return ensemble ? ensemble->median : result; }
  [[nodiscard]] const aidc::Recorder& recorder() const { return run().recorder; }

  [[nodiscard]] aidc::RunInfo info() const {
    aidc::RunInfo info;
    aidc::describe_scenario(info, *spec);
    info.seed = seed;
    if (ensemble) info.seeds = ensemble->seeds;
    info.events_executed = run().events_executed;
    info.wall_seconds = run().wall_seconds;
    return info;
  }
};

std::shared_ptr<Run> run_one(const Scenario& scenario, std::uint64_t seed) {
  auto run = std::make_shared<Run>();
  run->spec = scenario.spec;
  run->seed = seed;
  {
    py::gil_scoped_release release;
    run->result = aidc::run_scenario(*scenario.spec, seed);
  }
  return run;
}

std::shared_ptr<Run> run_many(const Scenario& scenario, std::vector<std::uint64_t> seeds, std::size_t jobs) {
  if (seeds.empty()) throw py::value_error("seeds: no seeds given");
  if (seeds.size() > aidc::max_ensemble_seeds) {
    throw py::value_error("seeds: " + std::to_string(seeds.size()) + " seeds, at most " +
                          std::to_string(aidc::max_ensemble_seeds));
  }
  auto run = std::make_shared<Run>();
  run->spec = scenario.spec;
  run->seed = seeds.front();
  aidc::EnsembleOptions options;
  options.seeds = std::move(seeds);
  options.jobs = std::max<std::size_t>(1, jobs);
  {
    py::gil_scoped_release release;
    run->ensemble = std::make_shared<aidc::EnsembleResult>(aidc::run_ensemble(*scenario.spec, options));
  }
  return run;
}

std::vector<std::uint64_t> parse_seeds(const std::string& text) {
  std::string problem;
  auto seeds = aidc::parse_seed_list(text, problem);
  if (!seeds) throw py::value_error("seeds: " + problem);
  return *seeds;
}

template <class T>
py::array_t<T> new_array(std::size_t n) {
  return py::array_t<T>(static_cast<py::ssize_t>(n));
}

py::list metric_names() {
  py::list out;
  for (std::size_t m = 0; m < aidc::metric_count; ++m) out.append(std::string(aidc::metric_name(static_cast<aidc::Metric>(m))));
  return out;
}

py::list kind_names() {
  py::list out;
  for (const auto name : aidc::entity_kind_names) out.append(std::string(name));
  return out;
}

// The tidy table as columns: quarter (pandas period ordinals), codes into the kind, entity and
// metric names, and the value; for an ensemble also its quantiles (one row of five per value).
py::dict timeseries_columns(const Run& run) {
  const auto& samples = run.recorder().samples();
  const std::size_t n = samples.size();
  auto quarter = new_array<std::int64_t>(n);
  auto kind = new_array<std::int8_t>(n);
  auto entity = new_array<std::int32_t>(n);
  auto metric = new_array<std::int16_t>(n);
  auto value = new_array<double>(n);
  auto* q = quarter.mutable_data();
  auto* k = kind.mutable_data();
  auto* e = entity.mutable_data();
  auto* m = metric.mutable_data();
  auto* v = value.mutable_data();
  for (std::size_t i = 0; i < n; ++i) {
    const auto& s = samples[i];
    q[i] = static_cast<std::int64_t>(s.quarter) - pandas_quarter_offset;
    k[i] = static_cast<std::int8_t>(s.kind);
    e[i] = static_cast<std::int32_t>(s.entity);
    m[i] = static_cast<std::int16_t>(s.metric);
    v[i] = s.value;
  }
  py::dict out;
  out["quarter"] = quarter;
  out["entity_kind"] = kind;
  out["entity"] = entity;
  out["metric"] = metric;
  out["value"] = value;
  out["kinds"] = kind_names();
  out["entities"] = run.recorder().entity_names();
  out["metrics"] = metric_names();
  if (run.ensemble) {
    const auto& quantiles = run.ensemble->quantiles;
    py::array_t<double> table({static_cast<py::ssize_t>(quantiles.size()), py::ssize_t{5}});
    auto* t = table.mutable_data();
    for (std::size_t i = 0; i < quantiles.size(); ++i) {
      for (std::size_t j = 0; j < 5; ++j) t[i * 5 + j] = quantiles[i][j];
    }
    out["quantiles"] = table;
  }
  return out;
}

std::optional<aidc::EntityKind> kind_of(std::string name) {
  if (name.size() > 4 && name.ends_with(".csv")) name.resize(name.size() - 4);
  if (name == "global" || name == "world") return aidc::EntityKind::global;
  if (name == "blocs" || name == "bloc") return aidc::EntityKind::bloc;
  if (name == "regions" || name == "region") return aidc::EntityKind::region;
  if (name == "agents" || name == "agent") return aidc::EntityKind::agent;
  if (name == "vendors" || name == "vendor") return aidc::EntityKind::vendor;
  return std::nullopt;
}

// One wide table (as wide_csv.hpp lays it out): rows quarter × entity (entities in the order they
// first appear), one column per metric the kind records, in the order recorded; NaN where a value
// was never recorded.
py::dict wide_columns(const Run& run, const std::string& name) {
  const auto kind = kind_of(name);
  if (!kind) {
    throw py::value_error("unknown table '" + name + "'" +
                          " (known: global, blocs, regions, agents, vendors)");
  }
  const auto& recorder = run.recorder();
  const auto& samples = recorder.samples();
  const aidc::WideLayout layout = aidc::wide_layout(recorder, *kind);
  const auto& entities = layout.entities;
  const auto& metrics = layout.metrics;
  const std::int32_t first = layout.first_quarter;
  const std::size_t rows = layout.quarters * entities.size();
  const std::size_t width = metrics.size();
  auto quarter = new_array<std::int64_t>(rows);
  auto entity = new_array<std::int32_t>(rows);
  py::array_t<double> values({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(width)});
  auto* q = quarter.mutable_data();
  auto* e = entity.mutable_data();
  auto* v = values.mutable_data();
  std::fill(v, v + rows * width, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t r = 0; r < rows; ++r) {
    q[r] = first + static_cast<std::int64_t>(r / entities.size()) - pandas_quarter_offset;
    e[r] = static_cast<std::int32_t>(r % entities.size());
  }
  for (const auto& s : samples) {
    if (s.kind != *kind) continue;
    const auto row = static_cast<std::size_t>(s.quarter - first) * entities.size() + layout.entity_row[s.entity];
    v[row * width + layout.metric_column[static_cast<std::size_t>(s.metric)]] = s.value;
  }
  py::list entity_names;
  for (const auto id : entities) entity_names.append(recorder.entity_names()[id]);
  py::list metric_list;
  for (const auto m : metrics) metric_list.append(std::string(aidc::metric_name(m)));
  py::dict out;
  out["quarter"] = quarter;
  out["entity"] = entity;
  out["entities"] = entity_names;
  out["metrics"] = metric_list;
  out["values"] = values;
  return out;
}

// The event log as columns (events are few: plain lists; figures one dict per event).
py::dict event_columns(const Run& run) {
  const auto& events = run.run().events.events();
  auto quarter = new_array<std::int64_t>(events.size());
  auto* q = quarter.mutable_data();
  py::list kind;
  py::list entity;
  py::list what;
  py::list cause;
  py::list figures;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& ev = events[i];
    q[i] = ev.quarter.index() - pandas_quarter_offset;
    kind.append(std::string(aidc::entity_kind_names[static_cast<std::size_t>(ev.entity_kind)]));
    entity.append(ev.entity);
    what.append(ev.kind);
    cause.append(ev.cause);
    py::dict f;
    for (const auto& [name, value] : ev.figures) f[py::str(name)] = value;
    figures.append(f);
  }
  py::dict out;
  out["quarter"] = quarter;
  out["entity_kind"] = kind;
  out["entity"] = entity;
  out["kind"] = what;
  out["cause"] = cause;
  out["figures"] = figures;
  return out;
}

// A run's KPIs: the sweep's (end_, sum_, max_) then the report's key figures.
std::vector<std::pair<std::string, double>> kpis_of(const aidc::RunResult& result, const aidc::RunInfo& info) {
  auto out = aidc::sweep::run_kpis(result.recorder);
  const aidc::KeyFigures figures = aidc::key_figures(aidc::run_data_of(result, info));
  for (auto& kv : aidc::key_figure_values(figures)) out.push_back(std::move(kv));
  return out;
}

std::vector<std::pair<std::string, double>> run_kpis(const Run& run) {
  py::gil_scoped_release release;
  return kpis_of(run.run(), run.info());
}

std::string summary(const Run& run) {
  const auto& spec = *run.spec;
  std::string head = spec.name + " (" + spec.source + "), ";
  if (run.ensemble) {
    head += "median of " + std::to_string(run.ensemble->seeds.size()) + " seeds";
  } else {
    head += "seed " + std::to_string(run.seed);
  }
  head += ", " + spec.run.start.str() + ".." + spec.run.end.str() + "\n\n";
  return head + aidc::format_summary(run.recorder(), spec.run.start, spec.run.end);
}

std::vector<std::string> save(const Run& run, const std::filesystem::path& dir, bool with_report) {
  py::gil_scoped_release release;
  const aidc::WrittenRun written =
      run.ensemble ? aidc::write_ensemble_directory(dir, *run.spec, *run.ensemble, with_report)
                   : aidc::write_run_directory(dir, *run.spec, run.seed, run.result, with_report);
  std::vector<std::string> files = written.info.outputs;
  files.insert(files.begin(), "run.json");
  return files;
}

void report(const Run& run, const std::filesystem::path& path) {
  py::gil_scoped_release release;
  aidc::RunInfo info = run.info();
  const aidc::RunData data = aidc::run_data_of(run.run(), info);
  aidc::write_file_atomically(path, aidc::format_report_html(data));
}

// A finished run of a batch: its KPIs, or why it failed.
struct BatchRun {
  std::vector<std::pair<std::string, double>> kpis;  // empty when it failed
  std::string error;
};

// The finished runs `ready` (sorted) as columns: run (the indices), kpis (the names, those of
// the first run that gave any), values (runs × KPIs: NaN for a run that failed or lacks one),
// errors ("" when it ran).
py::dict batch_columns(const std::vector<std::size_t>& ready, const std::vector<BatchRun>& runs) {
  std::vector<std::string> names;
  for (const auto i : ready) {
    if (runs[i].kpis.empty()) continue;
    for (const auto& kv : runs[i].kpis) names.push_back(kv.first);
    break;
  }
  auto index = new_array<std::int64_t>(ready.size());
  py::array_t<double> values({static_cast<py::ssize_t>(ready.size()), static_cast<py::ssize_t>(names.size())});
  auto* r = index.mutable_data();
  auto* v = values.mutable_data();
  std::fill(v, v + ready.size() * names.size(), std::numeric_limits<double>::quiet_NaN());
  py::list errors;
  for (std::size_t row = 0; row < ready.size(); ++row) {
    const BatchRun& run = runs[ready[row]];
    r[row] = static_cast<std::int64_t>(ready[row]);
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (j < run.kpis.size() && run.kpis[j].first == names[j]) {
        v[row * names.size() + j] = run.kpis[j].second;
        continue;
      }
      for (const auto& kv : run.kpis) {
        if (kv.first == names[j]) v[row * names.size() + j] = kv.second;
      }
    }
    errors.append(run.error);
  }
  py::dict out;
  out["run"] = index;
  out["kpis"] = names;
  out["values"] = values;
  out["errors"] = errors;
  return out;
}

// Many runs of one scenario on threads: each run's overrides are the base's then its own, its
// seed its own. The scenario is parsed once. The runs finished are handed to `on_batch` (as
// batch_columns, in order of run) as soon as `batch_runs` of them are, or `batch_seconds` after
// the last batch, so that only those wait in memory. A run that breaks an invariant is recorded
// with its error; a bad override stops the batch and raises ScenarioError (the lowest run's).
// The calling thread waits with the GIL released and, every 50 ms, looks for signals: on Ctrl-C
// (Python's handler raising KeyboardInterrupt) no run starts, the runs under way finish, and the
// KeyboardInterrupt is raised.
void batch(const std::optional<std::filesystem::path>& path, const std::optional<std::string>& text,
           const std::string& text_name, const std::vector<std::string>& base_overrides,
           const std::vector<std::vector<std::string>>& run_overrides, const std::vector<std::uint64_t>& seeds,
           std::size_t jobs, const py::function& on_batch, std::size_t batch_runs, double batch_seconds) {
  if (run_overrides.size() != seeds.size()) throw py::value_error("batch: one seed per run");
  if (batch_runs == 0) throw py::value_error("batch_runs: at least 1");
  const Source source = make_source(path, text, text_name);
  std::optional<aidc::ScenarioTemplate> base;
  {
    py::gil_scoped_release release;
    base.emplace(load_template(source));
  }
  const std::size_t n = run_overrides.size();
  std::vector<BatchRun> runs(n);
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::size_t> finished;  // runs done and not yet handed over
  std::size_t bad_run = n;            // the lowest run with a bad override
  std::exception_ptr bad_override;
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i; !stop && (i = next++) < n;) {
      BatchRun run;
      try {
        std::vector<std::string> overrides = base_overrides;
        overrides.insert(overrides.end(), run_overrides[i].begin(), run_overrides[i].end());
        const aidc::ScenarioSpec spec = base->instantiate(overrides, false);
        const aidc::RunResult result = aidc::run_scenario(spec, seeds[i]);
        aidc::RunInfo info;
        aidc::describe_scenario(info, spec);
        info.seed = seeds[i];
        run.kpis = kpis_of(result, info);
      } catch (const aidc::ScenarioError&) {
        const std::lock_guard lock(mutex);
        if (i < bad_run) {
          bad_run = i;
          bad_override = std::current_exception();
        }
        stop = true;
        continue;
      } catch (const std::exception& e) {
        run.error = e.what();
      }
      {
        const std::lock_guard lock(mutex);
        runs[i] = std::move(run);
        finished.push_back(i);
      }
      changed.notify_one();
    }
  };
  const std::size_t threads = std::min(std::max<std::size_t>(1, jobs), std::max<std::size_t>(1, n));
  std::size_t working = threads;
  // The workers are always joined, whatever is thrown here (a callback's exception, a signal).
  struct Pool {
    std::atomic<bool>& stop;
    std::vector<std::thread> threads;
    void join() {
      py::gil_scoped_release release;
      for (auto& t : threads) {
        if (t.joinable()) t.join();
      }
    }
    ~Pool() {
      stop = true;
      join();
    }
  } pool{stop, {}};
  for (std::size_t t = 0; t < threads; ++t) {
    pool.threads.emplace_back([&] {
      work();
      {
        const std::lock_guard lock(mutex);
        --working;
      }
      changed.notify_one();
    });
  }
  using clock = std::chrono::steady_clock;
  auto last_batch = clock::now();
  const auto batch_period = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(batch_seconds));
  for (;;) {
    std::vector<std::size_t> ready;
    bool all_done = false;
    std::size_t left = 0;  // finished runs kept for the next batch
    {
      py::gil_scoped_release release;
      std::unique_lock lock(mutex);
      const auto deadline = last_batch + batch_period;
      changed.wait_until(lock, std::min(deadline, clock::now() + std::chrono::milliseconds(50)),
                         [&] { return finished.size() >= batch_runs || working == 0; });
      all_done = working == 0;
      if (all_done || finished.size() >= batch_runs || clock::now() >= deadline) {
        // At most batch_runs a batch, the first finished first.
        const auto take = static_cast<std::ptrdiff_t>(std::min(finished.size(), batch_runs));
        ready.assign(finished.begin(), finished.begin() + take);
        finished.erase(finished.begin(), finished.begin() + take);
      }
      left = finished.size();
    }
    if (PyErr_CheckSignals() != 0) {
      stop = true;
      pool.join();
      throw py::error_already_set();
    }
    if (!ready.empty() && !bad_override) {
      std::sort(ready.begin(), ready.end());
      on_batch(batch_columns(ready, runs));
      for (const auto i : ready) runs[i] = BatchRun{};
    }
    if (!ready.empty() || all_done) last_batch = clock::now();
    if (all_done && left == 0) break;
  }
  pool.join();
  if (bad_override) std::rethrow_exception(bad_override);
}

// What a sweep's process tells the caller when it fails: a line naming the kind of error, then
// the message or, for a ScenarioError, each diagnostic's fields (\x1f between, \x1e after).
std::string failure_report(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const aidc::ScenarioError& e) {
    std::string out = "scenario\n";
    for (const auto& d : e.diagnostics()) {
      out += d.severity == aidc::Diagnostic::Severity::error ? "error" : "warning";
      for (const std::string& field : {d.where.file, std::to_string(d.where.line), std::to_string(d.where.column),
                                       d.key_path, d.message}) {
        out += '\x1f' + field;
      }
      out += '\x1e';
    }
    return out;
  } catch (const aidc::OutputError& e) {
    return std::string("output\n") + e.what();
  } catch (const std::invalid_argument& e) {
    return std::string("value\n") + e.what();
  } catch (const std::exception& e) {
    return std::string("runtime\n") + e.what();
  } catch (...) {
    return "runtime\nunknown error";
  }
}

// Raises the Python exception of a failure_report.
[[noreturn]] void raise_failure_report(const std::string& report) {
  const auto newline = report.find('\n');
  const std::string kind = report.substr(0, newline);
  const std::string message = newline == std::string::npos ? "" : report.substr(newline + 1);
  if (kind == "scenario") {
    std::vector<aidc::Diagnostic> diagnostics;
    std::size_t at = 0;
    for (std::size_t end; (end = message.find('\x1e', at)) != std::string::npos; at = end + 1) {
      std::vector<std::string> fields;
      for (std::size_t f = at;;) {
        const std::size_t next = message.find('\x1f', f);
        if (next == std::string::npos || next > end) {
          fields.push_back(message.substr(f, end - f));
          break;
        }
        fields.push_back(message.substr(f, next - f));
        f = next + 1;
      }
      if (fields.size() != 6) continue;
      aidc::Diagnostic d;
      d.severity = fields[0] == "error" ? aidc::Diagnostic::Severity::error : aidc::Diagnostic::Severity::warning;
      d.where = {fields[1], std::stoi(fields[2]), std::stoi(fields[3])};
      d.key_path = fields[4];
      d.message = fields[5];
      diagnostics.push_back(std::move(d));
    }
    throw aidc::ScenarioError(std::move(diagnostics));
  }
  if (kind == "output") throw aidc::OutputError(message);
  if (kind == "value") throw std::invalid_argument(message);
  throw std::runtime_error(message);
}

void write_all(int fd, const std::string& text) {
  for (std::size_t at = 0; at < text.size();) {
    const ssize_t n = ::write(fd, text.data() + at, text.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    at += static_cast<std::size_t>(n);
  }
}

// The sweep's own process (forked): SIGINT and SIGTERM are the kernel's stop requests there
// (kernel/interrupt.hpp), so a stop reaches runs in progress without touching the Python
// process's; it ends when the caller does. Writes a failure_report to `fd` if the sweep fails.
[[noreturn]] void sweep_process(int fd, pid_t caller, const sigset_t& signals, const std::string& text,
                                const std::string& source, const aidc::sweep::SweepOptions& options) {
  aidc::install_interrupt_handlers();
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != caller) ::_exit(1);  // the caller ended before the signal could be arranged
  ::pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
  std::string report;
  try {
    const aidc::sweep::SweepSpec spec = aidc::sweep::load_sweep_text(text, source);
    (void)aidc::sweep::run_sweep(spec, text, options);
  } catch (...) {
    report = failure_report(std::current_exception());
  }
  write_all(fd, report);
  ::_exit(report.empty() ? 0 : 1);
}

// runs.csv of a sweep directory (shards merged as `aidcsim sweep merge` merges them, pending runs
// left out) and how many runs are pending; with write_merged, DIR/runs.csv too once none is pending.
py::dict sweep_runs(const std::filesystem::path& dir, bool write_merged) {
  std::string runs_csv;
  std::size_t pending = 0;
  {
    py::gil_scoped_release release;
    const aidc::sweep::SweepResults results = aidc::sweep::read_sweep_directory(dir, false);
    runs_csv = aidc::sweep::format_runs_csv(results);
    pending = aidc::sweep::pending_runs(results);
    if (write_merged && pending == 0) aidc::write_file_atomically(dir / "runs.csv", runs_csv);
  }
  py::dict out;
  out["pending"] = pending;
  out["runs_csv"] = py::bytes(runs_csv);
  return out;
}

// A sweep as `aidcsim sweep FILE -o DIR` runs it (sim/cli/sweep_command.cpp), then its runs.csv
// as `aidcsim sweep merge DIR` writes it. The sweep is the text of a sweep file; `source` names
// it in messages and anchors its relative scenario path (a file's path, or "<string>": the
// current directory). `write_merged` writes DIR/runs.csv once every run is recorded. Returns
// the runs pending and runs.csv's text.
//
// The sweep runs in a process of its own, forked from this one, while this thread waits with the
// GIL released and looks for signals every 50 ms: on Ctrl-C (Python's handler raising
// KeyboardInterrupt) it asks the sweep to stop (SIGTERM), which starts no run, stops the runs in
// progress at their next quarter and writes the runs finished, then raises the KeyboardInterrupt;
// `resume` goes on from there. (The kernel's stop request, once made, stays for the life of a
// process: in this one it would stop every later run.)
py::dict sweep(const std::string& text, const std::string& source, const std::filesystem::path& dir,
               std::size_t threads, bool resume, std::size_t batch_runs, bool write_merged) {
  if (text.size() > aidc::limits::max_text_bytes) {
    throw py::value_error(source + ": the sweep is " + std::to_string(text.size()) + " bytes, more than the " +
                          std::to_string(aidc::limits::max_text_bytes) + " a sweep file may have");
  }
  if (batch_runs == 0) throw py::value_error("batch_runs: at least 1");
  aidc::sweep::SweepOptions options;
  options.dir = dir;
  options.resume = resume;
  options.batch_runs = batch_runs;
  options.threads = std::max<std::size_t>(1, threads);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("cannot start the sweep: ") + std::strerror(errno));
  sigset_t signals;
  sigset_t previous;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &signals, &previous);  // until the sweep's process has its handlers
  const pid_t caller = ::getpid();
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    sweep_process(pipe_fds[1], caller, signals, text, source, options);
  }
  const int fork_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  ::close(pipe_fds[1]);
  if (child < 0) {
    ::close(pipe_fds[0]);
    throw std::runtime_error(std::string("cannot start the sweep: ") + std::strerror(fork_errno));
  }
  std::string report;
  int status = 0;
  bool interrupted = false;
  for (bool open = true;;) {
    bool ended = false;
    {
      py::gil_scoped_release release;
      if (open) {
        pollfd p{pipe_fds[0], POLLIN, 0};
        if (::poll(&p, 1, 50) > 0) {
          char buffer[4096];
          const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
          if (n > 0) report.append(buffer, static_cast<std::size_t>(n));
          if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) open = false;
        }
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      ended = ::waitpid(child, &status, WNOHANG) == child;
      if (ended && open) {  // what the pipe still holds
        char buffer[4096];
        for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) report.append(buffer, static_cast<std::size_t>(n));
      }
    }
    if (ended) break;
    if (!interrupted && PyErr_CheckSignals() != 0) {
      interrupted = true;  // the KeyboardInterrupt stays set until the sweep's process has ended
      ::kill(child, SIGTERM);
    }
  }
  ::close(pipe_fds[0]);
  if (interrupted) throw py::error_already_set();
  if (!report.empty()) raise_failure_report(report);
  if (WIFSIGNALED(status)) {
    throw std::runtime_error("the sweep's process ended by signal " + std::to_string(WTERMSIG(status)) +
                             "; the runs recorded in " + dir.string() + " stay: resume=True goes on");
  }
  return sweep_runs(dir, write_merged);
}

// runs.csv of a sweep directory and how many runs are pending (sweep_runs, nothing written).
py::dict read_sweep(const std::filesystem::path& dir) { return sweep_runs(dir, false); }

}  // namespace

PYBIND11_MODULE(_aidcsim, m) {
  m.doc() = "The compiled part of aidcsim: scenarios loaded, runs made with the GIL released, columns as NumPy arrays";
  // Runs log through spdlog; in Python only warnings and errors reach stderr.
  spdlog::set_level(spdlog::level::warn);

  auto& e = errors();
  e.scenario_error = PyErr_NewExceptionWithDoc(
      "aidcsim.ScenarioError",
      "A scenario (or a --set override) is invalid. The message lists every problem as "
      "`file:line:col: key.path: message`; `.diagnostics` holds one dict per problem (severity, file, "
      "line, column, key_path, message, text).",
      PyExc_ValueError, nullptr);
  e.invariant_violation = PyErr_NewExceptionWithDoc(
      "aidcsim.InvariantViolation", "The model broke a conservation law: the message names the quarter and entity.",
      PyExc_RuntimeError, nullptr);
  e.output_error =
      PyErr_NewExceptionWithDoc("aidcsim.OutputError", "An output file could not be written.", PyExc_OSError, nullptr);
  e.interrupted =
      PyErr_NewExceptionWithDoc("aidcsim.Interrupted", "A run stopped by SIGINT or SIGTERM.", PyExc_KeyboardInterrupt, nullptr);
  m.attr("ScenarioError") = py::handle(e.scenario_error);
  m.attr("InvariantViolation") = py::handle(e.invariant_violation);
  m.attr("OutputError") = py::handle(e.output_error);
  m.attr("Interrupted") = py::handle(e.interrupted);
  Py_INCREF(e.scenario_error);
  Py_INCREF(e.invariant_violation);
  Py_INCREF(e.output_error);
  Py_INCREF(e.interrupted);

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const aidc::ScenarioError& err) {
      raise_scenario_error(err);
    } catch (const aidc::InvariantViolation& err) {
      PyErr_SetString(errors().invariant_violation, err.what());
    } catch (const aidc::OutputError& err) {
      PyErr_SetString(errors().output_error, err.what());
    } catch (const aidc::Interrupted& err) {
      PyErr_SetString(errors().interrupted, err.what());
    }
  });

  py::class_<Scenario>(m, "Scenario", "A validated scenario")
      .def_property_readonly("name", [](const Scenario& s) { return s.spec->name; })
      .def_property_readonly("source", [](const Scenario& s) { return s.spec->source; })
      .def_property_readonly("start", [](const Scenario& s) { return s.spec->run.start.str(); })
      .def_property_readonly("end", [](const Scenario& s) { return s.spec->run.end.str(); })
      .def_property_readonly("seed", [](const Scenario& s) { return s.spec->run.seed; })
      .def_property_readonly("resolved_yaml", [](const Scenario& s) { return s.spec->resolved_yaml; })
      .def_property_readonly("warnings", [](const Scenario& s) { return diagnostic_list(s.spec->warnings); })
      .def_property_readonly("counts", [](const Scenario& s) {
        py::dict d;
        d["chips"] = s.spec->chips.size();
        d["vendors"] = s.spec->vendors.size();
        d["regions"] = s.spec->regions.size();
        d["sites"] = s.spec->sites.size();
        d["agents"] = s.spec->agents.size();
        return d;
      });

  py::class_<Run, std::shared_ptr<Run>>(m, "RunData", "A finished run (or ensemble) in memory")
      .def_property_readonly("seed", [](const Run& r) { return r.seed; })
      .def_property_readonly("seeds",
                             [](const Run& r) { return r.ensemble ? r.ensemble->seeds : std::vector<std::uint64_t>{r.seed}; })
      .def_property_readonly("is_ensemble", [](const Run& r) { return static_cast<bool>(r.ensemble); })
      .def_property_readonly("scenario_name", [](const Run& r) { return r.spec->name; })
      .def_property_readonly("events_executed", [](const Run& r) { return r.run().events_executed; })
      .def_property_readonly("wall_seconds", [](const Run& r) { return r.run().wall_seconds; })
      .def("timeseries_columns", &timeseries_columns)
      .def("wide_columns", &wide_columns, py::arg("kind"))
      .def("event_columns", &event_columns)
      .def("kpis", &run_kpis)
      .def("seed_figures",
           [](const Run& r) {
             std::vector<std::vector<std::pair<std::string, double>>> out;
             if (r.ensemble) {
               for (const auto& f : r.ensemble->figures) out.push_back(aidc::key_figure_values(f));
             }
             return out;
           })
      .def("summary", &summary)
      .def("save", &save, py::arg("dir"), py::arg("report") = false)
      .def("report", &report, py::arg("path"));

  m.def("load", &load, py::arg("path") = py::none(), py::arg("text") = py::none(), py::arg("text_name") = "",
        py::arg("overrides") = std::vector<std::string>{},
        "Loads and validates a scenario (a file, YAML text, or the embedded default when both are None)");
  m.def("run", &run_one, py::arg("scenario"), py::arg("seed"), "Runs a scenario once (the GIL is released)");
  m.def("run_ensemble", &run_many, py::arg("scenario"), py::arg("seeds"), py::arg("jobs"),
        "Runs a scenario once per seed on `jobs` threads and keeps the median and quantiles");
  m.def("parse_seeds", &parse_seeds, py::arg("text"), "The seeds of 'N' (1 to N) or 'A-B'");
  m.def("batch", &batch, py::arg("path"), py::arg("text"), py::arg("text_name"), py::arg("base_overrides"),
        py::arg("run_overrides"), py::arg("seeds"), py::arg("jobs"), py::arg("on_batch"), py::arg("batch_runs"),
        py::arg("batch_seconds"),
        "Runs the scenario once per row of overrides on threads; hands the finished runs to on_batch in batches");
  m.def("sweep", &sweep, py::arg("text"), py::arg("source"), py::arg("dir"), py::arg("threads"), py::arg("resume"),
        py::arg("batch_runs"), py::arg("write_merged"),
        "Runs a sweep (its file's text) into DIR as `aidcsim sweep` does; returns its runs.csv text");
  m.def("read_sweep_file", [](const std::filesystem::path& path) { return aidc::sweep::read_sweep_file(path); },
        py::arg("path"), "The text of a sweep file, read as `aidcsim sweep` reads it");
  m.def("read_sweep", &read_sweep, py::arg("dir"), "runs.csv of a sweep directory, and its pending runs");
  m.def("default_scenario_text", [] { return std::string(aidc::default_scenario_text()); });
  m.def("metric_names", &metric_names);
  m.def("set_log_level", [](const std::string& level) { spdlog::set_level(spdlog::level::from_str(level)); });
  m.attr("__version__") = std::string(aidc::version);
  m.attr("build_type") = std::string(aidc::build_type);
}
