#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../test_files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <set>
#include <sstream>

#include "aidc/kernel/interrupt.hpp"
#include "aidc/kernel/random_stream.hpp"
#include "aidc/output/atomic_file.hpp"
#include "aidc/sweep/check.hpp"
#include "aidc/sweep/design.hpp"
#include "aidc/sweep/design_stream.hpp"
#include "aidc/sweep/kpi.hpp"
#include "aidc/sweep/merge.hpp"
#include "aidc/sweep/prcc.hpp"
#include "aidc/sweep/prim.hpp"
#include "aidc/sweep/record_index.hpp"
#include "aidc/sweep/results_store.hpp"
#include "aidc/sweep/series_codec.hpp"
#include "aidc/sweep/runner.hpp"
#include "aidc/sweep/sensitivity.hpp"
#include "aidc/sweep/sobol.hpp"
#include "aidc/sweep/streamed_file.hpp"
#include "aidc/sweep/sweep_report.hpp"
#include "aidc/sweep/sweep_spec.hpp"
#include "aidc/scenario/loader.hpp"

namespace fs = std::filesystem;
using namespace aidc;
using namespace aidc::sweep;

namespace {

std::string messages(const std::string& yaml) {
  try {
    (void)load_sweep_text(yaml, "s.yaml");
  } catch (const ScenarioError& e) {
    std::string out;
    for (const auto& d : e.diagnostics()) out += d.str() + "\n";
    return out;
  }
  return "";
}

fs::path fresh_dir(const std::string& name) { return test::fresh_dir("sweep-test/" + name); }
using test::read;

const std::string small_spec = std::string(AIDC_SOURCE_DIR) + "/tests/sweep/small.yaml";

}  // namespace

TEST(SweepSpec, ReadsParametersAndDesign) {
  const auto spec = load_sweep_file(small_spec);
  EXPECT_EQ(spec.design, Design::grid);
  ASSERT_EQ(spec.parameters.size(), 2u);
  EXPECT_EQ(spec.parameters[1].values, (std::vector<std::string>{"0.5", "1", "1.5"}));
  EXPECT_EQ(spec.replications, 2u);
  EXPECT_EQ(spec.series_metrics, std::vector<std::string>{"price_usd_per_h100e_hour"});
  EXPECT_EQ(spec.scenario, fs::path(AIDC_SOURCE_DIR) / "tests/sweep/fixed_fleet.yaml");
}

TEST(SweepSpec, ErrorsSayWhereWhatAndSuggest) {
  EXPECT_EQ(messages("design: gird\nparameters:\n  - {path: a.b, values: [1]}\n"),
            "s.yaml:1:9: design: unknown design 'gird' (did you mean 'grid'?)\n");
  EXPECT_EQ(messages("design: grid\nparameter:\n  - {path: a.b, values: [1]}\n"),
            "s.yaml:2:1: parameter: unknown key 'parameter' (did you mean 'parameters'?)\n"
            "s.yaml:1:1: parameters: expected a list of at least one parameter\n");
  EXPECT_EQ(messages("design: monte_carlo\nsamples: 4\nparameters:\n  - {path: a.b, distribution: unifrom, min: 0, max: 1}\n"),
            "s.yaml:4:31: parameters[0].distribution: unknown distribution 'unifrom' (did you mean 'uniform'?)\n");
  EXPECT_NE(messages("design: grid\nparameters:\n  - {path: a.b, distribution: uniform, min: 0, max: 1}\n")
                .find("a grid design needs values or a range"),
            std::string::npos);
  EXPECT_NE(messages("design: latin_hypercube\nparameters:\n  - {path: a.b, values: [1]}\n").find("needs 'samples'"),
            std::string::npos);
  EXPECT_NE(messages("design: grid\nparameters:\n  - {path: a.b, values: [1]}\noutputs: {series: [powerd_h100e]}\n")
                .find("(did you mean 'powered_h100e'?)"),
            std::string::npos);
  EXPECT_NE(messages("design: grid\nparameters: [{path: a, values: [1]}]\n  bad: [").find("invalid YAML"),
            std::string::npos);
}

// A sweep file is read by the scenario's YAML front end: bad YAML gets the same answer, at the
// same place, whether the file is a sweep or a scenario (a stray comma used to be accepted).
TEST(SweepSpec, BadYamlIsReportedAsInAScenario) {
  const auto as_scenario = [](const std::string& yaml) {
    try {
      (void)load_scenario_text(yaml, "s.yaml");
    } catch (const ScenarioError& e) {
      return e.diagnostics().front().str() + "\n";
    }
    return std::string();
  };
  for (const std::string yaml : {"{design: grid, parameters: [{path: a, values: [1]}]},\n",
                                 "design: grid\nparameters: [{path: a, values: [1]}]\n  seed: 3\n",
                                 "design: grid\nset: [\"run.end=2030Q4]\n", "design: 'grid\n",
                                 "design: grid\nsamples: *nothing\n", "design: gr\xe9\n"}) {
    const std::string sweep = messages(yaml);
    EXPECT_NE(sweep, "") << yaml;
    EXPECT_EQ(sweep, as_scenario(yaml)) << yaml;
  }
  EXPECT_EQ(messages("{design: grid, parameters: [{path: a, values: [1]}]},\n"),
            "s.yaml:1:53: invalid YAML: a ',' outside any '[ ]' list or '{ }' mapping; expected ',' only between the "
            "items of one\n");
  EXPECT_EQ(messages("# nothing\n"), "s.yaml:1:1: the file is empty; expected a sweep with keys scenario, design, parameters\n");
}

// Numbers in a sweep file are written as in a scenario: `221k` is 221000.
TEST(SweepSpec, NumbersAcceptMagnitudeSuffixes) {
  const auto spec = load_sweep_text("design: monte_carlo\nsamples: 2k\nparameters:\n"
                                    "  - {path: a, distribution: uniform, min: 221k, max: 1.5M}\n"
                                    "  - {path: b, range: {from: 1k, to: 3k, step: 1k}}\n",
                                    "s.yaml");
  EXPECT_EQ(spec.samples, 2000U);
  EXPECT_EQ(spec.parameters[0].distribution.min, 221e3);
  EXPECT_EQ(spec.parameters[0].distribution.max, 1.5e6);
  EXPECT_EQ(spec.parameters[1].values, (std::vector<std::string>{"1000", "2000", "3000"}));
  EXPECT_NE(messages("design: grid\nseed: 3x\nparameters:\n  - {path: a, values: [1]}\n").find("s.yaml:2:7: seed: '3x' is not a number"),
            std::string::npos);
}

// One parameter, several paths (`paths:` or a selector): one draw applied to every path.
TEST(SweepSpec, TiedPathsTakeOneDraw) {
  const std::string text = "scenario: fixed_fleet.yaml\ndesign: monte_carlo\nsamples: 3\nparameters:\n"
                           "  - name: appetite\n    paths:\n      - demand[us].elasticity\n"
                           "      - agents[kind=hyperscaler].strategy.target_share\n"
                           "    distribution: uniform\n    min: 0.5\n    max: 0.9\n"
                           "  - path: agents[*].cash\n    values: [1e9, 2e9]\n";
  const auto spec = load_sweep_text(text, std::string(AIDC_SOURCE_DIR) + "/tests/sweep/tied.yaml");
  ASSERT_EQ(spec.parameters.size(), 2u);
  EXPECT_EQ(spec.parameters[0].path, "appetite");
  EXPECT_EQ(spec.parameters[0].paths.size(), 2u);
  EXPECT_EQ(spec.parameters[1].path, "agents[*].cash");
  const auto table = make_run_table(spec);
  const auto overrides = table.overrides(spec, 1);
  ASSERT_EQ(overrides.size(), 3u);
  const std::string v = table.values[1][0];
  EXPECT_EQ(overrides[0], "demand[us].elasticity=" + v);
  EXPECT_EQ(overrides[1], "agents[kind=hyperscaler].strategy.target_share=" + v);
  EXPECT_EQ(overrides[2], "agents[*].cash=" + table.values[1][1]);
  const ScenarioTemplate base = load_base_scenario(spec);
  EXPECT_EQ(check_sweep(spec, base, table, 10.0).points_checked, 3u);
  const ScenarioSpec run = base.instantiate(overrides, false);
  EXPECT_DOUBLE_EQ(run.demand[0].elasticity, std::stod(v));
  EXPECT_DOUBLE_EQ(run.agents[0].strategy.target_share, std::stod(v));

  EXPECT_EQ(load_sweep_text("design: grid\nparameters:\n  - paths: [a.b, c.d]\n    values: [1]\n", "s.yaml").parameters[0].path,
            "a.b + c.d");
  EXPECT_EQ(messages("design: grid\nparameters:\n  - {path: a.b, paths: [c.d], values: [1]}\n"),
            "s.yaml:3:24: parameters[0].paths: expected one of 'path' (one key path) or 'paths' (several, tied to one value)\n");
}

