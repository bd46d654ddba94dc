#include "aidc/calibrate/target.hpp"

#include "aidc/text/csv.hpp"
#include "aidc/text/limits.hpp"
#include "aidc/text/number.hpp"
#include "aidc/text/text_file.hpp"

#include <algorithm>
#include <limits>
#include <sstream>

namespace aidc {

namespace {

// The cells of one line, trimmed of spaces, with the column each starts at; nullopt and `problem`
// for malformed quoting.
std::optional<std::vector<std::string>> split_cells(const std::string& line, std::vector<int>& columns,
                                                    CsvProblem& problem) {
  auto fields = split_csv_line(line, problem);
  if (!fields) return std::nullopt;
  std::vector<std::string> cells;
  columns.clear();
  for (const auto& f : *fields) {
    const auto b = f.text.find_first_not_of(" \t\r");
    const auto e = f.text.find_last_not_of(" \t\r");
    cells.push_back(b == std::string::npos ? "" : f.text.substr(b, e - b + 1));
    columns.push_back(f.column);
  }
  return cells;
}

bool parse_double(const std::string& s, double& out) {
  const auto v = parse_number(s);
  if (v) out = *v;
  return v.has_value();
}

// A tolerance: a share (`0.1`) or a percentage (`10%`), finite and ≥ 0.
bool parse_tolerance(const std::string& s, double& out) {
  const bool percent = !s.empty() && s.back() == '%';
  const auto v = parse_number(percent ? std::string_view(s).substr(0, s.size() - 1) : std::string_view(s));
  if (!v || *v < 0.0) return false;
  out = percent ? *v / 100.0 : *v;
  return true;
}

std::vector<std::string> names_of_metrics() {
  std::vector<std::string> names;
  for (std::size_t m = 0; m < metric_count; ++m) names.emplace_back(metric_name(static_cast<Metric>(m)));
  return names;
}

}  // namespace

std::vector<Target> parse_targets_csv(const std::string& text, const std::string& source) {
  Diagnostics diags;
  std::vector<Target> targets;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  bool header_seen = false;
  const std::vector<std::string> expected = {"quarter", "entity_kind", "entity", "metric", "value", "weight", "tolerance"};
  const std::vector<std::string> kinds(entity_kind_names.begin(), entity_kind_names.end());
  const std::vector<std::string> metrics = names_of_metrics();
  std::vector<int> col;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line.rfind('#', 0) == 0) continue;
    CsvProblem problem;
    const auto split = split_cells(line, col, problem);
    if (!split) {
      diags.error({source, line_no, problem.column}, "", problem.message);
      continue;
    }
    const auto& cells = *split;
    auto at = [&](std::size_t i) { return SourceLocation{source, line_no, i < col.size() ? col[i] : 1}; };
    if (!header_seen) {
      header_seen = true;
      const bool ok = cells.size() >= 5 && cells.size() <= 7 && std::equal(cells.begin(), cells.end(), expected.begin());
      if (!ok) {
        diags.error(at(0), "",
                    "the header must be 'quarter,entity_kind,entity,metric,value' (optionally ',weight' or "
                    "',weight,tolerance')");
        break;
      }
      continue;
    }
    if (cells.size() < 5 || cells.size() > 7) {
      diags.error(at(0), "",
                  "expected 5 to 7 comma-separated cells (quarter,entity_kind,entity,metric,value[,weight[,tolerance]]), "
                  "found " + std::to_string(cells.size()));
      continue;
    }
    Target t;
    t.where = at(0);
    bool ok = true;
    if (const auto q = Quarter::parse(cells[0])) {
      t.quarter = *q;
    } else {
      diags.error(at(0), "quarter", "'" + cells[0] + "' is not a quarter; expected e.g. 2024Q3");
      ok = false;
    }
    const auto kind = std::find(kinds.begin(), kinds.end(), cells[1]);
    if (kind == kinds.end()) {
      const auto near = closest_name(cells[1], kinds);
      diags.error(at(1), "entity_kind",
                  "unknown entity kind '" + cells[1] + "'" + (near ? " (did you mean '" + *near + "'?)" : " (known: global, bloc, region, agent, vendor)"));
      ok = false;
    } else {
      t.entity_kind = static_cast<EntityKind>(kind - kinds.begin());
    }
    t.entity = cells[2];
    const auto metric = std::find(metrics.begin(), metrics.end(), cells[3]);
    if (metric == metrics.end()) {
      const auto near = closest_name(cells[3], metrics);
      diags.error(at(3), "metric",
                  "unknown metric '" + cells[3] + "'" + (near ? " (did you mean '" + *near + "'?)" : " (see docs/model.md)"));
      ok = false;
    } else {
      t.metric = static_cast<Metric>(metric - metrics.begin());
    }
    if (!parse_double(cells[4], t.value)) {
      diags.error(at(4), "value", "'" + cells[4] + "' is not a number");
      ok = false;
    } else if (t.value == 0.0) {
      diags.error(at(4), "value", "a target of 0 has no relative error; expected a non-zero value");
      ok = false;
    }
    if (cells.size() >= 6 && !cells[5].empty() && (!parse_double(cells[5], t.weight) || t.weight < 0.0)) {
      diags.error(at(5), "weight", "'" + cells[5] + "' is not a weight; expected a number ≥ 0");
      ok = false;
    }
    if (cells.size() == 7 && !cells[6].empty() && !parse_tolerance(cells[6], t.tolerance)) {
      diags.error(at(6), "tolerance", "'" + cells[6] + "' is not a tolerance; expected a share ≥ 0 of the value, e.g. 0.1 or 10%");
      ok = false;
    }
    if (ok) targets.push_back(std::move(t));
  }
  if (!header_seen) diags.error({source, 1, 1}, "", "the file is empty; expected a header and at least one target");
  else if (targets.empty() && !diags.has_errors()) diags.error({source, line_no, 1}, "", "no targets after the header");
  if (diags.has_errors()) throw ScenarioError(diags.all());
  return targets;
}

std::vector<Target> read_targets_csv(const std::filesystem::path& path) {
  std::string problem;
  auto text = read_text_file(path, limits::max_text_bytes, {"a targets CSV file", "targets files"}, problem);
  if (!text) throw_scenario_error({path.string(), 0, 0}, "", "cannot read the targets file: " + problem);
  return parse_targets_csv(*text, path.string());
}

std::vector<double> target_values(const RunResult& run, const std::vector<Target>& targets) {
  std::vector<double> out;
  out.reserve(targets.size());
  Diagnostics missing;
  for (const auto& t : targets) {
    const auto v = run.recorder.value(t.quarter, t.entity_kind, t.entity, t.metric);
    if (!v) {
      missing.error(t.where, "", "the run has no series " +
                                     std::string(entity_kind_names[static_cast<std::size_t>(t.entity_kind)]) + "/" +
                                     t.entity + "/" + std::string(metric_name(t.metric)) + " in " + t.quarter.str() +
                                     "; expected an entity of the scenario and a quarter it runs");
    }
    out.push_back(v.value_or(std::numeric_limits<double>::quiet_NaN()));
  }
  if (missing.has_errors()) throw ScenarioError(missing.all());
  return out;
}

}  // namespace aidc
