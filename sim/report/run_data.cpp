#include "aidc/report/run_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <sstream>
#include <unordered_set>

#include "aidc/output/run_files.hpp"
#include "aidc/text/csv.hpp"
#include "aidc/text/lines.hpp"
#include "aidc/text/text_file.hpp"
#include "aidc/report/json_reader.hpp"
#include "aidc/report/read_error.hpp"
#include "aidc/scenario/limits.hpp"

namespace aidc {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string read_whole_file(const std::filesystem::path& path) {
  const std::string expected = "the output of `aidcsim run` in " + path.parent_path().string();
  std::string problem;
  auto text = read_text_file(path, std::numeric_limits<std::size_t>::max(), {expected, "run files"}, problem);
  if (!text) throw ReadError(path.string() + ": " + problem);
  return std::move(*text);
}

// One line of a CSV file as fields, or a ReadError at its place.
std::vector<CsvField> csv_fields(std::string_view line, const std::string& where, int line_no) {
  CsvProblem problem;
  auto fields = split_csv_line(line, problem);
  if (!fields) throw ReadError(fmt::format("{}:{}:{}: {}", where, line_no, problem.column, problem.message));
  return std::move(*fields);
}

std::string known_kinds() {
  std::string out;
  for (const auto k : entity_kind_names) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

// A CSV field that must be a decimal number, or a ReadError at its place.
double number_field(const CsvField& f, const std::string& where, int line_no, std::string_view what) {
  const std::string& v = f.text;
  char* stop = nullptr;
  errno = 0;
  const double value = v.empty() ? 0.0 : std::strtod(v.c_str(), &stop);
  if (v.empty() || stop != v.c_str() + v.size() || errno == ERANGE) {
    throw ReadError(fmt::format("{}:{}:{}: {} '{}' is not a number; expected a decimal number", where, line_no,
                                f.column, what, v));
  }
  return value;
}

void read_timeseries(RunData& run, const std::filesystem::path& path) {
  const std::string text = read_whole_file(path);
  const std::string where = path.string();
  constexpr std::string_view header = "quarter,entity_kind,entity,metric,value";
  struct Row {
    std::int32_t quarter;
    std::string key;
    double value;
  };
  std::vector<Row> rows;
  std::vector<std::unordered_set<std::string>> seen(entity_kind_names.size());  // names_by_kind, hashed
  std::int32_t first = std::numeric_limits<std::int32_t>::max(), last = std::numeric_limits<std::int32_t>::min();
  std::int32_t previous = std::numeric_limits<std::int32_t>::min();
  LineReader lines(text);
  while (lines.next()) {
    std::string_view line = lines.line();
    const int line_no = lines.number();
    const bool complete = lines.complete();
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1) {
      if (line != header) throw ReadError(fmt::format("{}:1:1: the header is '{}'; expected '{}'", where, line, header));
      continue;
    }
    if (line.empty()) {
      if (lines.at_end()) break;
      throw ReadError(fmt::format("{}:{}:1: empty line; expected {}", where, line_no, header));
    }
    if (!complete) {
      throw ReadError(fmt::format("{}:{}:{}: the last line has no line end; expected a file written whole",
                                  where, line_no, line.size() + 1));
    }
    const auto f = csv_fields(line, where, line_no);
    if (f.size() != 5) {
      throw ReadError(fmt::format("{}:{}:1: {} fields; expected 5 ({})", where, line_no, f.size(), header));
    }
    const auto q = Quarter::parse(f[0].text);
    if (!q) {
      throw ReadError(fmt::format("{}:{}:{}: quarter '{}' is not a quarter; expected e.g. 2025Q3", where, line_no,
                                  f[0].column, f[0].text));
    }
    if (q->index() < previous) {
      throw ReadError(fmt::format("{}:{}:{}: quarter {} comes after {}; expected quarters in order", where, line_no,
                                  f[0].column, f[0].text, Quarter::from_index(previous).str()));
    }
    previous = q->index();
    if (first != std::numeric_limits<std::int32_t>::max() && q->index() - first >= limits::max_horizon_quarters) {
      throw ReadError(fmt::format("{}:{}:{}: quarter {} is {} quarters after the first, {}; expected at most {} "
                                  "quarters, the longest run",
                                  where, line_no, f[0].column, f[0].text, q->index() - first,
                                  Quarter::from_index(first).str(), limits::max_horizon_quarters));
    }
    const auto kind = parse_entity_kind(f[1].text);
    if (!kind) {
      throw ReadError(fmt::format("{}:{}:{}: unknown entity_kind '{}'; expected one of {}", where, line_no,
                                  f[1].column, f[1].text, known_kinds()));
    }
    if (f[2].text.empty()) throw ReadError(fmt::format("{}:{}:{}: empty entity; expected a name", where, line_no, f[2].column));
    if (f[3].text.empty()) throw ReadError(fmt::format("{}:{}:{}: empty metric; expected a name", where, line_no, f[3].column));
    const double value = number_field(f[4], where, line_no, "value");
    if (seen[static_cast<std::size_t>(*kind)].insert(f[2].text).second) {
      run.names_by_kind[static_cast<std::size_t>(*kind)].push_back(f[2].text);
    }
    rows.push_back({q->index(), series_key(*kind, f[2].text, f[3].text), value});
    first = std::min(first, q->index());
    last = std::max(last, q->index());
  }
  if (rows.empty()) throw ReadError(fmt::format("{}: no data rows; expected a run's time series", where));
  run.first = Quarter::from_index(first);
  for (std::int32_t q = first; q <= last; ++q) run.quarters.push_back(Quarter::from_index(q));
  const std::size_t n = run.quarters.size();
  for (const Row& r : rows) {
    auto [it, inserted] = run.series_by_key.try_emplace(r.key);
    if (inserted) it->second.assign(n, nan);
    it->second[static_cast<std::size_t>(r.quarter - first)] = r.value;
  }
}

const JsonValue& member(const JsonValue& obj, std::string_view key, JsonValue::Type type, const std::string& where) {
  const JsonValue* v = obj.find(key);
  if (v == nullptr) {
    throw ReadError(fmt::format("{}:{}:{}: missing key '{}'; expected {}", where, obj.line, obj.column, key,
                                JsonValue::type_name(type)));
  }
  if (v->type != type) {
    throw ReadError(fmt::format("{}:{}:{}: '{}' is {}; expected {}", where, v->line, v->column, key,
                                JsonValue::type_name(v->type), JsonValue::type_name(type)));
  }
  return *v;
}

std::string optional_string(const JsonValue& obj, std::string_view key) {
  const JsonValue* v = obj.find(key);
  return v != nullptr && v->type == JsonValue::Type::string ? v->string : std::string();
}

void read_events(RunData& run, const std::filesystem::path& path) {
  const std::string text = read_whole_file(path);
  const std::string where = path.string();
  LineReader lines(text);
  while (lines.next()) {
    const std::string_view line = lines.line();
    const int line_no = lines.number();
    const bool complete = lines.complete();
    if (line.empty() || line == "\r") continue;
    if (!complete) {
      throw ReadError(fmt::format("{}:{}:{}: the last line has no line end; expected a file written whole", where,
                                  line_no, line.size() + 1));
    }
    const JsonValue e = parse_json(line, where, line_no);
    if (e.type != JsonValue::Type::object) {
      throw ReadError(fmt::format("{}:{}:1: a line is {}; expected an object", where, line_no,
                                  JsonValue::type_name(e.type)));
    }
    RunEvent ev;
    const JsonValue& q = member(e, "quarter", JsonValue::Type::string, where);
    const auto quarter = Quarter::parse(q.string);
    if (!quarter) {
      throw ReadError(fmt::format("{}:{}:{}: quarter '{}' is not a quarter; expected e.g. 2025Q3", where, q.line,
                                  q.column, q.string));
    }
    ev.quarter = *quarter;
    const JsonValue& k = member(e, "entity_kind", JsonValue::Type::string, where);
    const auto kind = parse_entity_kind(k.string);
    if (!kind) {
      throw ReadError(fmt::format("{}:{}:{}: unknown entity_kind '{}'; expected one of {}", where, k.line, k.column,
                                  k.string, known_kinds()));
    }
    ev.entity_kind = *kind;
    ev.entity = member(e, "entity", JsonValue::Type::string, where).string;
    ev.kind = member(e, "kind", JsonValue::Type::string, where).string;
    ev.cause = member(e, "cause", JsonValue::Type::string, where).string;
    const JsonValue& figures = member(e, "figures", JsonValue::Type::object, where);
    for (std::size_t i = 0; i < figures.keys.size(); ++i) {
      const JsonValue& v = figures.items[i];
      if (v.type != JsonValue::Type::number && v.type != JsonValue::Type::null) {
        throw ReadError(fmt::format("{}:{}:{}: figure '{}' is {}; expected a number", where, v.line, v.column,
                                    figures.keys[i], JsonValue::type_name(v.type)));
      }
      ev.figures.emplace_back(figures.keys[i], v.type == JsonValue::Type::number ? v.number : nan);
    }
    run.events.push_back(std::move(ev));
  }
}

// The rows of a CSV file after its header, which must be `header`: each row as fields (with its
// line number), checked to have as many fields as the header.
template <class Row>
void read_csv_rows(const std::filesystem::path& path, std::string_view header, bool header_prefix_only, Row row) {
  const std::string text = read_whole_file(path);
  const std::string where = path.string();
  std::size_t columns = 0;
  bool any = false;
  LineReader lines(text);
  while (lines.next()) {
    std::string_view line = lines.line();
    const int line_no = lines.number();
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1) {
      const bool ok = header_prefix_only ? line.substr(0, header.size()) == header : line == header;
      if (!ok) throw ReadError(fmt::format("{}:1:1: the header is '{}'; expected '{}'", where, line, header));
      columns = csv_fields(line, where, 1).size();
      row(csv_fields(line, where, 1), line_no, true);
      continue;
    }
    if (line.empty()) {
      if (lines.at_end()) break;
      throw ReadError(fmt::format("{}:{}:1: empty line; expected {}", where, line_no, header));
    }
    if (!lines.complete()) {
      throw ReadError(fmt::format("{}:{}:{}: the last line has no line end; expected a file written whole",
                                  where, line_no, line.size() + 1));
    }
    const auto f = csv_fields(line, where, line_no);
    if (f.size() != columns) {
      throw ReadError(fmt::format("{}:{}:1: {} fields; expected {}", where, line_no, f.size(), columns));
    }
    any = true;
    row(f, line_no, false);
  }
  if (!any) throw ReadError(fmt::format("{}: no data rows; expected an ensemble's {}", where, path.filename().string()));
}

