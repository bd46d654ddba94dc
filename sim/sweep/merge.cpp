#include "aidc/sweep/merge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>

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

std::string format_runs_csv(const SweepResults& results) {
  // KPI columns in the order they first appear, each found by hashing: linear in the KPIs.
  std::vector<std::string> kpis;
  std::unordered_map<std::string, std::size_t> column_of;
  for (const auto& r : results.records) {
    for (const auto& [name, value] : r.kpis) {
      if (column_of.try_emplace(name, kpis.size()).second) kpis.push_back(name);
    }
  }
  std::string out = "run,point,replication,seed";
  for (const auto& p : results.spec.parameters) out += "," + csv_field(p.path);
  out += ",status";
  for (const auto& k : kpis) out += "," + k;
  out += ",error\n";
  for (const auto& r : results.records) {
    const Run& run = results.table.runs[r.run];
    fmt::format_to(std::back_inserter(out), "{},{},{},{}", run.index, run.point, run.replication, run.seed);
    for (const auto& v : results.table.values[run.point]) out += "," + csv_field(v);
    out += r.ok ? ",ok" : ",failed";
    std::vector<const double*> cell(kpis.size(), nullptr);  // a KPI given twice: its first value
    for (const auto& [name, value] : r.kpis) {
      const double*& c = cell[column_of.at(name)];
      if (c == nullptr) c = &value;
    }
    for (const double* c : cell) {
      out += ',';
      if (c != nullptr) fmt::format_to(std::back_inserter(out), "{}", *c);
    }
    out += "," + csv_field(r.error) + "\n";
  }
  return out;
}

std::string format_series_csv(const SweepResults& results) {
  std::string out = series_header;
  for (const auto& r : results.records) out += r.series;
  return out;
}

}  // namespace aidc::sweep