// The first points of the Sobol sequence with the Joe–Kuo direction numbers, as published (the
// unscrambled sequence of Joe and Kuo's own generator, and of scipy.stats.qmc.Sobol).
TEST(Sobol, FirstPointsAreTheJoeKuoSequence) {
  SobolSequence sobol(256);
  std::vector<std::vector<double>> points;
  for (int i = 0; i < 1024; ++i) points.push_back(sobol.next());
  const std::vector<double> first[] = {{0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125},
                                       {0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625},
                                       {0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375}};
  for (std::size_t d = 0; d < 3; ++d) {
    for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(points[i][d], first[d][i]) << "dimension " << d + 1 << ", point " << i;
  }
  // Later points of later dimensions (in 1024ths): they use the recurrence past the initial m_i.
  const std::pair<std::size_t, std::vector<int>> later[] = {
      {2, {792, 167, 627}}, {9, {712, 331, 871}}, {99, {904, 523, 543}}, {255, {584, 651, 863}}};
  for (const auto& [d, expected] : later) {
    const std::size_t at[] = {100, 777, 1023};
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(points[at[i]][d] * 1024, static_cast<double>(expected[i])) << "dimension " << d + 1;
  }
  // One point in every one of the 1024 intervals of width 1/1024, in every dimension.
  for (std::size_t d = 0; d < 256; d += 17) {
    std::set<int> cells;
    for (const auto& p : points) cells.insert(static_cast<int>(p[d] * 1024));
    EXPECT_EQ(cells.size(), 1024u) << "dimension " << d + 1;
  }
  EXPECT_THROW(SobolSequence(257), std::invalid_argument);
}

TEST(Design, GridIsFullFactorialLastParameterFastest) {
  const auto spec = load_sweep_file(small_spec);
  const auto table = make_run_table(spec);
  ASSERT_EQ(table.values.size(), 6u);
  ASSERT_EQ(table.runs.size(), 12u);
  EXPECT_EQ(table.values[1], (std::vector<std::string>{"100000", "1"}));
  EXPECT_EQ(table.runs[3].point, 1u);
  EXPECT_EQ(table.runs[3].replication, 1u);
  EXPECT_EQ(table.runs[3].seed, run_seed(7, 1)) << "common random numbers: the seed of its replication";
  EXPECT_EQ(table.overrides(spec, 3), (std::vector<std::string>{"demand[us].base=100000", "demand[us].elasticity=1"}));
  std::set<std::uint64_t> seeds;
  for (const auto& r : table.runs) seeds.insert(r.seed);
  EXPECT_EQ(seeds.size(), spec.replications) << "every point draws the same seeds, one per replication";
}

// `seeds: independent`: every run its own seed, from its index.
TEST(Design, IndependentSeedsGiveEveryRunItsOwn) {
  auto text = read_sweep_file(small_spec) + "seeds: independent\n";
  const auto spec = load_sweep_text(text, small_spec);
  EXPECT_FALSE(spec.common_random_numbers);
  const auto table = make_run_table(spec);
  std::set<std::uint64_t> seeds;
  for (const auto& r : table.runs) {
    EXPECT_EQ(r.seed, run_seed(7, r.index));
    seeds.insert(r.seed);
  }
  EXPECT_EQ(seeds.size(), table.runs.size());
  EXPECT_NE(messages("design: grid\nseeds: comon\nparameters:\n  - {path: a, values: [1]}\n").find("(did you mean 'common'?)"),
            std::string::npos);
}

// A truncated normal stays within its bounds; `whole: true` draws whole numbers, a uniform each
// whole number of its range.
TEST(Design, TruncatedAndWholeDraws) {
  const auto spec = load_sweep_text("design: monte_carlo\nsamples: 400\nparameters:\n"
                                    "  - {path: a, distribution: normal, mean: 0.9, sd: 0.5, min: 0, max: 1}\n"
                                    "  - {path: b, distribution: uniform, min: 4, max: 7, whole: true}\n"
                                    "  - {path: c, distribution: lognormal, median: 10, sigma: 1, max: 12, whole: true}\n",
                                    "s.yaml");
  const auto table = make_run_table(spec);
  std::set<std::string> b_values;
  for (const auto& point : table.values) {
    const double a = std::stod(point[0]), c = std::stod(point[2]);
    EXPECT_GE(a, 0.0);
    EXPECT_LE(a, 1.0);
    b_values.insert(point[1]);
    EXPECT_EQ(c, std::round(c));
    EXPECT_LE(c, 12.0);
  }
  EXPECT_EQ(b_values, (std::set<std::string>{"4", "5", "6", "7"}));
  EXPECT_NE(messages("design: monte_carlo\nsamples: 2\nparameters:\n  - {path: a, distribution: normal, mean: 1, sd: 1, min: 2, max: 1}\n")
                .find("expected max above min"),
            std::string::npos);
}

TEST(Design, LatinHypercubeHasOneDrawPerStratum) {
  auto spec = load_sweep_text("design: latin_hypercube\nsamples: 50\nparameters:\n"
                              "  - {path: a, distribution: uniform, min: 0, max: 1}\n"
                              "  - {path: b, distribution: normal, mean: 5, sd: 2}\n",
                              "s.yaml");
  const auto table = make_run_table(spec);
  for (std::size_t k = 0; k < 2; ++k) {
    std::vector<int> strata(50, 0);
    for (const auto& u : table.unit_point) ++strata[static_cast<std::size_t>(u[k] * 50)];
    for (const int n : strata) EXPECT_EQ(n, 1);
  }
  EXPECT_EQ(make_run_table(spec).values, table.values) << "the design is a pure function of the spec";
}

TEST(Design, RankCorrelationIsImposed) {
  const auto spec = load_sweep_text("design: monte_carlo\nsamples: 400\nparameters:\n"
                                    "  - {path: a, distribution: uniform, min: 0, max: 1}\n"
                                    "  - {path: b, distribution: uniform, min: 0, max: 1}\n"
                                    "correlations: [{between: [a, b], rho: 0.8}]\n",
                                    "s.yaml");
  const auto t = make_run_table(spec);
  // Spearman's rho of the unit coordinates.
  const std::size_t n = t.unit_point.size();
  std::vector<double> ra(n), rb(n);
  for (std::size_t k = 0; k < 2; ++k) {
    std::vector<std::size_t> idx(n);
    for (std::size_t i = 0; i < n; ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(), [&](auto x, auto y) { return t.unit_point[x][k] < t.unit_point[y][k]; });
    for (std::size_t r = 0; r < n; ++r) (k ? rb : ra)[idx[r]] = static_cast<double>(r);
  }
  double d2 = 0;
  for (std::size_t i = 0; i < n; ++i) d2 += (ra[i] - rb[i]) * (ra[i] - rb[i]);
  const double rho = 1 - 6 * d2 / (static_cast<double>(n) * (static_cast<double>(n * n) - 1));
  EXPECT_NEAR(rho, 0.8, 0.05);
}