// ensemble.csv: the quantiles of each value, in quarters of timeseries.csv.
void read_ensemble(RunData& run, const std::filesystem::path& path) {
  const std::string where = path.string();
  const std::size_t n = run.quarters.size();
  read_csv_rows(path, "quarter,entity_kind,entity,metric,p05,p25,p50,p75,p95", false,
                [&](const std::vector<CsvField>& f, int line_no, bool header) {
    if (header) return;
    const auto q = Quarter::parse(f[0].text);
    const auto i = q ? run.index_of(*q) : std::nullopt;
    if (!i) {
      throw ReadError(fmt::format("{}:{}:{}: quarter '{}' is not a quarter of timeseries.csv; expected {}..{}", where,
                                  line_no, f[0].column, f[0].text, run.quarters.front().str(), run.quarters.back().str()));
    }
    const auto kind = parse_entity_kind(f[1].text);
    if (!kind) {
      throw ReadError(fmt::format("{}:{}:{}: unknown entity_kind '{}'; expected one of {}", where, line_no,
                                  f[1].column, f[1].text, known_kinds()));
    }
    auto [it, inserted] = run.quantiles_by_key.try_emplace(series_key(*kind, f[2].text, f[3].text));
    if (inserted) {
      for (auto& v : it->second) v.assign(n, nan);
    }
    for (std::size_t k = 0; k < 5; ++k) it->second[k][*i] = number_field(f[4 + k], where, line_no, "value");
  });
}

