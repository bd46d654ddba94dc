#include "aidc/sweep/merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "aidc/kernel/interrupt.hpp"
#include "aidc/sweep/kpi.hpp"
#include "aidc/text/csv.hpp"

namespace aidc::sweep {

SweepResults read_sweep_directory(const std::filesystem::path& dir, bool with_series) {
  if (!std::filesystem::is_directory(dir)) throw std::runtime_error(dir.string() + ": not a directory");
  const auto spec_file = dir / "sweep.yaml";
  if (!std::filesystem::exists(spec_file)) {
    throw std::runtime_error(spec_file.string() + " is missing: not a sweep directory (made by `aidcsim sweep SPEC -o DIR`)");
  }
  SweepResults out;
  out.spec = load_sweep_file(spec_file);
  out.table = make_run_table(out.spec);
  out.records = read_results(dir, with_series, out.table.runs.size());
  for (const auto& r : out.records) {
    if (r.run >= out.table.runs.size()) {
      throw std::runtime_error(fmt::format("{}: run {} is recorded but the sweep has {} runs", dir.string(), r.run,
                                           out.table.runs.size()));
    }
  }
  return out;
}

std::size_t pending_runs(const SweepResults& results) { return results.table.runs.size() - results.records.size(); }

std::string format_status(const SweepResults& results, std::size_t max_errors) {
  std::size_t failed = 0;
  std::string errors;
  for (const auto& r : results.records) {
    if (r.ok) continue;
    if (failed++ < max_errors) errors += fmt::format("  run {}: {}\n", r.run, r.error);
  }
  const std::size_t total = results.table.runs.size();
  const std::size_t done = results.records.size() - failed;
  std::string out = fmt::format("{} runs ({} design, {} points × {} replications): {} done, {} failed, {} pending\n", total,
                                design_name(results.spec.design), results.table.values.size(), results.spec.replications,
                                done, failed, pending_runs(results));
  if (pending_runs(results) > 0 && pending_runs(results) <= 20) {
    std::vector<std::size_t> recorded, missing;
    for (const auto& r : results.records) recorded.push_back(r.run);
    for (std::size_t i = 0, j = 0; i < total; ++i) {
      if (j < recorded.size() && recorded[j] == i) ++j;
      else missing.push_back(i);
    }
    out += "pending runs: " + format_ranges(missing) + "\n";
  }
  if (failed > 0) out += "failures" + std::string(failed > max_errors ? " (first " + std::to_string(max_errors) + ")" : "") + ":\n" + errors;
  return out;
}

namespace {

// The KPI columns of runs.csv: in the order they first appear, run by run, each found by
// hashing (linear in the KPIs).
struct KpiColumns {
  std::vector<std::string> names;
  std::unordered_map<std::string, std::size_t> column_of;
  void add(const RunRecord& r) {
    for (const auto& [name, value] : r.kpis) {
      if (column_of.try_emplace(name, names.size()).second) names.push_back(name);
    }
  }
};

std::string runs_csv_header(const SweepSpec& spec, const KpiColumns& kpis) {
  std::string out = "run,point,replication,seed";
  for (const auto& p : spec.parameters) out += "," + csv_field(p.path);
  out += ",status";
  for (const auto& k : kpis.names) out += "," + k;
  out += ",error\n";
  return out;
}

// A row of runs.csv: run `run`, at the design point of `values`, recorded as `r`.
void append_runs_csv_row(std::string& out, const Run& run, const std::vector<std::string>& values,
                         const KpiColumns& kpis, const RunRecord& r) {
  fmt::format_to(std::back_inserter(out), "{},{},{},{}", run.index, run.point, run.replication, run.seed);
  for (const auto& v : values) out += "," + csv_field(v);
  out += r.ok ? ",ok" : ",failed";
  std::vector<const double*> cell(kpis.names.size(), nullptr);  // a KPI given twice: its first value
  for (const auto& [name, value] : r.kpis) {
    const double*& c = cell[kpis.column_of.at(name)];
    if (c == nullptr) c = &value;
  }
  for (const double* c : cell) {
    out += ',';
    if (c != nullptr) fmt::format_to(std::back_inserter(out), "{}", *c);
  }
  out += "," + csv_field(r.error) + "\n";
}

}  // namespace

std::string format_runs_csv(const SweepResults& results) {
  KpiColumns kpis;
  for (const auto& r : results.records) kpis.add(r);
  std::string out = runs_csv_header(results.spec, kpis);
  for (const auto& r : results.records) {
    const Run& run = results.table.runs[r.run];
    append_runs_csv_row(out, run, results.table.values[run.point], kpis, r);
  }
  return out;
}

SweepDirectory open_sweep_directory(const std::filesystem::path& dir, bool with_series, std::size_t memory_runs) {
  if (!std::filesystem::is_directory(dir)) throw std::runtime_error(dir.string() + ": not a directory");
  const auto spec_file = dir / "sweep.yaml";
  if (!std::filesystem::exists(spec_file)) {
    throw std::runtime_error(spec_file.string() + " is missing: not a sweep directory (made by `aidcsim sweep SPEC -o DIR`)");
  }
  SweepSpec spec = load_sweep_file(spec_file);
  DesignStream design(spec);
  RecordIndex index(dir, design.runs(), with_series, "", memory_runs);
  return SweepDirectory{std::move(spec), std::move(design), std::move(index)};
}

std::size_t pending_runs(const SweepDirectory& sweep) { return sweep.design.runs() - sweep.index.recorded(); }

std::string format_status(SweepDirectory& sweep, std::size_t max_errors) {
  std::string errors;
  std::size_t failed = 0;
  const std::size_t total = sweep.design.runs();
  for (std::size_t run = 0; run < total && failed < max_errors && failed < sweep.index.failed(); ++run) {
    if (!sweep.index.is_recorded(run)) continue;
    const RunRecord r = sweep.index.read(run);
    if (!r.ok) errors += fmt::format("  run {}: {}\n", r.run, r.error), ++failed;
  }
  failed = sweep.index.failed();
  const std::size_t pending = pending_runs(sweep);
  std::string out = fmt::format("{} runs ({} design, {} points × {} replications): {} done, {} failed, {} pending\n", total,
                                design_name(sweep.spec.design), sweep.design.points(), sweep.spec.replications,
                                sweep.index.recorded() - failed, failed, pending);
  if (pending > 0 && pending <= 20) {
    std::vector<std::size_t> missing;
    for (std::size_t i = 0; i < total; ++i) {
      if (!sweep.index.is_recorded(i)) missing.push_back(i);
    }
    out += "pending runs: " + format_ranges(missing) + "\n";
  }
  if (failed > 0) out += "failures" + std::string(failed > max_errors ? " (first " + std::to_string(max_errors) + ")" : "") + ":\n" + errors;
  return out;
}

std::size_t write_runs_csv(SweepDirectory& sweep, const TextSink& sink) {
  KpiColumns kpis;
  const std::size_t total = sweep.design.runs();
  for (std::size_t run = 0; run < total; ++run) {
    if (run % 1024 == 0) throw_if_interrupted("reading the KPIs of the runs");
    if (sweep.index.is_recorded(run)) kpis.add(sweep.index.read(run));
  }
  sink(runs_csv_header(sweep.spec, kpis));
  std::string row;
  std::size_t rows = 0;
  for (std::size_t run = 0; run < total; ++run) {
    if (!sweep.index.is_recorded(run)) continue;
    row.clear();
    const Run r = sweep.design.run(run);
    append_runs_csv_row(row, r, sweep.design.values(r.point), kpis, sweep.index.read(run));
    sink(row);
    ++rows;
  }
  return rows;
}

void write_series_csv(SweepDirectory& sweep, const TextSink& sink) {
  sink(series_header);
  std::string series;
  for (std::size_t run = 0; run < sweep.design.runs(); ++run) {
    series.clear();
    sweep.index.append_series(run, series);
    if (!series.empty()) sink(series);
  }
}

std::string format_series_csv(const SweepResults& results) {
  std::string out = series_header;
  for (const auto& r : results.records) out += r.series;
  return out;
}

}  // namespace aidc::sweep