// The design made a point at a time gives the run table's runs and values, for every design; a
// Latin hypercube and rank correlations (which arrange every point together) keep the table.
TEST(Design, StreamedPointsAreTheRunTables) {
  const std::string params = "  - {path: a, distribution: uniform, min: 0, max: 1}\n"
                             "  - {path: b, distribution: normal, mean: 5, sd: 2}\n"
                             "  - {path: c, values: [x, y, z]}\n";
  const std::vector<std::pair<std::string, bool>> specs = {
      {read_sweep_file(small_spec), true},
      {"design: grid\nreplications: 3\nseeds: independent\nparameters:\n  - {path: a, values: [1, 2]}\n"
       "  - {path: b, values: [3, 4, 5]}\n  - {path: c, range: {from: 0, to: 1, step: 0.25}}\n",
       true},
      {"design: monte_carlo\nsamples: 40\nreplications: 2\nparameters:\n" + params, true},
      {"design: saltelli\nsamples: 9\nparameters:\n" + params, true},
      {"design: morris\nsamples: 7\nlevels: 6\nparameters:\n" + params, true},
      {"design: latin_hypercube\nsamples: 30\nparameters:\n" + params, false},
      {"design: monte_carlo\nsamples: 30\nparameters:\n" + params + "correlations: [{between: [a, b], rho: 0.5}]\n", false},
  };
  for (const auto& [text, streamed] : specs) {
    const auto spec = load_sweep_text(text, small_spec);
    const auto table = make_run_table(spec);
    DesignStream stream(spec);
    EXPECT_EQ(stream.streamed(), streamed) << text;
    ASSERT_EQ(stream.points(), table.values.size()) << text;
    ASSERT_EQ(stream.runs(), table.runs.size()) << text;
    EXPECT_EQ(design_points(spec), table.values.size());
    for (std::size_t i = 0; i < table.runs.size(); ++i) {
      const sweep::Run r = stream.run(i);
      EXPECT_EQ(r.index, table.runs[i].index);
      EXPECT_EQ(r.point, table.runs[i].point);
      EXPECT_EQ(r.replication, table.runs[i].replication);
      EXPECT_EQ(r.seed, table.runs[i].seed);
      EXPECT_EQ(stream.values(r.point), table.values[r.point]) << text << " point " << r.point;
    }
    // Back to an earlier point: made again from the first.
    EXPECT_EQ(stream.values(1), table.values[1]) << text;
    EXPECT_EQ(stream.values(0), table.values[0]) << text;
  }
}

TEST(ResultsStore, RangesRoundTrip) {
  EXPECT_EQ(format_ranges({0, 1, 2, 3, 8, 10, 11}), "0-3,8,10-11");
  EXPECT_EQ(*parse_ranges("0-3,8,10-11"), (std::vector<std::size_t>{0, 1, 2, 3, 8, 10, 11}));
  EXPECT_FALSE(parse_ranges("3-1"));
  EXPECT_FALSE(parse_ranges("4,2"));
  // Bounded by the sweep's run count before anything is built (this one never ended).
  EXPECT_FALSE(parse_ranges("0-18446744073709551615", 16));
  EXPECT_FALSE(parse_ranges("16", 16));
  EXPECT_EQ(parse_ranges("0-15", 16)->size(), 16u);
}

TEST(ResultsStore, BytesPastTheManifestAreIgnoredAndCutOnResume) {
  const auto dir = fresh_dir("store");
  const Shard shard{1, 3};
  {
    ShardWriter w(dir, shard, false);
    w.append({RunRecord{5, true, {{"x", 1.5}}, "", "5,2024Q1,global,world,utilization,0.5\n"},
              RunRecord{6, false, {}, "bad\tvalue\n", ""}});
  }
  // A batch cut short by a kill: data written, manifest not replaced.
  std::ofstream(dir / "shard-1-of-3.results", std::ios::app) << "7\tok\tx=9\n8\tok\tx=";
  auto records = read_results(dir, true);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].series, "5,2024Q1,global,world,utilization,0.5\n");
  EXPECT_EQ(records[1].error, "bad value ");
  EXPECT_THROW(ShardWriter(dir, shard, false), std::invalid_argument);
  {
    ShardWriter w(dir, shard, true);
    EXPECT_EQ(w.manifest().done, (std::vector<std::size_t>{5, 6}));
    EXPECT_EQ(w.manifest().failed, (std::vector<std::size_t>{6}));
    w.append({RunRecord{7, true, {{"x", 2.0}}, "", ""}});
  }
  records = read_results(dir, false);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].kpis[0].second, 2.0);
  EXPECT_EQ(read(dir / "shard-1-of-3.results"), "5\tok\tx=1.5\n6\tfailed\tbad value \n7\tok\tx=2\n");
}

