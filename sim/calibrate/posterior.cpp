#include "aidc/calibrate/posterior.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "aidc/text/csv.hpp"
#include "aidc/text/limits.hpp"
#include "aidc/text/number.hpp"
#include "aidc/text/text_file.hpp"

namespace aidc {

std::vector<std::string> PosteriorSample::overrides(std::size_t r) const {
  std::vector<std::string> out;
  out.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) out.push_back(paths[i] + "=" + fmt::format("{}", rows[r][i]));
  return out;
}

PosteriorSample parse_posterior_csv(const std::string& text, const std::string& source) {
  Diagnostics diags;
  PosteriorSample s;
  s.source = source;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  bool header_seen = false;
  std::vector<bool> is_path;  // per column: a key path, or the implausibility
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line.rfind('#', 0) == 0) continue;
    CsvProblem problem;
    const auto fields = split_csv_line(line, problem);
    if (!fields) {
      diags.error({source, line_no, problem.column}, "", problem.message);
      if (!header_seen) break;
      continue;
    }
    std::vector<std::string> cells;
    for (const auto& f : *fields) {
      const auto b = f.text.find_first_not_of(" \t");
      const auto e = f.text.find_last_not_of(" \t");
      cells.push_back(b == std::string::npos ? "" : f.text.substr(b, e - b + 1));
    }
    if (!header_seen) {
      header_seen = true;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const SourceLocation at{source, line_no, (*fields)[c].column};
        if (cells[c].empty()) {
          diags.error(at, "", "an empty column name; expected a key path such as demand[us].base");
        } else if (std::find(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(c), cells[c]) !=
                   cells.begin() + static_cast<std::ptrdiff_t>(c)) {
          diags.error(at, cells[c], "the column is repeated; expected each key path once");
        }
        const bool path = cells[c] != "implausibility";
        is_path.push_back(path);
        if (path) {
          s.paths.push_back(cells[c]);
          s.path_columns.push_back((*fields)[c].column);
        }
      }
      if (s.paths.empty()) {
        diags.error({source, line_no, 1}, "",
                    "no parameter column; expected a header of key paths (and optionally implausibility), as "
                    "`calibrate --method abc` writes");
      }
      if (diags.has_errors()) break;
      continue;
    }
    if (cells.size() != is_path.size()) {
      diags.error(
          {source, line_no, 1}, "",
          fmt::format("expected {} comma-separated cells as in the header, found {}", is_path.size(), cells.size()));
      continue;
    }
    std::vector<double> row;
    bool ok = true;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const auto v = parse_number(cells[c]);
      const bool infinite = !is_path[c] && cells[c] == "inf";
      if (!v && !infinite) {
        diags.error({source, line_no, (*fields)[c].column}, is_path[c] ? s.paths[row.size()] : "implausibility",
                    "'" + cells[c] + "' is not a number");
        ok = false;
      }
      if (is_path[c]) row.push_back(v.value_or(0.0));
    }
    if (ok) {
      if (s.rows.size() == max_ensemble_seeds) {
        diags.error({source, line_no, 1}, "",
                    fmt::format("more than {} parameter sets; expected at most that many", max_ensemble_seeds));
        break;
      }
      s.rows.push_back(std::move(row));
      s.lines.push_back(line_no);
    }
  }
  if (!header_seen) {
    diags.error({source, 1, 1}, "", "the file is empty; expected a header of key paths and at least one parameter set");
  } else if (s.rows.empty() && !diags.has_errors()) {
    diags.error({source, line_no, 1}, "", "no parameter set after the header; expected at least one row");
  }
  if (diags.has_errors()) throw ScenarioError(diags.all());
  return s;
}

PosteriorSample read_posterior_csv(const std::filesystem::path& path) {
  std::string problem;
  auto text = read_text_file(path, limits::max_text_bytes, {"a posterior CSV file", "posterior files"}, problem);
  if (!text) throw_scenario_error({path.string(), 0, 0}, "", "cannot read the posterior file: " + problem);
  return parse_posterior_csv(*text, path.string());
}

std::vector<ScenarioSpec> posterior_scenarios(const ScenarioTemplate& base, const std::vector<std::string>& overrides,
                                              const PosteriorSample& sample) {
  Diagnostics diags;
  for (std::size_t i = 0; i < sample.paths.size(); ++i) {
    try {
      (void)base.resolve_key_paths(sample.paths[i], {sample.source, 1, sample.path_columns[i]});
    } catch (const ScenarioError& e) {
      for (const auto& d : e.diagnostics()) diags.error(d.where, d.key_path, d.message);
    }
  }
  if (diags.has_errors()) throw ScenarioError(diags.all());
  std::vector<ScenarioSpec> specs;
  specs.reserve(sample.rows.size());
  for (std::size_t r = 0; r < sample.rows.size(); ++r) {
    std::vector<std::string> all = overrides;
    const auto row = sample.overrides(r);
    all.insert(all.end(), row.begin(), row.end());
    try {
      specs.push_back(base.instantiate(all, false));
    } catch (const ScenarioError& e) {
      // The scenario's message, told at the row of the file that gave the value.
      for (const auto& d : e.diagnostics()) {
        if (d.severity != Diagnostic::Severity::error) continue;
        std::size_t column = 0;
        for (std::size_t i = 0; i < sample.paths.size(); ++i) {
          if (d.key_path == sample.paths[i] || d.str().find(sample.paths[i]) != std::string::npos) column = i;
        }
        diags.error({sample.source, sample.lines[r], sample.path_columns[column]},
                    d.key_path.empty() ? sample.paths[column] : d.key_path,
                    d.message + " (the scenario refuses this row's value)");
      }
    }
  }
  if (diags.has_errors()) throw ScenarioError(diags.all());
  return specs;
}

EnsembleResult run_posterior_ensemble(const std::vector<ScenarioSpec>& specs, std::uint64_t base_seed, std::size_t jobs,
                                      const std::function<void(std::size_t, std::size_t)>& progress) {
  EnsembleOptions options;
  for (std::size_t i = 0; i < specs.size(); ++i) options.seeds.push_back(base_seed + i);
  options.jobs = jobs;
  options.progress = progress;
  return run_ensemble(specs, options);
}

}  // namespace aidc
