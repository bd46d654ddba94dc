// The report layer on real runs: reading a run directory back (and refusing broken ones with the
// place of the mistake), the wide tables against the tidy one, docs/outputs.md against the files
// written, key figures against the event log, and the HTML: self-contained and deterministic.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
// GCC 12 at -O2 (asan preset) warns falsely inside <regex>'s std::function states.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <set>
#include <sstream>

#include "aidc/output/atomic_file.hpp"
#include "aidc/output/events_jsonl.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/output/run_info.hpp"
#include "aidc/output/timeseries_csv.hpp"
#include "aidc/output/wide_csv.hpp"
#include "aidc/report/browser.hpp"
#include "aidc/report/chart.hpp"
#include "aidc/report/figures.hpp"
#include "aidc/report/html_report.hpp"
#include "aidc/report/json_reader.hpp"
#include "aidc/report/key_figures.hpp"
#include "aidc/report/read_error.hpp"
#include "aidc/report/run_data.hpp"
#include "aidc/report/timeline.hpp"
#include "aidc/scenario/loader.hpp"

namespace aidc {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::stringstream s(line);
  std::string item;
  while (std::getline(s, item, sep)) out.push_back(item);
  return out;
}

// Writes the files of a run of `spec` into `dir`, as `aidcsim run` does.
void write_run(const ScenarioSpec& spec, const fs::path& dir) {
  const RunResult result = run_scenario(spec, spec.run.seed);
  RunInfo info;
  describe_scenario(info, spec);
  info.seed = spec.run.seed;
  ensure_output_directory(dir);
  write_file_atomically(dir / "timeseries.csv", format_timeseries_csv(result.recorder));
  write_file_atomically(dir / "events.jsonl", format_events_jsonl(result.events.events()));
  for (const auto& w : format_wide_csvs(result.recorder)) write_file_atomically(dir / w.file_name, w.content);
  write_file_atomically(dir / "run.json", format_run_json(info));
}

// The compact scenario's run (scenarios/compact.yaml), written once for every test of this file.
class DefaultRunFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TemporaryDirectory();
    write_run(load_scenario_file(fs::path(AIDC_SOURCE_DIR) / "scenarios" / "compact.yaml"), dir_->path() / "default");
    run_ = new RunData(read_run_directory(dir_->path() / "default"));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete dir_;
  }
  static fs::path dir() { return dir_->path() / "default"; }
  static const RunData& run() { return *run_; }
  // A copy of the run directory whose `file` is replaced by `content`.
  static fs::path broken_copy(const std::string& file, const std::string& content) {
    const fs::path copy = dir_->path() / ("broken-" + std::to_string(copies_++));
    fs::create_directories(copy);
    for (const char* f : {"timeseries.csv", "events.jsonl", "run.json"}) fs::copy_file(dir() / f, copy / f);
    std::ofstream(copy / file, std::ios::binary | std::ios::trunc) << content;
    return copy;
  }
  static std::string read_error(const fs::path& d) {
    try {
      (void)read_run_directory(d);
    } catch (const ReadError& e) {
      return e.what();
    }
    return "(no error)";
  }

 private:
  static inline TemporaryDirectory* dir_ = nullptr;
  static inline RunData* run_ = nullptr;
  static inline int copies_ = 0;
};

TEST(JsonReader, ReadsValuesAndKeepsKeyOrder) {
  const JsonValue v = parse_json(R"({"b": [1, 2.5e3, -0.5], "a": {"s": "x\"\u00e9\n", "t": true, "n": null}})", "t");
  ASSERT_EQ(v.type, JsonValue::Type::object);
  EXPECT_EQ(v.keys, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(v.find("b")->items[1].number, 2500.0);
  EXPECT_EQ(v.find("b")->items[1].string, "2.5e3");
  EXPECT_EQ(v.find("a")->find("s")->string, "x\"\xc3\xa9\n");
  EXPECT_TRUE(v.find("a")->find("t")->boolean);
  EXPECT_EQ(v.find("a")->find("n")->type, JsonValue::Type::null);
}