// A run's series is one gzip member: the same bytes every time (modification time 0, no name),
// read back member by member from a file of several, and refused when damaged or cut short.
TEST(SeriesCodec, MembersAreDeterministicAndReadBackOneByOne) {
  const std::string a = "3,2024Q1,global,world,utilization,0.5\n3,2024Q2,global,world,utilization,0.25\n";
  const std::string b = "9,2024Q1,global,world,utilization,1\n";
  const std::string ga = gzip_member(a);
  EXPECT_EQ(ga, gzip_member(a));
  ASSERT_GE(ga.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(ga[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(ga[1]), 0x8b);
  EXPECT_EQ(ga[3], '\0');                  // flags: no name, no comment
  EXPECT_EQ(ga.substr(4, 4), std::string(4, '\0'));  // modification time 0
  const std::string gb = gzip_member(b);
  const auto file = fresh_dir("codec") / "two.gz";
  std::ofstream(file, std::ios::binary) << ga << gb;
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const auto size = static_cast<std::uint64_t>(ga.size() + gb.size());
  std::uint64_t used = 0;
  EXPECT_EQ(inflate_member(fd, 0, size, used, "two.gz"), a);
  EXPECT_EQ(used, ga.size());
  EXPECT_EQ(inflate_member(fd, used, size, used, "two.gz"), b);
  EXPECT_EQ(used, gb.size());
  // Cut short: the first member without its last byte (the end of its length trailer).
  EXPECT_THROW(inflate_member(fd, 0, ga.size() - 1, used, "two.gz"), ResultsError);
  ::close(fd);
  // Damaged: a byte of the checksum changed.
  std::string bad = ga;
  bad[bad.size() - 5] = static_cast<char>(bad[bad.size() - 5] ^ 1);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bad;
  const int fd2 = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  try {
    (void)inflate_member(fd2, 0, bad.size(), used, "two.gz");
    ADD_FAILURE() << "a bad checksum was accepted";
  } catch (const ResultsError& e) {
    EXPECT_NE(std::string(e.what()).find("two.gz: byte 0: damaged gzip data (incorrect data check)"), std::string::npos)
        << e.what();
  }
  ::close(fd2);
}

// New shards store their series compressed, one member per run, and the manifest counts them as
// series_gz_bytes; read back they are the same lines. The compressed file is much smaller.
TEST(ResultsStore, SeriesAreStoredCompressedOneMemberPerRun) {
  const auto dir = fresh_dir("store-gz");
  std::string s5, s6;
  for (int q = 0; q < 40; ++q) {
    s5 += fmt::format("5,{}Q{},global,world,utilization,0.{}\n", 2024 + q / 4, q % 4 + 1, q);
    s6 += fmt::format("6,{}Q{},global,world,utilization,0.{}\n", 2024 + q / 4, q % 4 + 1, 2 * q);
  }
  {
    ShardWriter w(dir, Shard{0, 1}, false);
    w.append({RunRecord{6, true, {{"x", 1.0}}, "", s6}, RunRecord{5, true, {{"x", 2.0}}, "", s5},
              RunRecord{7, false, {}, "failed", ""}});
  }
  EXPECT_FALSE(fs::exists(dir / "shard-0-of-1.series"));
  EXPECT_EQ(read(dir / "shard-0-of-1.series.gz"), gzip_member(s6) + gzip_member(s5));
  EXPECT_LT(fs::file_size(dir / "shard-0-of-1.series.gz") * 3, s5.size() + s6.size());
  const Manifest m = read_manifest(dir / "shard-0-of-1.manifest");
  EXPECT_TRUE(m.series_gzip);
  EXPECT_EQ(m.series_bytes, fs::file_size(dir / "shard-0-of-1.series.gz"));
  const auto records = read_results(dir, true);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].run, 5u);
  EXPECT_EQ(records[0].series, s5);
  EXPECT_EQ(records[1].series, s6);
  EXPECT_EQ(records[2].series, "");
  // Read in any order, one at a time, through the index.
  RecordIndex index(dir, 8, true);
  EXPECT_EQ(index.recorded(), 3u);
  EXPECT_EQ(index.failed(), 1u);
  EXPECT_FALSE(index.is_recorded(4));
  std::string series;
  index.append_series(6, series);
  index.append_series(5, series);
  EXPECT_EQ(series, s6 + s5);
  EXPECT_EQ(index.read(7).error, "failed");
  // A member holding another run's line is refused.
  const std::string mixed = gzip_member(s5 + "6,2024Q1,global,world,utilization,0\n");
  std::ofstream(dir / "shard-0-of-1.series.gz", std::ios::binary | std::ios::trunc) << mixed << gzip_member(s6);
  const std::string manifest = read(dir / "shard-0-of-1.manifest");
  // The manifest's series size, made to match the new file (std::regex trips GCC 12's warnings at -O2).
  const std::string key = "series_gz_bytes ";
  const std::size_t at = manifest.find(key);
  ASSERT_NE(at, std::string::npos);
  const std::size_t digits = manifest.find_first_not_of("0123456789", at + key.size());
  std::ofstream(dir / "shard-0-of-1.manifest", std::ios::trunc)
      << manifest.substr(0, at) << key << fs::file_size(dir / "shard-0-of-1.series.gz") << manifest.substr(digits);
  try {
    (void)read_results(dir, true, 8);
    ADD_FAILURE() << "a member of two runs was accepted";
  } catch (const ResultsError& e) {
    EXPECT_NE(std::string(e.what()).find("shard-0-of-1.series.gz: byte 0: a line of another run in the series of run 5"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(read_results(dir, false, 8).size(), 3u);  // without the series they are not read
}

// The index of a sweep larger than `memory_runs` is kept in an unnamed temporary file: the merge
// gives the in-memory reading's bytes whatever order the shards hold the runs in (a resumed shard
// its second half first; the other in a stride order that visits every block of the index again
// and again; failed runs retried last), leaves nothing in the directory, and still refuses a run
// recorded twice.
TEST(RecordIndex, OnDiskGivesTheInMemoryBytesInAnyOrder) {
  const auto dir = fresh_dir("index-on-disk");
  const std::size_t runs = 20000;
  std::ofstream(dir / "sweep.yaml") << "seed: 3\ndesign: monte_carlo\nsamples: " << runs
                                    << "\nparameters:\n  - {path: a, distribution: uniform, min: 0, max: 1}\n"
                                       "outputs:\n  series: [price_usd_per_h100e_hour]\n";
  const auto record = [](std::size_t run) {
    if (run % 13 == 5) return RunRecord{run, false, {}, fmt::format("failed, run {}", run), ""};
    RunRecord r{run, true, {{"x", static_cast<double>(run) / 8}, {"y", static_cast<double>(run % 7)}}, "", ""};
    if (run % 3 == 0) r.series = fmt::format("{},2025Q1,bloc,us,price_usd_per_h100e_hour,{}\n{},2025Q2,bloc,us,price_usd_per_h100e_hour,1\n", run, run, run);
    return r;
  };
  {
    ShardWriter w(dir, Shard{0, 2}, false, runs);  // runs 0-9999: resumed, the second half first
    std::vector<RunRecord> batch;
    for (std::size_t i = 0; i < 10000; ++i) batch.push_back(record((i + 5000) % 10000));
    w.append(batch);
  }
  {
    ShardWriter w(dir, Shard{1, 2}, false, runs);  // runs 10000-19999: a stride order, failures last
    std::vector<RunRecord> batch, failures;
    for (std::size_t i = 0; i < 10000; ++i) {
      RunRecord r = record(10000 + (i * 7919) % 10000);
      (r.ok ? batch : failures).push_back(std::move(r));
    }
    w.append(batch);
    w.append(failures);
  }
  std::set<std::string> before;
  for (const auto& e : fs::directory_iterator(dir)) before.insert(e.path().filename().string());
  const auto in_memory = read_sweep_directory(dir, true);
  const std::string runs_csv = format_runs_csv(in_memory), series_csv = format_series_csv(in_memory);
  ASSERT_EQ(std::count(runs_csv.begin(), runs_csv.end(), '\n'), 20001);
  for (const std::size_t memory_runs : {std::size_t{0}, std::size_t{100000}}) {
    auto streamed = open_sweep_directory(dir, true, memory_runs);
    EXPECT_EQ(streamed.index.on_disk(), memory_runs == 0);
    EXPECT_TRUE(streamed.design.streamed());
    std::string runs_out, series_out;
    EXPECT_EQ(write_runs_csv(streamed, [&](std::string_view piece) { runs_out += piece; }), runs);
    write_series_csv(streamed, [&](std::string_view piece) { series_out += piece; });
    EXPECT_TRUE(runs_out == runs_csv) << "memory_runs " << memory_runs;
    EXPECT_TRUE(series_out == series_csv) << "memory_runs " << memory_runs;
    EXPECT_EQ(format_status(streamed), format_status(in_memory));
    // Read again out of order: the same records.
    EXPECT_EQ(streamed.index.read(19999).kpis, record(19999).kpis);
    EXPECT_EQ(streamed.index.read(5).error, "failed, run 5");
    EXPECT_EQ(streamed.index.read(10002).kpis, record(10002).kpis);
  }
  std::set<std::string> after;
  for (const auto& e : fs::directory_iterator(dir)) after.insert(e.path().filename().string());
  EXPECT_EQ(after, before) << "no temporary left";
  // A run recorded twice is refused with the disk index as with the one in memory.
  const auto twice = fresh_dir("index-on-disk-twice");
  const std::string results = "0\tok\tx=1\n3\tok\tx=2\n0\tok\tx=3\n";
  std::ofstream(twice / "shard-0-of-1.results") << results;
  std::ofstream(twice / "shard-0-of-1.manifest") << "aidcsim sweep manifest 1\nresults_bytes " << results.size()
                                                 << "\nseries_gz_bytes 0\ndone 0,3\nfailed \n";
  for (const std::size_t memory_runs : {std::size_t{0}, std::size_t{100}}) {
    try {
      (void)RecordIndex(twice, 4, false, "", memory_runs);
      ADD_FAILURE() << "a run recorded twice was accepted";
    } catch (const ResultsError& e) {
      EXPECT_NE(std::string(e.what()).find("shard-0-of-1.results:3:1: run 0 is recorded twice"), std::string::npos)
          << e.what();
    }
  }
}

// A streamed output appears under its name only once committed; a stop asked for while it is
// written (SIGINT, held back meanwhile) ends the write and removes the temporary; a planted link
// at the temporary's name is never written through.
TEST(StreamedFile, CommitsWholeOrLeavesNothing) {
  const auto dir = fresh_dir("streamed");
  {
    StreamedFile f(dir / "out.csv");
    f.write("a,b\n");
    EXPECT_FALSE(fs::exists(dir / "out.csv"));
    f.commit();
  }
  EXPECT_EQ(read(dir / "out.csv"), "a,b\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  // A SIGINT while it is written: caught here by a handler that does nothing, so that the test
  // goes on once it is let in.
  struct sigaction quiet = {}, saved = {};
  quiet.sa_handler = [](int) {};
  ::sigaction(SIGINT, &quiet, &saved);
  try {
    StreamedFile f(dir / "big.csv");
    ::raise(SIGINT);  // held back: pending
    f.write(std::string(3u << 20, 'x'));
    ADD_FAILURE() << "the write went on after SIGINT";
  } catch (const Interrupted& e) {
    EXPECT_EQ(e.signal(), SIGINT);
    EXPECT_NE(std::string(e.what()).find("big.csv"), std::string::npos) << e.what();
  }
  ::sigaction(SIGINT, &saved, nullptr);
  EXPECT_FALSE(fs::exists(dir / "big.csv"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);  // out.csv alone
  // Refused: a directory under the name.
  fs::create_directory(dir / "sub");
  EXPECT_THROW(StreamedFile(dir / "sub"), OutputError);
  // A link planted at the temporary's first name: another name is taken, the target untouched.
  std::ofstream(dir / "victim") << "victim";
  fs::create_symlink(dir / "victim", dir / ("x.csv.tmp." + std::to_string(::getpid())));
  {
    StreamedFile f(dir / "x.csv");
    f.write("x\n");
    f.commit();
  }
  EXPECT_EQ(read(dir / "victim"), "victim");
  EXPECT_EQ(read(dir / "x.csv"), "x\n");
}

TEST(Runner, ResultsDoNotDependOnThreadsOrShards) {
  const auto spec = load_sweep_file(small_spec);
  const std::string text = read(small_spec);
  std::vector<std::string> runs_csv, series_csv;
  for (const auto& [threads, shards] : std::vector<std::pair<std::size_t, std::size_t>>{{1, 1}, {2, 1}, {2, 3}}) {
    const auto dir = fresh_dir(fmt::format("runner-{}-{}", threads, shards));
    for (std::size_t k = 0; k < shards; ++k) {
      SweepOptions o;
      o.dir = dir;
      o.threads = threads;
      o.shard = {k, shards};
      o.batch_runs = 2;
      const auto p = run_sweep(spec, text, o);
      EXPECT_EQ(p.done, p.total);
      EXPECT_EQ(p.failed, 0u);
    }
    const auto r = read_sweep_directory(dir, true);
    EXPECT_EQ(pending_runs(r), 0u);
    runs_csv.push_back(format_runs_csv(r));
    series_csv.push_back(format_series_csv(r));
    // Streamed a record at a time, the same bytes.
    auto streamed = open_sweep_directory(dir, true);
    EXPECT_EQ(pending_runs(streamed), 0u);
    std::string runs, series;
    std::size_t pieces = 0;
    EXPECT_EQ(write_runs_csv(streamed, [&](std::string_view piece) { runs += piece, ++pieces; }), 12u);
    EXPECT_EQ(pieces, 13u);  // the header, then a row at a time
    write_series_csv(streamed, [&](std::string_view piece) { series += piece; });
    EXPECT_EQ(runs, runs_csv.back());
    EXPECT_EQ(series, series_csv.back());
    EXPECT_EQ(format_status(streamed), format_status(r));
  }
  EXPECT_EQ(runs_csv[0], runs_csv[1]);
  EXPECT_EQ(runs_csv[0], runs_csv[2]);
  EXPECT_EQ(series_csv[0], series_csv[2]);
  EXPECT_NE(runs_csv[0].find("run,point,replication,seed,demand[us].base,demand[us].elasticity,status,end_installed_h100e"),
            std::string::npos)
      << runs_csv[0].substr(0, 300);
  EXPECT_EQ(std::count(runs_csv[0].begin(), runs_csv[0].end(), '\n'), 13);
}

// analyze and report read only the KPIs they analyse, and say the same as from every record.
TEST(Runner, AnalysisReadsOnlyTheKpisItAnalyses) {
  const auto spec = load_sweep_file(small_spec);
  SweepOptions o;
  o.dir = fresh_dir("analysis-kpis");
  o.threads = 2;
  (void)run_sweep(spec, read(small_spec), o);
  const auto full = read_sweep_directory(o.dir, false);
  AnalysisOptions everything;
  everything.bootstrap_samples = 50;
  everything.kpis = full.spec.kpis;  // none in small.yaml: a few key ones
  AnalysisOptions lean_options;
  lean_options.bootstrap_samples = 50;
  const auto lean = read_sweep_for_analysis(o.dir, lean_options);
  EXPECT_EQ(lean_options.kpis, analysis_kpis(full, everything));
  ASSERT_EQ(lean.records.size(), full.records.size());
  std::size_t kept = 0, all = 0;
  for (std::size_t i = 0; i < lean.records.size(); ++i) {
    EXPECT_EQ(lean.records[i].run, full.records[i].run);
    for (const auto& [name, value] : lean.records[i].kpis) {
      EXPECT_NE(std::find(lean_options.kpis.begin(), lean_options.kpis.end(), name), lean_options.kpis.end()) << name;
    }
    kept += lean.records[i].kpis.size(), all += full.records[i].kpis.size();
  }
  EXPECT_EQ(kept, lean.records.size() * lean_options.kpis.size());
  EXPECT_LT(kept * 5, all);
  EXPECT_EQ(format_analysis(lean, lean_options), format_analysis(full, everything));
  EXPECT_EQ(format_sweep_report_html(lean, lean_options), format_sweep_report_html(full, everything));
  // An unknown KPI: the same message, every recorded KPI a candidate.
  AnalysisOptions typo;
  typo.kpis = {"end_instaled_h100e"};
  std::string expected;
  try {
    (void)format_analysis(full, typo);
  } catch (const std::runtime_error& e) {
    expected = e.what();
  }
  EXPECT_NE(expected.find("did you mean 'end_installed_h100e'"), std::string::npos) << expected;
  try {
    (void)read_sweep_for_analysis(o.dir, typo);
    ADD_FAILURE() << "an unknown KPI was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), expected);
  }
}

// A value the parameter cannot take is found before any run: nothing is written.
TEST(Runner, ABadValueStopsTheSweepBeforeAnyRun) {
  const std::string text = "scenario: " + std::string(AIDC_SOURCE_DIR) +
                           "/tests/sweep/fixed_fleet.yaml\ndesign: grid\nparameters:\n"
                           "  - path: demand[us].base\n    values: [100000, lots, 200000]\n";
  SweepOptions o;
  o.dir = fresh_dir("checked");
  try {
    (void)run_sweep(load_sweep_text(text, "inline.yaml"), text, o);
    FAIL() << "the sweep ran";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("inline.yaml:5:13: parameters[0]: 'demand[us].base': value 'lots': expected a count"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(o.dir / "sweep.yaml"));
}

// A run that fails anyway (here: a design point past what the check had time to instantiate) is
// recorded with its error, and the sweep goes on.
TEST(Runner, AFailingRunIsRecordedAndTheSweepGoesOn) {
  const std::string text = "scenario: " + std::string(AIDC_SOURCE_DIR) +
                           "/tests/sweep/fixed_fleet.yaml\ndesign: grid\nparameters:\n"
                           "  - path: run.end\n    values: [2026Q4, 2023Q1, 2026Q2]\n";
  const auto spec = load_sweep_text(text, "inline.yaml");
  SweepOptions o;
  o.dir = fresh_dir("failing");
  o.threads = 2;
  o.check_seconds = 0;  // point 0 only
  const auto p = run_sweep(spec, text, o);
  EXPECT_EQ(p.done, 3u);
  EXPECT_EQ(p.failed, 1u);
  const auto r = read_sweep_directory(o.dir, false);
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_FALSE(r.records[1].ok);
  EXPECT_NE(r.records[1].error.find("invalid scenario: --set"), std::string::npos) << r.records[1].error;
  EXPECT_NE(format_status(r).find("3 runs (grid design, 3 points × 1 replications): 2 done, 1 failed, 0 pending"),
            std::string::npos)
      << format_status(r);
  // Another sweep in the same directory is refused.
  auto other = text + "seed: 5\n";
  EXPECT_THROW(run_sweep(load_sweep_text(other, "inline.yaml"), other, o), std::invalid_argument);
}

// A run that fails because of its parameters (run.end before run.start, found only when the
// point is instantiated) fails again when retried: recorded once, failed, with its new error; the
// runs that were ok are not run again.
TEST(Retry, ARunThatFailsAgainStaysFailedRecordedOnce) {
  const std::string text = "scenario: " + std::string(AIDC_SOURCE_DIR) +
                           "/tests/sweep/fixed_fleet.yaml\ndesign: grid\nparameters:\n"
                           "  - path: run.end\n    values: [2026Q4, 2023Q1, 2026Q2]\n";
  SweepOptions o;
  o.dir = fresh_dir("retry-again");
  o.check_seconds = 0;  // point 0 only: point 1 is found when it runs
  (void)run_sweep(load_sweep_text(text, "inline.yaml"), text, o);
  const std::string results_before = read(o.dir / "shard-0-of-1.results");
  const auto first = read_sweep_directory(o.dir, false);
  ASSERT_EQ(first.records.size(), 3u);
  ASSERT_FALSE(first.records[1].ok);

  RetryOptions r;
  r.dir = o.dir;
  r.dry_run = true;
  const RetryReport plan = retry_sweep(r);
  ASSERT_EQ(plan.shards.size(), 1u);
  EXPECT_EQ(plan.shards[0].failed, (std::vector<std::size_t>{1}));
  EXPECT_TRUE(plan.shards[0].pending.empty());
  EXPECT_EQ(read(o.dir / "shard-0-of-1.results"), results_before);  // a dry run changes nothing

  r.dry_run = false;
  const RetryReport report = retry_sweep(r);
  EXPECT_EQ(report.retried, 1u);
  EXPECT_EQ(report.still_failed, 1u);
  EXPECT_EQ(report.now_ok, 0u);
  EXPECT_EQ(report.left, 0u);
  // The file: the two ok records as they were, then run 1's new record (once: its old one was
  // cut off).
  const std::string after = read(o.dir / "shard-0-of-1.results");
  std::istringstream lines(after);
  std::vector<std::string> got;
  for (std::string line; std::getline(lines, line);) got.push_back(line);
  ASSERT_EQ(got.size(), 3u) << after;
  EXPECT_TRUE(got[2].starts_with("1\tfailed\tinvalid scenario: --set")) << got[2];
  std::string kept_before;
  for (std::istringstream in(results_before); std::getline(in, kept_before);) {
    if (!kept_before.starts_with("1\t")) {
      EXPECT_NE(after.find(kept_before + "\n"), std::string::npos) << kept_before;
    }
  }
  const auto m = read_manifest(o.dir / "shard-0-of-1.manifest", 3);
  EXPECT_EQ(m.done, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(m.failed, (std::vector<std::size_t>{1}));
  EXPECT_EQ(m.results_bytes, after.size());
  const auto second = read_sweep_directory(o.dir, false);
  ASSERT_EQ(second.records.size(), 3u);
  EXPECT_FALSE(second.records[1].ok);
  EXPECT_EQ(second.records[1].error, first.records[1].error);
  EXPECT_NE(format_status(second).find("2 done, 1 failed, 0 pending"), std::string::npos) << format_status(second);
  // And again: the same.
  EXPECT_EQ(retry_sweep(r).still_failed, 1u);
  EXPECT_EQ(read(o.dir / "shard-0-of-1.results"), after);
}

// Setting a failed run aside reorders each file (the failed records last: the old manifest still
// holds), then ends the manifest before them. Hand-made records: runs 5 and 7, 7 failed with a
// series; counted bytes: "5\tok\tx=1\n" is 9, "7\tfailed\tdisk full\n" 19.
TEST(Retry, SettingAsideReordersThenCutsTheManifest) {
  const auto dir = fresh_dir("set-aside");
  {
    ShardWriter w(dir, Shard{0, 1}, false, 10);
    w.append({RunRecord{7, false, {}, "disk full", "7,a,1\n"}, RunRecord{5, true, {{"x", 1.0}}, "", "5,a,2\n"}});
  }
  const std::string gz7 = gzip_member("7,a,1\n"), gz5 = gzip_member("5,a,2\n");
  ASSERT_EQ(read(dir / "shard-0-of-1.series.gz"), gz7 + gz5);
  const std::string old_manifest = read(dir / "shard-0-of-1.manifest");
  const auto before = read_results(dir, true, 10);
  EXPECT_EQ(set_aside_failed_runs(dir, Shard{0, 1}, 10), (std::vector<std::size_t>{7}));
  // A crash between the renames and the new manifest leaves the reordered files under the old
  // manifest: the same runs, each once, run 7 still failed with its series; set aside again, the
  // same as the first time.
  {
    const auto crashed = fresh_dir("set-aside-crashed");
    for (const auto* name : {"shard-0-of-1.results", "shard-0-of-1.series.gz"}) fs::copy_file(dir / name, crashed / name);
    write_file_atomically(crashed / "shard-0-of-1.manifest", old_manifest);
    const auto records = read_results(crashed, true, 10);
    ASSERT_EQ(records.size(), before.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      EXPECT_EQ(records[i].run, before[i].run);
      EXPECT_EQ(records[i].ok, before[i].ok);
      EXPECT_EQ(records[i].error, before[i].error);
      EXPECT_EQ(records[i].series, before[i].series);
    }
    EXPECT_EQ(set_aside_failed_runs(crashed, Shard{0, 1}, 10), (std::vector<std::size_t>{7}));
    EXPECT_EQ(read(crashed / "shard-0-of-1.results"), read(dir / "shard-0-of-1.results"));
    EXPECT_EQ(read(crashed / "shard-0-of-1.series.gz"), read(dir / "shard-0-of-1.series.gz"));
    EXPECT_EQ(read(crashed / "shard-0-of-1.manifest"), read(dir / "shard-0-of-1.manifest"));
  }
  EXPECT_EQ(read(dir / "shard-0-of-1.results"), "5\tok\tx=1\n7\tfailed\tdisk full\n");
  EXPECT_EQ(read(dir / "shard-0-of-1.series.gz"), gz5 + gz7);
  const auto m = read_manifest(dir / "shard-0-of-1.manifest", 10);
  EXPECT_EQ(m.results_bytes, 9u);
  EXPECT_EQ(m.series_bytes, gz5.size());
  EXPECT_EQ(m.done, (std::vector<std::size_t>{5}));
  EXPECT_TRUE(m.failed.empty());
  // Nothing left to set aside; reopened, the writer cuts the old record off and appends.
  EXPECT_TRUE(set_aside_failed_runs(dir, Shard{0, 1}, 10).empty());
  {
    ShardWriter w(dir, Shard{0, 1}, true, 10);
    w.append({RunRecord{7, true, {{"x", 3.0}}, "", "7,a,4\n"}});
  }
  EXPECT_EQ(read(dir / "shard-0-of-1.results"), "5\tok\tx=1\n7\tok\tx=3\n");
  const auto records = read_results(dir, true, 10);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].series, "7,a,4\n");
}

// Ishigami (a = 7, b = 0.1) on [-π, π]³: the analytic indices are known.
TEST(Sensitivity, SobolRecoversTheIshigamiIndices) {
  const auto spec = load_sweep_text("design: saltelli\nsamples: 4000\nseed: 3\nparameters:\n"
                                    "  - {path: x1, distribution: uniform, min: -3.141592653589793, max: 3.141592653589793}\n"
                                    "  - {path: x2, distribution: uniform, min: -3.141592653589793, max: 3.141592653589793}\n"
                                    "  - {path: x3, distribution: uniform, min: -3.141592653589793, max: 3.141592653589793}\n",
                                    "ishigami.yaml");
  const auto table = make_run_table(spec);
  const double a = 7, b = 0.1, pi = std::numbers::pi;
  Eigen::MatrixXd y(4000, 5);
  for (std::size_t p = 0; p < table.values.size(); ++p) {
    const double x1 = std::stod(table.values[p][0]), x2 = std::stod(table.values[p][1]), x3 = std::stod(table.values[p][2]);
    y(static_cast<Eigen::Index>(p / 5), static_cast<Eigen::Index>(p % 5)) =
        std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
  }
  const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2), v2 = a * a / 8, v13 = 8 * b * b * std::pow(pi, 8) / 225;
  const double v = a * a / 8 + b * std::pow(pi, 4) / 5 + b * b * std::pow(pi, 8) / 18 + 0.5;
  const double first[3] = {v1 / v, v2 / v, 0.0}, total[3] = {(v1 + v13) / v, v2 / v, v13 / v};
  const auto s = sobol_indices(y, 500, 0.95);
  for (int i = 0; i < 3; ++i) {
    EXPECT_LE(s[i].first.low, first[i]) << "S" << i + 1;
    EXPECT_GE(s[i].first.high, first[i]) << "S" << i + 1;
    EXPECT_LE(s[i].total.low, total[i]) << "ST" << i + 1;
    EXPECT_GE(s[i].total.high, total[i]) << "ST" << i + 1;
    EXPECT_LT(s[i].first.high - s[i].first.low, 0.15);
  }
}

TEST(Sensitivity, MorrisRanksALinearFunction) {
  const auto spec = load_sweep_text("design: morris\nsamples: 20\nparameters:\n"
                                    "  - {path: a, distribution: uniform, min: 0, max: 1}\n"
                                    "  - {path: b, distribution: uniform, min: 0, max: 1}\n",
                                    "m.yaml");
  const auto t = make_run_table(spec);
  ASSERT_EQ(t.values.size(), 60u);
  std::vector<std::vector<double>> effects(2);
  for (std::size_t tr = 0; tr < 20; ++tr) {
    for (std::size_t s = 0; s < 2; ++s) {
      const auto& u0 = t.unit_point[tr * 3 + s];
      const auto& u1 = t.unit_point[tr * 3 + s + 1];
      const auto f = [](const std::vector<double>& u) { return 3 * u[0] + 0.5 * u[1]; };
      for (std::size_t i = 0; i < 2; ++i) {
        if (u0[i] != u1[i]) effects[i].push_back((f(u1) - f(u0)) / (u1[i] - u0[i]));
      }
    }
  }
  const auto m = morris_indices(effects, 100, 0.95);
  EXPECT_NEAR(m[0].mu_star.value, 3.0, 1e-9);
  EXPECT_NEAR(m[1].mu_star.value, 0.5, 1e-9);
  EXPECT_NEAR(m[0].sigma, 0.0, 1e-9);
}

// PRCC on data small enough to check by hand.
TEST(Sensitivity, PartialRankCorrelationsByHand) {
  // One parameter: Spearman's ρ = 1 − 6 Σd² / (n (n² − 1)) = 1 − 6·4 / 120 = 0.8.
  Eigen::MatrixXd x1(5, 1);
  x1 << 10, 20, 30, 40, 50;
  Eigen::VectorXd y1(5);
  y1 << 2, 1, 4, 3, 5;
  EXPECT_NEAR(partial_rank_correlations(x1, y1)[0].value, 0.8, 1e-12);
  // t = 0.8 √(3 / 0.36) = 2.309 with 3 degrees of freedom: two-sided p = 0.1041 (as scipy's spearmanr).
  EXPECT_NEAR(partial_rank_correlations(x1, y1)[0].p_value, 0.1041, 1e-4);
  EXPECT_EQ(ranks(Eigen::Vector4d(3, 1, 3, 2)), Eigen::Vector4d(3.5, 1, 3.5, 2)) << "ties share their mean rank";
  // Two parameters, four points. Regressed on rank(x2) = (2, 1, 4, 3) (slope 0.6), rank(x1) leaves
  // (−1.2, 0.4, −0.4, 1.2) and rank(y) = (1, 3, 2, 4) (slope 0) leaves (−1.5, 0.5, −0.5, 1.5):
  // proportional, PRCC(x1) = +1. Regressed on rank(x1) (slopes 0.6 and 0.8), x2 leaves
  // (0.4, −1.2, 1.2, −0.4) and y leaves (−0.3, 0.9, −0.9, 0.3): PRCC(x2) = −1.
  Eigen::MatrixXd x2(4, 2);
  x2 << 1, 20, 2, 10, 3, 40, 4, 30;
  const auto p = partial_rank_correlations(x2, Eigen::Vector4d(1, 3, 2, 4));
  EXPECT_NEAR(p[0].value, 1.0, 1e-12);
  EXPECT_NEAR(p[1].value, -1.0, 1e-12);
  Eigen::MatrixXd x3(3, 2);
  x3 << 1, 2, 2, 1, 3, 3;
  EXPECT_TRUE(std::isnan(partial_rank_correlations(x3, Eigen::Vector3d(1, 2, 3))[0].p_value))
      << "n − k − 1 = 0 degrees of freedom: no p-value";
  // A monotone but non-linear effect, an effect against, and a parameter that does nothing.
  RandomStream rng(5);
  Eigen::MatrixXd x(400, 3);
  Eigen::VectorXd y(400);
  for (Eigen::Index i = 0; i < 400; ++i) {
    x(i, 0) = rng.uniform(), x(i, 1) = rng.uniform(), x(i, 2) = rng.uniform();
    y[i] = std::exp(4 * x(i, 0)) - 10 * x(i, 1) + 0.5 * rng.uniform();
  }
  const auto q = partial_rank_correlations(x, y);
  EXPECT_GT(q[0].value, 0.9);
  EXPECT_LT(q[1].value, -0.5);
  EXPECT_LT(std::abs(q[2].value), 0.15);
  EXPECT_LT(q[0].p_value, 1e-6);
  EXPECT_GT(q[2].p_value, 0.01);
}

// PRIM finds the box where the KPI is high: y = 1 for x1 > 0.7 and x2 < 0.4, whatever x3.
TEST(Sensitivity, PrimFindsAKnownBox) {
  RandomStream rng(11);
  Eigen::MatrixXd x(2000, 3);
  Eigen::VectorXd y(2000);
  for (Eigen::Index i = 0; i < 2000; ++i) {
    x(i, 0) = rng.uniform(), x(i, 1) = rng.uniform(), x(i, 2) = rng.uniform();
    y[i] = (x(i, 0) > 0.7 && x(i, 1) < 0.4 ? 1.0 : 0.0) + 0.01 * rng.uniform();
  }
  const PrimBox box = prim_box(x, y, {.quantile = 0.9});
  EXPECT_NEAR(box.base_density, 0.1, 0.01);
  EXPECT_TRUE(box.restricted[0]);
  EXPECT_TRUE(box.restricted[1]);
  EXPECT_FALSE(box.restricted[2]) << box.low[2] << " … " << box.high[2];
  // The cases of interest are the top decile of the 12% of points inside the true box, so the box
  // found lies inside it.
  EXPECT_GE(box.low[0], 0.69);
  EXPECT_LE(box.high[1], 0.41);
  EXPECT_GT(box.box.density, 0.6);
  EXPECT_GT(box.box.coverage, 0.5);
  EXPECT_EQ(box.trajectory.front().support, 1.0);
  for (std::size_t i = 1; i < box.trajectory.size(); ++i) EXPECT_GT(box.trajectory[i].density, box.trajectory[i - 1].density);
}

// The box is simplified: on small samples where only x1 matters, every restriction left costs
// density when it is dropped (checked by dropping each one; without the simplification peeling
// leaves restrictions on x0 that cost nothing in some of these samples) and x1 stays restricted.
TEST(Sensitivity, PrimDropsRestrictionsThatDoNotRaiseTheDensity) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    RandomStream rng(seed);
    constexpr Eigen::Index n = 60;
    Eigen::MatrixXd x(n, 4);
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < 4; ++j) x(i, j) = rng.uniform();
      y[i] = x(i, 1) + 0.05 * rng.uniform();
    }
    const PrimBox box = prim_box(x, y, {.quantile = 0.8, .peel = 0.1, .min_support = 0.05});
    EXPECT_TRUE(box.restricted[1]);
    const auto density_of = [&](const std::vector<double>& lo, const std::vector<double>& hi) {
      double in = 0.0, hits = 0.0;
      for (Eigen::Index i = 0; i < n; ++i) {
        bool within = true;
        for (Eigen::Index j = 0; j < 4; ++j) within = within && x(i, j) >= lo[j] && x(i, j) <= hi[j];
        if (!within) continue;
        in += 1.0;
        hits += y[i] >= box.threshold ? 1.0 : 0.0;
      }
      return hits / in;
    };
    EXPECT_DOUBLE_EQ(density_of(box.low, box.high), box.box.density);
    for (Eigen::Index j = 0; j < 4; ++j) {
      if (!box.restricted[static_cast<std::size_t>(j)]) continue;
      std::vector<double> lo = box.low, hi = box.high;
      lo[static_cast<std::size_t>(j)] = x.col(j).minCoeff();
      hi[static_cast<std::size_t>(j)] = x.col(j).maxCoeff();
      EXPECT_LT(density_of(lo, hi), box.box.density) << "restriction on x" << j << " kept without raising the density";
    }
  }
}