// seeds.csv: the key figures of each seed.
void read_seeds(RunData& run, const std::filesystem::path& path) {
  const std::string where = path.string();
  read_csv_rows(path, "seed,", true, [&](const std::vector<CsvField>& f, int line_no, bool header) {
    if (header) {
      for (std::size_t c = 1; c < f.size(); ++c) run.seed_figures.emplace_back(f[c].text, std::vector<double>());
      return;
    }
    if (f[0].text.empty() || f[0].text.find_first_not_of("0123456789") != std::string::npos) {
      throw ReadError(fmt::format("{}:{}:{}: seed '{}' is not a whole number; expected a seed", where, line_no,
                                  f[0].column, f[0].text));
    }
    run.seeds.push_back(f[0].text);
    for (std::size_t c = 1; c < f.size(); ++c) run.seed_figures[c - 1].second.push_back(number_field(f[c], where, line_no, "value"));
  });
}

// run.json's "outputs": the files written next to it.
std::vector<std::string> listed_outputs(const std::filesystem::path& path) {
  const JsonValue doc = parse_json(read_whole_file(path), path.string());
  std::vector<std::string> out;
  if (const JsonValue* list = doc.find("outputs"); list != nullptr && list->type == JsonValue::Type::array) {
    for (const auto& item : list->items) {
      if (item.type == JsonValue::Type::string) out.push_back(item.string);
    }
  }
  return out;
}

