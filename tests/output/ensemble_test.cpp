// Ensembles: the quantile definition (type 7) on figures computed by hand, the seeds `--seeds`
// accepts and refuses, the same results whatever the threads, the median of each value, and the
// ensemble's files read back as they were kept in memory.

#include "aidc/run/ensemble.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <limits>

#include "aidc/output/run_files.hpp"
#include "aidc/output/timeseries_csv.hpp"
#include "aidc/report/quantile.hpp"
#include "aidc/report/run_data.hpp"
#include "aidc/scenario/loader.hpp"

namespace aidc {
namespace {

TEST(Quantile, LinearInterpolationBetweenOrderStatistics) {
  // n = 4: h = 3p. p05: h = 0.15 → 1 + 0.15·(2 − 1) = 1.15; p25: h = 0.75 → 1.75; p50: h = 1.5 →
  // 2 + 0.5·(3 − 2) = 2.5, the mean of the middle two; p75: h = 2.25 → 3.25; p95: h = 2.85 → 3.85.
  const std::vector<double> four = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(quantile_sorted(four, 0.05), 1.15);
  EXPECT_DOUBLE_EQ(quantile_sorted(four, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(quantile_sorted(four, 0.50), 2.5);
  EXPECT_DOUBLE_EQ(quantile_sorted(four, 0.75), 3.25);
  EXPECT_DOUBLE_EQ(quantile_sorted(four, 0.95), 3.85);
  EXPECT_EQ(quantile_sorted(four, 0.0), 1.0);
  EXPECT_EQ(quantile_sorted(four, 1.0), 4.0);
  // n = 5, uneven gaps: h = 4p. p05: h = 0.2 → 0 + 0.2·10 = 2; p25: h = 1 → exactly 10; p50: 20;
  // p75: h = 3 → 30; p95: h = 3.8 → 30 + 0.8·(100 − 30) = 86.
  const std::vector<double> five = {0, 10, 20, 30, 100};
  EXPECT_DOUBLE_EQ(quantile_sorted(five, 0.05), 2.0);
  EXPECT_EQ(quantile_sorted(five, 0.25), 10.0);
  EXPECT_EQ(quantile_sorted(five, 0.50), 20.0);
  EXPECT_EQ(quantile_sorted(five, 0.75), 30.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(five, 0.95), 86.0);
  // One value is every quantile; none is NaN.
  const std::vector<double> one = {7.5};
  for (const double p : ensemble_probabilities) EXPECT_EQ(quantile_sorted(one, p), 7.5);
  EXPECT_TRUE(std::isnan(quantile_sorted({}, 0.5)));
}

TEST(Quantile, SpreadSortsAndLeavesOutWhatIsNotFinite) {
  // {3, 1, NaN, 2, inf} → 1, 2, 3: h = 2p. p05: 1.1; p25: 1.5; p50: 2; p75: 2.5; p95: 2.9.
  const Spread s = spread_of({3, 1, std::numeric_limits<double>::quiet_NaN(), 2, std::numeric_limits<double>::infinity()});
  EXPECT_DOUBLE_EQ(s.p05, 1.1);
  EXPECT_DOUBLE_EQ(s.p25, 1.5);
  EXPECT_EQ(s.p50, 2.0);
  EXPECT_DOUBLE_EQ(s.p75, 2.5);
  EXPECT_DOUBLE_EQ(s.p95, 2.9);
  EXPECT_TRUE(std::isnan(spread_of({}).p50));
  EXPECT_EQ(median_and_range(s, [](double v) { return std::to_string(static_cast<int>(10 * v)); }), "20 [11–29]");
}

TEST(SeedList, CountsAndRangesAreAcceptedAndTheRestRefused) {
  std::string problem;
  EXPECT_EQ(parse_seed_list("4", problem), (std::vector<std::uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(parse_seed_list("3-5", problem), (std::vector<std::uint64_t>{3, 4, 5}));
  EXPECT_EQ(parse_seed_list("0-0", problem), (std::vector<std::uint64_t>{0}));
  EXPECT_EQ(parse_seed_list("10000", problem)->size(), max_ensemble_seeds);
  EXPECT_EQ(parse_seed_list("5-10004", problem)->size(), max_ensemble_seeds);
  const auto refused = [](std::string_view text) {
    std::string why;
    EXPECT_FALSE(parse_seed_list(text, why)) << text;
    return why;
  };
  EXPECT_EQ(refused("0"), "'0' is no seeds; expected at least 1 (N runs seeds 1 to N)");
  EXPECT_EQ(refused("5-2"), "'5-2' runs backwards; expected A-B with A ≤ B (e.g. 2-5)");
  EXPECT_EQ(refused("abc"), "'abc' is not a number of seeds or a range of seeds; expected N (seeds 1 to N) or A-B");
  EXPECT_EQ(refused("10001"), "'10001' is 10001 seeds; expected at most 10000");
  EXPECT_EQ(refused("0-18446744073709551615"), "'0-18446744073709551615' is 2^64 seeds; expected at most 10000");
  for (const auto* text : {"", "-", "-3", "3-", "1-2-3", "+4", " 4", "4 ", "1e3", "99999999999999999999"}) {
    EXPECT_FALSE(refused(text).empty()) << text;
  }
}

// Equal, NaN included (a quarter a value was not recorded in).
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  }
  return true;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ScenarioSpec short_compact() {
  return load_scenario_file(std::filesystem::path(AIDC_SOURCE_DIR) / "scenarios" / "compact.yaml",
                            {"run.end=2025Q4"});
}

TEST(Ensemble, TheSameWhateverTheThreadsAndTheMedianOfEachValue) {
  const ScenarioSpec spec = short_compact();
  EnsembleOptions options;
  options.seeds = {5, 6, 7};
  options.jobs = 1;
  const EnsembleResult one = run_ensemble(spec, options);
  options.jobs = 3;
  const EnsembleResult three = run_ensemble(spec, options);
  EXPECT_EQ(format_timeseries_csv(one.median.recorder), format_timeseries_csv(three.median.recorder));
  EXPECT_EQ(format_ensemble_csv(one), format_ensemble_csv(three));
  EXPECT_EQ(format_seeds_csv(one), format_seeds_csv(three));
  EXPECT_EQ(one.median.events_executed, three.median.events_executed);

  // Each value is the median of the seeds' own: of three, the middle one.
  std::vector<RunResult> runs;
  for (const auto seed : options.seeds) runs.push_back(run_scenario(spec, seed));
  EXPECT_EQ(one.median.events.events().size(), runs[0].events.events().size());  // the first seed's
  const auto& samples = one.median.recorder.samples();
  ASSERT_EQ(samples.size(), runs[0].recorder.samples().size());
  std::size_t differ = 0;  // values the seeds do not all agree on
  for (std::size_t i = 0; i < samples.size(); ++i) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(r.recorder.samples()[i].value);
    std::sort(v.begin(), v.end());
    ASSERT_EQ(samples[i].value, v[1]) << i;
    ASSERT_EQ(one.quantiles[i][2], v[1]) << i;
    ASSERT_LE(one.quantiles[i][0], one.quantiles[i][1]);
    ASSERT_LE(one.quantiles[i][3], one.quantiles[i][4]);
    differ += v.front() != v.back() ? 1 : 0;
  }
  EXPECT_GT(differ, 0u) << "the seeds should not all give the same run";
}

TEST(Ensemble, ItsFilesReadBackAsKeptInMemory) {
  const auto dir = std::filesystem::path(AIDC_BINARY_DIR) / "test-tmp" / "ensemble-directory";
  std::filesystem::remove_all(dir);
  const ScenarioSpec spec = short_compact();
  EnsembleOptions options;
  options.seeds = {1, 2, 3, 4};
  options.jobs = 2;
  const EnsembleResult ensemble = run_ensemble(spec, options);
  const WrittenRun written = write_ensemble_directory(dir, spec, ensemble, false);
  EXPECT_TRUE(std::filesystem::exists(dir / run_files::ensemble_csv));
  EXPECT_TRUE(std::filesystem::exists(dir / run_files::seeds_csv));
  // docs/outputs.md gives each file's header line, and every column by name.
  const std::string doc = slurp(std::filesystem::path(AIDC_SOURCE_DIR) / "docs" / "outputs.md");
  for (const auto name : {run_files::ensemble_csv, run_files::seeds_csv}) {
    std::istringstream in(slurp(dir / name));
    std::string header;
    std::getline(in, header);
    const auto at = doc.find("### " + std::string(name) + "\n");
    ASSERT_NE(at, std::string::npos) << "docs/outputs.md has no section " << name;
    const auto fence = doc.find("```\n", at);
    const auto end = doc.find("\n```", fence + 4);
    EXPECT_EQ(doc.substr(fence + 4, end - fence - 4), header) << "docs/outputs.md: the columns of " << name;
    std::istringstream columns(header);
    const std::string table = doc.substr(end, doc.find("\n#", end) - end);
    for (std::string column; std::getline(columns, column, ',');) {
      EXPECT_NE(table.find("`" + column + "`"), std::string::npos) << name << ": column " << column << " not explained";
    }
  }
  const RunData files = read_run_directory(dir);
  ASSERT_TRUE(files.ensemble());
  EXPECT_EQ(files.seeds, (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(files.seed, "1");
  EXPECT_EQ(files.seeds, written.data.seeds);
  ASSERT_EQ(files.seed_figures.size(), written.data.seed_figures.size());
  for (std::size_t f = 0; f < files.seed_figures.size(); ++f) {
    EXPECT_EQ(files.seed_figures[f].first, written.data.seed_figures[f].first);
    EXPECT_EQ(files.seed_figures[f].second, written.data.seed_figures[f].second) << files.seed_figures[f].first;
  }
  ASSERT_EQ(files.quantiles_by_key.size(), written.data.quantiles_by_key.size());
  for (const auto& [key, q] : written.data.quantiles_by_key) {
    const auto it = files.quantiles_by_key.find(key);
    ASSERT_NE(it, files.quantiles_by_key.end()) << key;
    for (std::size_t k = 0; k < 5; ++k) EXPECT_TRUE(same(it->second[k], q[k])) << key << " " << k;
    // The median column is the value timeseries.csv holds.
    EXPECT_TRUE(same(q[2], files.series_by_key.at(key))) << key;
  }
}

}  // namespace
}  // namespace aidc