// Pasting grows back a box that peeling cut too far. One parameter x = 1…10; the cases of interest
// (y = 1) are x = 4, 5, 6, 7, 9, 10. Peeling half the box at a time (peel 0.5) first cuts x = 1…5
// (box 6…10: 4 of 5 points, density 0.8; the other end would leave 2 of 5), then stops: cutting
// two more points leaves 2 of 3 at either end. Pasting 10% of the box (one point) at a time: the
// low edge to 5 gives 5 of 6 (0.833 > 0.8), to 4 gives 6 of 7 (0.857), to 3 would give 6 of 8
// (0.75): it stops at 4…10, two pastes. Without pasting the box stays 6…10.
TEST(Sensitivity, PrimPastingGrowsBackWhatPeelingCutTooFar) {
  Eigen::MatrixXd x(10, 1);
  Eigen::VectorXd y(10);
  for (Eigen::Index i = 0; i < 10; ++i) {
    x(i, 0) = static_cast<double>(i + 1);
    y[i] = (i + 1 >= 4 && i + 1 != 8) ? 1.0 : 0.0;
  }
  const PrimBox peeled = prim_box(x, y, {.quantile = 0.5, .peel = 0.5, .min_support = 0.05, .paste = 0.0});
  EXPECT_EQ(peeled.low[0], 6.0);
  EXPECT_EQ(peeled.high[0], 10.0);
  EXPECT_DOUBLE_EQ(peeled.box.density, 0.8);
  EXPECT_EQ(peeled.pastes, 0u);
  const PrimBox pasted = prim_box(x, y, {.quantile = 0.5, .peel = 0.5, .min_support = 0.05, .paste = 0.1});
  EXPECT_EQ(pasted.threshold, 1.0);
  EXPECT_DOUBLE_EQ(pasted.peeled.density, 0.8);
  EXPECT_DOUBLE_EQ(pasted.peeled.support, 0.5);
  EXPECT_EQ(pasted.pastes, 2u);
  EXPECT_EQ(pasted.low[0], 4.0);
  EXPECT_EQ(pasted.high[0], 10.0);
  EXPECT_TRUE(pasted.restricted[0]);
  EXPECT_DOUBLE_EQ(pasted.box.density, 6.0 / 7.0);
  EXPECT_DOUBLE_EQ(pasted.box.coverage, 1.0);
  EXPECT_DOUBLE_EQ(pasted.box.support, 0.7);
  ASSERT_EQ(pasted.trajectory.size(), 2u);  // the whole space, then the one peel
  EXPECT_DOUBLE_EQ(pasted.trajectory[1].density, 0.8);
}