void read_run_json(RunData& run, const std::filesystem::path& path) {
  const std::string text = read_whole_file(path);
  const std::string where = path.string();
  const JsonValue doc = parse_json(text, where);
  if (doc.type != JsonValue::Type::object) {
    throw ReadError(fmt::format("{}:{}:{}: the document is {}; expected an object", where, doc.line, doc.column,
                                JsonValue::type_name(doc.type)));
  }
  const JsonValue& scenario = member(doc, "scenario", JsonValue::Type::object, where);
  run.scenario_name = member(scenario, "name", JsonValue::Type::string, where).string;
  run.scenario_description = optional_string(scenario, "description");
  run.scenario_source = optional_string(scenario, "source");
  run.scenario_hash = optional_string(scenario, "hash");
  if (const JsonValue* o = scenario.find("overrides"); o != nullptr && o->type == JsonValue::Type::array) {
    for (const auto& item : o->items) {
      if (item.type == JsonValue::Type::string) run.overrides.push_back(item.string);
    }
  }
  const JsonValue& seed = member(doc, "seed", JsonValue::Type::number, where);
  run.seed = seed.string;  // as written: a double would round seeds above 2^53
  run.version = optional_string(doc, "aidcsim_version");
  run.build_type = optional_string(doc, "build_type");
  if (const JsonValue* list = doc.find("entities"); list != nullptr && list->type == JsonValue::Type::array) {
    for (const auto& item : list->items) {
      if (item.type != JsonValue::Type::object) continue;
      const auto kind = parse_entity_kind(optional_string(item, "kind"));
      if (!kind) continue;
      run.entities.push_back({*kind, optional_string(item, "name"), optional_string(item, "bloc"),
                              optional_string(item, "role")});
    }
  }
}

}  // namespace

double RunEvent::figure(std::string_view name) const noexcept {
  for (const auto& [key, value] : figures) {
    if (key == name) return std::isfinite(value) ? value : 0.0;
  }
  return 0.0;
}

std::string series_key(EntityKind kind, std::string_view entity, std::string_view metric) {
  std::string key(entity_kind_names[static_cast<std::size_t>(kind)]);
  key += '|';
  key += entity;
  key += '|';
  key += metric;
  return key;
}

std::optional<EntityKind> parse_entity_kind(std::string_view name) noexcept {
  for (std::size_t k = 0; k < entity_kind_names.size(); ++k) {
    if (entity_kind_names[k] == name) return static_cast<EntityKind>(k);
  }
  return std::nullopt;
}

const std::vector<double>* RunData::series(EntityKind kind, std::string_view entity, std::string_view metric) const {
  const auto it = series_by_key.find(series_key(kind, entity, metric));
  return it == series_by_key.end() ? nullptr : &it->second;
}

double RunData::value(EntityKind kind, std::string_view entity, std::string_view metric, Quarter q) const {
  const auto* s = series(kind, entity, metric);
  const auto i = index_of(q);
  return s != nullptr && i ? (*s)[*i] : nan;
}

const std::vector<std::string>& RunData::entities_of(EntityKind kind) const {
  return names_by_kind[static_cast<std::size_t>(kind)];
}

std::string RunData::bloc_of(EntityKind kind, std::string_view name) const {
  for (const auto& e : entities) {
    if (e.kind == kind && e.name == name) return e.bloc;
  }
  return {};
}

const std::array<std::vector<double>, 5>* RunData::quantiles(EntityKind kind, std::string_view entity,
                                                             std::string_view metric) const {
  const auto it = quantiles_by_key.find(series_key(kind, entity, metric));
  return it == quantiles_by_key.end() ? nullptr : &it->second;
}

const std::vector<double>* RunData::seed_figure(std::string_view name) const {
  for (const auto& [n, values] : seed_figures) {
    if (n == name) return &values;
  }
  return nullptr;
}

std::optional<std::size_t> RunData::index_of(Quarter q) const {
  if (quarters.empty() || q < first || q > quarters.back()) return std::nullopt;
  return static_cast<std::size_t>(q - first);
}

RunData read_run_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    throw ReadError(dir.string() + ": no such directory; expected the output directory of `aidcsim run`");
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    throw ReadError(dir.string() + ": is not a directory; expected the output directory of `aidcsim run`");
  }
  RunData run;
  run.dir = dir;
  read_run_json(run, dir / run_files::run_json);
  read_timeseries(run, dir / run_files::timeseries_csv);
  read_events(run, dir / run_files::events_jsonl);
  const auto outputs = listed_outputs(dir / run_files::run_json);
  const auto listed = [&](std::string_view name) { return std::find(outputs.begin(), outputs.end(), name) != outputs.end(); };
  // An ensemble's files count only when run.json names them: a single run written later into the
  // same directory leaves them stale.
  if (listed(run_files::ensemble_csv) && listed(run_files::seeds_csv)) {
    read_ensemble(run, dir / run_files::ensemble_csv);
    read_seeds(run, dir / run_files::seeds_csv);
  }
  return run;
}

}  // namespace aidc