TEST(JsonReader, SaysWhereAndWhatWasExpected) {
  auto error = [](std::string_view text) {
    try {
      (void)parse_json(text, "f.json");
    } catch (const ReadError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(error("{\n  \"a\": 1,\n  \"b\" 2\n}"), "f.json:3:7: unexpected '2'; expected ':' after the key");
  EXPECT_EQ(error("[1, 2"), "f.json:1:6: unexpected the end of the text; expected ',' or ']'");
  EXPECT_EQ(error("{\"a\": tru}"), "f.json:1:7: unexpected 't'; expected a value (object, array, string, number, true, false or null)");
  EXPECT_EQ(error("\"abc"), "f.json:1:5: unterminated string; expected a closing '\"'");
  EXPECT_EQ(error("1 2"), "f.json:1:3: unexpected '2' after the value; expected the end");
  EXPECT_EQ(error(std::string(100, '[')), "f.json:1:66: nested deeper than 64 levels");
}

TEST_F(DefaultRunFiles, ReadsBackWhatWasWritten) {
  const RunData& r = run();
  EXPECT_EQ(r.scenario_name, "default");
  EXPECT_EQ(r.seed, "42");
  EXPECT_EQ(r.quarters.size(), 32u);
  EXPECT_EQ(r.quarters.front().str(), "2023Q1");
  EXPECT_EQ(r.entities_of(EntityKind::region), (std::vector<std::string>{"us-east", "us-texas", "china-west"}));
  EXPECT_EQ(r.bloc_of(EntityKind::region, "us-texas"), "us");
  EXPECT_EQ(r.bloc_of(EntityKind::agent, "china-icc"), "china");
  EXPECT_FALSE(r.events.empty());
  // Every row of timeseries.csv is in the series, exactly.
  std::istringstream csv(slurp(dir() / "timeseries.csv"));
  std::string line;
  std::getline(csv, line);
  std::size_t rows = 0;
  while (std::getline(csv, line)) {
    const auto f = split(line, ',');
    ASSERT_EQ(f.size(), 5u) << line;
    const double v = r.value(*parse_entity_kind(f[1]), f[2], f[3], *Quarter::parse(f[0]));
    ASSERT_EQ(v, std::stod(f[4])) << line;
    ++rows;
  }
  EXPECT_GT(rows, 10000u);
}

TEST_F(DefaultRunFiles, WideTablesHoldTheTidyValues) {
  std::map<std::string, std::string> tidy;  // "quarter|kind|entity|metric" → value text
  std::istringstream csv(slurp(dir() / "timeseries.csv"));
  std::string line;
  std::getline(csv, line);
  while (std::getline(csv, line)) {
    const auto f = split(line, ',');
    tidy[f[0] + "|" + f[1] + "|" + f[2] + "|" + f[3]] = f[4];
  }
  std::size_t cells = 0;
  for (const auto& [file, kind] : std::vector<std::pair<std::string, std::string>>{
           {"global.csv", "global"}, {"blocs.csv", "bloc"}, {"regions.csv", "region"}, {"agents.csv", "agent"},
           {"vendors.csv", "vendor"}}) {
    std::istringstream wide(slurp(dir() / file));
    std::getline(wide, line);
    const auto header = split(line, ',');
    ASSERT_GE(header.size(), 3u) << file;
    EXPECT_EQ(header[0], "quarter");
    EXPECT_EQ(header[1], "entity");
    std::size_t rows = 0;
    while (std::getline(wide, line)) {
      const auto f = split(line, ',');
      ASSERT_EQ(f.size(), header.size()) << file << ": " << line;
      for (std::size_t c = 2; c < f.size(); ++c) {
        const auto it = tidy.find(f[0] + "|" + kind + "|" + f[1] + "|" + header[c]);
        ASSERT_NE(it, tidy.end()) << file << ": " << f[0] << " " << f[1] << " " << header[c];
        EXPECT_EQ(f[c], it->second);
        tidy.erase(it);
        ++cells;
      }
      ++rows;
    }
    EXPECT_EQ(rows % 32, 0u) << file;
  }
  EXPECT_TRUE(tidy.empty()) << tidy.size() << " tidy values are in no wide table, e.g. " << tidy.begin()->first;
  EXPECT_GT(cells, 10000u);
}

// docs/outputs.md lists, for each wide table, its header line, and a dictionary of every metric
// with the kinds that record it: both must match what a run writes.
TEST_F(DefaultRunFiles, OutputsDocMatchesTheFilesWritten) {
  const std::string doc = slurp(fs::path(AIDC_SOURCE_DIR) / "docs" / "outputs.md");
  ASSERT_FALSE(doc.empty());
  std::map<std::string, std::set<std::string>> kinds_written;  // metric → kinds
  const std::map<std::string, std::string> files = {{"global.csv", "global"}, {"blocs.csv", "bloc"},
                                                    {"regions.csv", "region"}, {"agents.csv", "agent"},
                                                    {"vendors.csv", "vendor"}};
  for (const auto& [file, kind] : files) {
    std::istringstream in(slurp(dir() / file));
    std::string header;
    std::getline(in, header);
    const std::string section = "### " + file + "\n";
    const auto at = doc.find(section);
    ASSERT_NE(at, std::string::npos) << "docs/outputs.md has no section " << section;
    const auto fence = doc.find("```\n", at);
    const auto end = doc.find("\n```", fence + 4);
    EXPECT_EQ(doc.substr(fence + 4, end - fence - 4), header) << "docs/outputs.md: the columns of " << file;
    for (const auto& m : split(header, ',')) {
      if (m != "quarter" && m != "entity") kinds_written[m].insert(kind);
    }
  }
  // The tidy table's header and metric names.
  std::istringstream tidy(slurp(dir() / "timeseries.csv"));
  std::string line;
  std::getline(tidy, line);
  EXPECT_NE(doc.find("| `" + split(line, ',')[0] + "` |"), std::string::npos);
  for (const auto& column : split(line, ',')) {
    EXPECT_NE(doc.find("| `" + column + "` |"), std::string::npos) << "timeseries.csv column " << column;
  }
  std::map<std::string, std::set<std::string>> kinds_documented;
  const std::regex row(R"(\| `([a-z0-9_]+)` \| [^|]+ \| ([a-z, ]+) \| [^\n]+\|)");
  const auto dict = doc.find("## Metric dictionary");
  ASSERT_NE(dict, std::string::npos);
  const std::string table = doc.substr(dict, doc.find("\n## ", dict + 1) - dict);
  for (std::sregex_iterator it(table.begin(), table.end(), row), end; it != end; ++it) {
    for (auto k : split((*it)[2].str(), ',')) {
      k.erase(0, k.find_first_not_of(' '));
      kinds_documented[(*it)[1].str()].insert(k);
    }
  }
  EXPECT_EQ(kinds_documented, kinds_written);
}

TEST_F(DefaultRunFiles, BrokenFilesAreRefusedWithTheirPlace) {
  EXPECT_EQ(read_error(dir() / "nowhere"),
            (dir() / "nowhere").string() + ": no such directory; expected the output directory of `aidcsim run`");
  {
    const fs::path d = broken_copy("run.json", "{}");
    fs::remove(d / "timeseries.csv");
    // run.json is read first: its own mistake is reported.
    EXPECT_EQ(read_error(d), (d / "run.json").string() + ":1:1: missing key 'scenario'; expected an object");
  }
  {
    const fs::path d = broken_copy("timeseries.csv", "quarter,entity_kind,entity,metric,value\n");
    fs::remove(d / "timeseries.csv");
    EXPECT_EQ(read_error(d), (d / "timeseries.csv").string() + ": no such file; expected the output of `aidcsim run` in " + d.string());
  }
  const std::string header = "quarter,entity_kind,entity,metric,value\n";
  const std::string good = "2023Q1,global,world,installed_h100e,1\n";
  const fs::path bad_header = broken_copy("timeseries.csv", "quarter,kind\n");
  EXPECT_EQ(read_error(bad_header),
            (bad_header / "timeseries.csv").string() +
                ":1:1: the header is 'quarter,kind'; expected 'quarter,entity_kind,entity,metric,value'");
  auto csv_error = [&](const std::string& body) {
    const fs::path d = broken_copy("timeseries.csv", header + body);
    const std::string e = read_error(d);
    return e.substr(e.find("timeseries.csv"));
  };
  EXPECT_EQ(csv_error(good + "2023Q1,global,world,powered_h100e,abc\n"),
            "timeseries.csv:3:35: value 'abc' is not a number; expected a decimal number");
  EXPECT_EQ(csv_error(good + "2023Q5,global,world,powered_h100e,1\n"),
            "timeseries.csv:3:1: quarter '2023Q5' is not a quarter; expected e.g. 2025Q3");
  EXPECT_EQ(csv_error(good + "2023Q1,planet,mars,powered_h100e,1\n"),
            "timeseries.csv:3:8: unknown entity_kind 'planet'; expected one of global, bloc, region, agent, vendor");
  EXPECT_EQ(csv_error("2024Q1,global,world,installed_h100e,1\n" + good),
            "timeseries.csv:3:1: quarter 2023Q1 comes after 2024Q1; expected quarters in order");
  EXPECT_EQ(csv_error(good + "2023Q1,global,world\n"),
            "timeseries.csv:3:1: 3 fields; expected 5 (quarter,entity_kind,entity,metric,value)");
  // A file cut short (as a writer without atomic renames could leave it) is refused.
  EXPECT_EQ(csv_error(good + "2023Q1,global,world,powered_h1"),
            "timeseries.csv:3:31: the last line has no line end; expected a file written whole");
  auto events_error = [&](const std::string& body) {
    const std::string e = read_error(broken_copy("events.jsonl", body));
    return e.substr(e.find("events.jsonl"));
  };
  EXPECT_EQ(events_error("{\"quarter\":\"2023Q1\",\"entity_kind\":\"global\",\"entity\":\"world\",\"kind\":\"x\",\"cause\":\"y\",\"figures\":{}}\n{\"quarter\": 5}\n"),
            "events.jsonl:2:13: 'quarter' is a number; expected a string");
  EXPECT_EQ(events_error("{\"quarter\":\"2023Q1\",\n"), "events.jsonl:1:21: unexpected the end of the text; expected a key in double quotes");
}

TEST_F(DefaultRunFiles, KeyFiguresAgreeWithTheEventLog) {
  const KeyFigures k = key_figures(run());
  ASSERT_FALSE(k.power_bound.empty());
  // The first power_bound event of the log is the first spell.
  const auto first = std::find_if(run().events.begin(), run().events.end(),
                                  [](const RunEvent& e) { return e.kind == "power_bound"; });
  ASSERT_NE(first, run().events.end());
  EXPECT_EQ(k.power_bound.front().region, first->entity);
  EXPECT_EQ(k.power_bound.front().start, first->quarter);
  EXPECT_DOUBLE_EQ(k.power_bound.front().requested_mw, first->figure("requested_mw"));
  EXPECT_EQ(k.power_bound.front().stranded_scope, "us");
  EXPECT_DOUBLE_EQ(k.power_bound.front().stranded_h100e,
                   run().value(EntityKind::bloc, "us", "stranded_h100e", first->quarter));
  // The spells agree with the region series, and the sentence answers the question.
  for (const auto& s : k.power_bound) {
    EXPECT_GT(run().value(EntityKind::region, s.region, "power_bound", s.start), 0.5);
    if (s.end) {
      EXPECT_LT(run().value(EntityKind::region, s.region, "power_bound", *s.end), 0.5);
    }
  }
  const std::string sentence = power_bound_sentence(first_power_bound_by_bloc(k).front());
  EXPECT_NE(sentence.find("the us bloc becomes power-bound in " + first->quarter.str()), std::string::npos) << sentence;
  EXPECT_NE(sentence.find("M H100e of the us bloc's compute is stranded"), std::string::npos) << sentence;
  double cumulative_capex = 0;
  for (const auto v : *run().series(EntityKind::global, "world", "capex_usd")) cumulative_capex += v;
  EXPECT_DOUBLE_EQ(k.cumulative_capex_usd, cumulative_capex);
  EXPECT_GT(k.peak_idle_h100e, 1e5);
  EXPECT_GT(k.stranded_quarters, 0);
}

TEST_F(DefaultRunFiles, TimelineTellsNotableEventsOneByOneAndSumsTheRest) {
  const auto t = build_timeline(run());
  const auto bound = std::find_if(t.begin(), t.end(), [](const TimelineEntry& e) { return e.kind == "power_bound"; });
  ASSERT_NE(bound, t.end());
  EXPECT_TRUE(bound->notable);
  EXPECT_EQ(bound->text.rfind(bound->entity + " becomes power-bound: ", 0), 0u) << bound->text;
  EXPECT_NE(bound->text.find("GW"), std::string::npos) << bound->text;
  std::size_t routine_events = 0, summaries = 0;
  for (const auto& e : run().events) routine_events += is_notable_event(e.kind) ? 0 : 1;
  for (const auto& e : t) summaries += e.notable ? 0 : 1;
  EXPECT_GT(routine_events, 5 * summaries);  // summed up, not listed
  EXPECT_LE(summaries, run().quarters.size());
  EXPECT_TRUE(std::is_sorted(t.begin(), t.end(),
                             [](const TimelineEntry& a, const TimelineEntry& b) { return a.quarter < b.quarter; }));
}

TEST_F(DefaultRunFiles, EveryChartDrawsRecordedSeries) {
  const auto charts = report_charts({&run()}, true);
  std::set<std::string> ids;
  for (const auto& c : charts) {
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate chart id " << c.id;
    EXPECT_TRUE(std::regex_match(c.id, std::regex("[a-z0-9_-]+"))) << c.id;
    ASSERT_FALSE(c.series.empty()) << c.id;
    for (const auto& s : c.series) {
      const auto* values = run().series(s.kind, s.entity, s.metric);
      ASSERT_NE(values, nullptr) << c.id << ": " << s.entity << " " << s.metric;
      EXPECT_TRUE(std::any_of(values->begin(), values->end(), [](double v) { return std::isfinite(v); })) << c.id;
    }
  }
  for (const char* id : {"world-compute", "utilization-blocs", "utilization-agents", "region-us-texas-power", "price",
                         "capex-revenue", "depreciation", "value-gap", "vendor-shipments", "vendor-backlog",
                         "vendor-inventory-days", "bubble-capex-to-revenue", "agent-coreweave-compute",
                         "agent-coreweave-money"}) {
    EXPECT_TRUE(ids.count(id)) << "no chart " << id;
  }
  // A comparison leaves out the per-agent charts.
  const auto compared = report_charts({&run(), &run()}, false);
  EXPECT_TRUE(std::none_of(compared.begin(), compared.end(), [](const Chart& c) { return c.section == "agents"; }));
}

TEST_F(DefaultRunFiles, ReportIsSelfContainedAndDeterministic) {
  const std::string html = format_report_html(run());
  EXPECT_EQ(html, format_report_html(read_run_directory(dir())));  // same run, same bytes
  // Nothing is loaded from elsewhere: no script, style sheet or image by address (the scripts'
  // own text aside).
  std::string markup = html;
  for (std::size_t at = markup.find("<script>"); at != std::string::npos; at = markup.find("<script>", at + 8)) {
    markup.erase(at + 8, markup.find("</script>", at) - at - 8);
  }
  EXPECT_EQ(markup.find("<script src"), std::string::npos);
  EXPECT_EQ(markup.find("<link"), std::string::npos);
  EXPECT_EQ(markup.find("<img"), std::string::npos);
  EXPECT_EQ(markup.find("src="), std::string::npos);
  EXPECT_EQ(markup.find("url("), std::string::npos);
  EXPECT_EQ(html.find(dir().string()), std::string::npos);  // no path of the machine it was made on
  EXPECT_NE(html.find("Apache ECharts " + std::string(echarts_version())), std::string::npos);
  EXPECT_NE(html.find("The us bloc becomes power-bound in"), std::string::npos);
  for (const auto& c : report_charts({&run()}, true)) {
    EXPECT_NE(html.find("id=\"chart-" + c.id + "\""), std::string::npos) << c.id;
  }
  // Inline scripts cannot be closed early by the data.
  const auto data = html.find("window.AIDC_REPORT = ");
  ASSERT_NE(data, std::string::npos);
  EXPECT_EQ(html.find("</script>", data), html.find(";\n</script>", data) + 2);
}

TEST_F(DefaultRunFiles, CompareLabelsRunsApartAndListsDifferences) {
  std::vector<RunData> runs = {run(), run()};
  runs[1].dir = dir().parent_path() / "other";
  const std::vector<const RunData*> pointers = {&runs[0], &runs[1]};
  EXPECT_EQ(run_labels(pointers), (std::vector<std::string>{"default (default)", "default (other)"}));
  const std::string html = format_compare_html(runs);
  for (const char* row : {"peak-idle", "stranded-quarters", "capex", "free-cash-flow", "utilization-high",
                          "utilization-low", "first-power-bound"}) {
    EXPECT_NE(html.find("<tr class=\"" + std::string(row) + "\">"), std::string::npos) << row;
  }
  EXPECT_NE(html.find("(+0)"), std::string::npos);  // the same run twice: no difference
}

TEST(Base64, DecodesWhatBrowsersEncode) {
  EXPECT_EQ(decode_base64("aGVsbG8gd29ybGQ="), "hello world");
  EXPECT_EQ(decode_base64("AAEC\n/w=="), std::string("\x00\x01\x02\xff", 4));
  EXPECT_THROW((void)decode_base64("ab$c"), std::invalid_argument);
}

}  // namespace
}  // namespace aidc