// A paste takes in only points inside the box on the other parameters: x2 = 0 marks the points
// the box (x2 ≥ 1 after peeling) leaves out; growing x1's edge must not bring them back.
TEST(Sensitivity, PrimPastesOnlyAlongOneEdge) {
  Eigen::MatrixXd x(20, 2);
  Eigen::VectorXd y(20);
  for (Eigen::Index i = 0; i < 20; ++i) {
    const Eigen::Index v = i % 10;
    x(i, 0) = static_cast<double>(v + 1);
    x(i, 1) = i < 10 ? 1.0 : 0.0;  // the second copy of x1 = 1…10 lies at x2 = 0, with no case
    y[i] = i < 10 && (v + 1 >= 4 && v + 1 != 8) ? 1.0 : 0.0;
  }
  const PrimBox box = prim_box(x, y, {.quantile = 0.9, .peel = 0.5, .min_support = 0.05, .paste = 0.1});
  EXPECT_EQ(box.threshold, 1.0);
  // Peeling: x2 ≥ 1 first (6 of 10: 0.6), then x1 ≥ 6 (0.8); pasting as in the test above.
  EXPECT_EQ(box.low[1], 1.0);
  EXPECT_EQ(box.low[0], 4.0);
  EXPECT_EQ(box.pastes, 2u);
  EXPECT_DOUBLE_EQ(box.box.density, 6.0 / 7.0);
  EXPECT_DOUBLE_EQ(box.box.support, 7.0 / 20.0);
}

// KPIs as expressions over the recorded series: metric, entity, period, statistic.
TEST(Kpi, ExpressionsParseAndEvaluate) {
  std::string problem;
  const auto e = parse_kpi_expression("idle_h100e@us:2026-2027=max", problem);
  ASSERT_TRUE(e) << problem;
  EXPECT_EQ(e->metric, Metric::idle_h100e);
  EXPECT_EQ(e->entity, "us");
  EXPECT_EQ(e->first_quarter, Quarter(2026, 1).index());
  EXPECT_EQ(e->last_quarter, Quarter(2027, 4).index());
  EXPECT_EQ(e->stat, KpiExpression::Stat::max);
  EXPECT_FALSE(parse_kpi_expression("idle_h100ee=mean", problem));
  EXPECT_NE(problem.find("(did you mean 'idle_h100e'?)"), std::string::npos) << problem;
  EXPECT_FALSE(parse_kpi_expression("idle_h100e:2028Q5=mean", problem));
  EXPECT_FALSE(parse_kpi_expression("idle_h100e=median", problem));

  Recorder recorder;
  recorder.put(Quarter(2027, 4), EntityKind::bloc, "us", Metric::idle_h100e, 5.0);
  recorder.put(Quarter(2028, 1), EntityKind::bloc, "us", Metric::idle_h100e, 1.0);
  recorder.put(Quarter(2028, 2), EntityKind::bloc, "us", Metric::idle_h100e, 3.0);
  recorder.put(Quarter(2028, 2), EntityKind::bloc, "eu", Metric::idle_h100e, 100.0);
  recorder.put(Quarter(2028, 2), EntityKind::global, "world", Metric::idle_h100e, 50.0);
  const auto value = [&](const char* text) { return evaluate_kpi(*parse_kpi_expression(text, problem), recorder); };
  EXPECT_EQ(value("idle_h100e@us:2028=mean"), 2.0);
  EXPECT_EQ(value("idle_h100e@us:2028=sum"), 4.0);
  EXPECT_EQ(value("idle_h100e@us=first"), 5.0);
  EXPECT_EQ(value("idle_h100e@us=last"), 3.0);
  EXPECT_EQ(value("idle_h100e=max"), 50.0);
  EXPECT_TRUE(std::isnan(value("idle_h100e@us:2030=mean")));
  // Read back from a results file: the name's '=' is not the value's.
  EXPECT_NE(messages("design: grid\nparameters:\n  - {path: a, values: [1]}\noutputs: {kpis: [\"x@us=mean\"]}\n")
                .find("unknown metric 'x'"),
            std::string::npos);
}
